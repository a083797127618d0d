// Server URL normalisation, version parsing and the endpoint paths per version (docs/kestra-api.md#paths).
import type { ServerInfo } from './api.js';

/** `server` as it may be quoted in a message: credentials pasted into it are replaced by `***`. */
export function redactServer(server: string): string {
  return server.replace(/\/\/[^/@\s]*@/, '//***@');
}

/**
 * `https://host/`, `https://host/api/v1/…` or `https://host/ui/…` → `https://host` (a reverse-proxy prefix
 * such as `/kestra` is kept). Throws on anything that is not an http(s) URL, and on credentials in the URL
 * (they would show in every message; they belong in 'user'/'password').
 */
export function normaliseServer(server: string): string {
  let url: URL;
  try {
    url = new URL(server.trim());
  } catch {
    throw new Error(
      `'server' is not a URL: '${redactServer(server)}'; expected e.g. https://kestra.example.com`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`'server' must be an http:// or https:// URL, not '${url.protocol}'`);
  }
  if (url.username || url.password) {
    throw new Error("'server' must not contain credentials; use 'user'/'password' or 'api-token'");
  }
  const path = url.pathname.replace(/\/(api\/v1|ui)(\/.*)?$/, '').replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

/** `1.3.19`, `v0.22.0`, `2.0.0-SNAPSHOT` → [1, 3, 19]; undefined when there is no `major.minor`. */
export function parseVersion(version: string): [number, number, number] | undefined {
  const m = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

const atLeast = (v: [number, number, number], major: number, minor: number): boolean =>
  v[0] > major || (v[0] === major && v[1] >= minor);

/**
 * ServerInfo from the `/api/v1/configs` answer. An unreadable version gets tenant paths (what every server
 * since 0.23 wants) and YAML bodies (accepted by all), and `known: false`.
 */
export function serverInfo(configs: { version?: unknown; edition?: unknown }): ServerInfo {
  const version = typeof configs.version === 'string' ? configs.version : 'unknown';
  const edition = configs.edition === 'EE' ? 'EE' : 'OSS';
  const v = parseVersion(version);
  if (!v) return { version, edition, tenantInPath: true, multipart: false, known: false };
  return {
    version,
    edition,
    // EE before 1.0 reports no edition; as OSS below 0.23 it gets tenant-less paths, which such an EE
    // accepts when multi-tenancy is off (the 0.20-era EE spec).
    tenantInPath: edition === 'EE' || atLeast(v, 0, 23),
    multipart: atLeast(v, 1, 3),
    known: true,
  };
}

/**
 * Literal segments routed before `/flows/{namespace}` (OSS 1.3 spec): a namespace named like one of them
 * would hit another endpoint, e.g. DELETE `/flows/delete/by-query` deletes by query. No flow action is worth that risk.
 */
const FLOW_ROUTE_WORDS = new Set([
  'bulk',
  'delete',
  'deprecated',
  'disable',
  'distinct-namespaces',
  'enable',
  'export',
  'graph',
  'import',
  'search',
  'source',
  'validate',
]);

export const enc = encodeURIComponent;

export class Paths {
  private readonly base: string;
  /** Flow search takes `filters[…]` (1.3 and later: 2.0 dropped the legacy `q`; EE 1.3 had no `q`). */
  private readonly searchFilters: boolean;

  constructor(info: ServerInfo, tenant: string) {
    this.base = info.tenantInPath ? `/api/v1/${enc(tenant)}` : '/api/v1';
    const v = parseVersion(info.version);
    this.searchFilters = !v || atLeast(v, 1, 3);
  }

  static readonly configs = '/api/v1/configs';

  validate(): string {
    return `${this.base}/flows/validate`;
  }

  createFlow(): string {
    return `${this.base}/flows`;
  }

  namespaceFlows(namespace: string, query = ''): string {
    return `${this.base}/flows/${flowNamespace(namespace)}${query}`;
  }

  flow(namespace: string, id: string, query = ''): string {
    return `${this.base}/flows/${flowNamespace(namespace)}/${enc(id)}${query}`;
  }

  /** The first page of `size` flows whose namespace or id the server's full-text search matches to `text`. */
  searchFlows(text: string, size: number): string {
    const query = this.searchFilters ? `${enc('filters[q][EQUALS]')}=${enc(text)}` : `q=${enc(text)}`;
    return `${this.base}/flows/search?${query}&page=1&size=${size}`;
  }

  /**
   * The flow export of one namespace (docs/kestra-api.md#flow-export): `filters[namespace][EQUALS]` (exact)
   * where the search takes filters, the legacy `namespace=` before (a prefix: child namespaces come too).
   */
  exportFlows(namespace: string): string {
    const query = this.searchFilters
      ? `${enc('filters[namespace][EQUALS]')}=${enc(namespace)}`
      : `namespace=${enc(namespace)}`;
    return `${this.base}/flows/export/by-query?${query}`;
  }

  /** `sub` is '' (the file endpoints) or '/directory'; `path` goes in the query. */
  files(namespace: string, sub: '' | '/directory', path: string): string {
    return `${this.base}/namespaces/${enc(namespace)}/files${sub}?path=${enc(path)}`;
  }

  /** `GET …/files/export`: one zip of every file of the namespace (and, up to 1.3 at least, its flows). */
  filesExport(namespace: string): string {
    return `${this.base}/namespaces/${enc(namespace)}/files/export`;
  }
}

function flowNamespace(namespace: string): string {
  if (FLOW_ROUTE_WORDS.has(namespace)) {
    throw new Error(
      `namespace '${namespace}' cannot be used through the flow API: the server routes '/flows/${namespace}' to another endpoint`,
    );
  }
  return enc(namespace);
}

/** Normalises a namespace-file path to `/a/b` (leading `/`, no trailing `/` except the root). */
export function filePath(path: string): string {
  const p = `/${path}`.replace(/\/+/g, '/');
  return p.length > 1 ? p.replace(/\/$/, '') : p;
}

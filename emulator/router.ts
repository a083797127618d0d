// Routing as Micronaut and Kestra do it (docs/kestra-api.md#paths): tenant-less controllers before 0.23,
// `/api/v1/{tenant}/…` from 0.23, the most specific template wins, TenantAliasingRooter retries an
// unmatched tenant-less path with `main`, and TenantValidationFilter checks the tenant of the matched route.
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError, notFound } from './errors.js';
import { atLeast, type Features } from './version.js';

export interface RequestContext {
  method: string;
  pathname: string;
  /** The request URI as received, query included (JsonError `_links.self.href`). */
  href: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The raw Content-Type header (`''` when absent). */
  contentType: string;
  body: Buffer;
  /** Tenant of the matched route; `main` for tenant-less routes. */
  tenant: string;
  params: Record<string, string>;
}

export interface Reply {
  status: number;
  /** Serialised as `application/json`. */
  json?: unknown;
  /** Sent as is (set the content type in `headers`). */
  bytes?: Buffer;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  /** Template relative to `/api/v1/` (global) or to `/api/v1/{tenant}/` (tenant routes), e.g. `flows/{namespace}`. */
  path: string;
  handler: Handler;
  /** First server version that has the route. */
  since?: string;
}

interface Match {
  route: Route;
  params: Record<string, string>;
  tenant: string;
  /** Number of template variables, the tenant included: fewer means more specific. */
  variables: number;
}

export interface Resolved {
  handler: Handler;
  params: Record<string, string>;
  tenant: string;
}

function matchTemplate(template: string[], segments: string[]): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    const s = segments[i]!;
    if (t.startsWith('{')) {
      if (s === '') return undefined;
      params[t.slice(1, -1)] = s;
    } else if (t !== s) {
      return undefined;
    }
  }
  return params;
}

export class Router {
  private readonly global: Route[];
  private readonly scoped: Route[];

  constructor(
    private readonly f: Features,
    private readonly tenants: string[],
    global: Route[],
    scoped: Route[],
  ) {
    const available = (r: Route): boolean => !r.since || atLeast(f.version, r.since);
    this.global = global.filter(available);
    this.scoped = scoped.filter(available);
  }

  private candidates(segments: string[]): Match[] {
    const out: Match[] = [];
    const add = (
      route: Route,
      template: string[],
      segs: string[],
      tenant: (p: Record<string, string>) => string,
    ): void => {
      const params = matchTemplate(template, segs);
      if (!params) return;
      const variables = template.filter((t) => t.startsWith('{')).length;
      out.push({ route, params, tenant: tenant(params), variables });
    };
    for (const route of this.global) {
      const template = route.path.split('/');
      add(route, template, segments, () => 'main');
      // Before 0.23 `/configs` was mapped as `{/tenant}/configs`: any tenant segment is accepted.
      if (!atLeast(this.f.version, '0.23.0') && route.path === 'configs')
        add(route, ['{tenant}', ...template], segments, () => 'main');
    }
    for (const route of this.scoped) {
      const template = route.path.split('/');
      if (this.f.tenantInPath) add(route, ['{tenant}', ...template], segments, (p) => p.tenant!);
      if (!this.f.tenantInPath || this.f.tenantOptional) add(route, template, segments, () => 'main');
    }
    return out;
  }

  /** The handler for a request, or the HttpError the server would answer with. */
  resolve(method: string, pathname: string): Resolved {
    const API = '/api/v1/';
    if (!pathname.startsWith(API)) throw notFound();
    const segments = pathname
      .slice(API.length)
      .replace(/\/$/, '')
      .split('/')
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });

    const pick = (matches: Match[]): Match | undefined =>
      matches.filter((m) => m.route.method === method).sort((a, b) => a.variables - b.variables)[0];

    const direct = this.candidates(segments);
    let match = pick(direct);
    // TenantAliasingRooter: a path that matches nothing, and is neither under /api/v1/main/ nor /configs,
    // is retried with `main` inserted after /api/v1.
    if (
      !match &&
      this.f.tenantInPath &&
      !pathname.startsWith('/api/v1/main/') &&
      pathname !== '/api/v1/configs'
    ) {
      match = pick(this.candidates(['main', ...segments]));
    }
    if (!match) {
      if (direct.length > 0) {
        const allowed = [...new Set(direct.map((m) => m.route.method))].sort().join(', ');
        throw new HttpError(
          405,
          `Method Not Allowed: Method [${method}] not allowed for URI [${pathname}]. Allowed methods: [${allowed}]`,
        );
      }
      throw notFound();
    }

    const { tenant } = match;
    if (this.f.tenantInPath && 'tenant' in match.params) {
      if (this.f.edition === 'OSS' && tenant !== 'main') {
        throw new HttpError(400, "Bad Request: Tenant must be 'main' for OSS version");
      }
      // EE: an unknown tenant is a 404, as the newer TenantValidationFilter answers.
      if (this.f.edition === 'EE' && !this.tenants.includes(tenant)) {
        throw new HttpError(404, `Not Found: Tenant not found: '${tenant}'`);
      }
    }
    const params = { ...match.params };
    delete params.tenant;
    return { handler: match.route.handler, params, tenant };
  }
}

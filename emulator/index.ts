// A Kestra API emulator: a real HTTP server on loopback that answers like a Kestra server of a chosen
// version and edition (see docs/kestra-api.md and emulator/README.md). Tests, the demo and the
// benchmark talk to it over HTTP; its state can be seeded and inspected directly.
import type { AddressInfo } from 'node:net';
import { parse as parseLenient } from 'yaml';
import { dashboardRoutes } from './dashboards-api.js';
import { Faults, type Fault } from './faults.js';
import { fileRoutes } from './files-api.js';
import { parsedSource, type ApiContext } from './flow-service.js';
import { flowRoutes } from './flows-api.js';
import { isObj, str } from './flow-tree.js';
import { miscRoutes } from './misc-api.js';
import { typeRegistry, versionedRegistry } from './plugins.js';
import { Router } from './router.js';
import { createEmulatorServer, type RecordedRequest } from './server.js';
import { Store, type FlowRecord } from './store.js';
import { features } from './version.js';

export type { Fault } from './faults.js';
export type { RecordedRequest } from './server.js';
export type { FlowRecord } from './store.js';
export { KNOWN_TYPES } from './known-types.js';
export { readZip, writeZip } from './zip.js';

export interface EmulatorOptions {
  /** Emulated server version, default '1.3.19' (e.g. '0.22.0', '0.24.0', '1.0.3', '1.2.0', '2.0.0'). */
  version?: string;
  /** Default 'OSS'. */
  edition?: 'OSS' | 'EE';
  /** Credentials protected endpoints need (docs/kestra-api.md#authentication); unset, the server is open. */
  basicAuth?: { username: string; password: string };
  /** Accepted bearer tokens (EE only; OSS ignores Bearer). */
  tokens?: string[];
  /** EE: tenants that exist (default ['main']); OSS: only 'main'. */
  tenants?: string[];
  /**
   * Plugin types the server has. Without it: Kestra's core types of the version (core-types.generated.ts),
   * the corpus-derived KNOWN_TYPES of other plugins, and any type outside `io.kestra.` counts as installed.
   */
  knownTypes?: string[];
  /** `/api/v1/configs` leaves out `version`, as a proxy or a custom build might. */
  configsWithoutVersion?: boolean;
  port?: number;
  host?: string;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:54321 */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Requests that change state: POST/PUT/DELETE, except POST …/flows/validate. */
  writes(): RecordedRequest[];
  clearRequests(): void;
  /** Arms a fault for the next `count` matching requests. */
  fault(f: Fault): void;
  /** Stores a flow as if created (or updated, when it exists), without validation. */
  seedFlow(source: string, opts?: { tenant?: string }): FlowRecord;
  /** Latest non-deleted revision. */
  getFlow(namespace: string, id: string, tenant?: string): FlowRecord | undefined;
  listFlows(namespace?: string, tenant?: string): FlowRecord[];
  seedFile(namespace: string, path: string, bytes: Buffer | string, tenant?: string): void;
  getFile(namespace: string, path: string, tenant?: string): Buffer | undefined;
  /** Every file path, sorted. */
  listFiles(namespace: string, tenant?: string): string[];
  /** Latest revision number of a file (0 when it does not exist). */
  fileRevisions(namespace: string, path: string, tenant?: string): number;
  close(): Promise<void>;
}

const withSlash = (path: string): string => (path.startsWith('/') ? path : '/' + path);

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const edition = opts.edition ?? 'OSS';
  const f = features(opts.version ?? '1.3.19', edition);
  const tenants = edition === 'EE' ? (opts.tenants ?? ['main']) : ['main'];
  const store = new Store((tenant) => (f.tenantInPath ? tenant : undefined), f.fileRevisions);
  const api: ApiContext = {
    features: f,
    store,
    validation: {
      features: f,
      isKnownType: versionedRegistry(typeRegistry(opts.knownTypes, f.version.raw), f.removedCoreTypes),
    },
  };
  const router = new Router(
    f,
    tenants,
    miscRoutes({
      features: f,
      basicAuthConfigured: opts.basicAuth !== undefined,
      knownTypes: opts.knownTypes,
      withoutVersion: opts.configsWithoutVersion,
    }),
    [...flowRoutes(api), ...fileRoutes(api), ...dashboardRoutes(f)],
  );
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  const server = createEmulatorServer({
    router,
    faults,
    requests,
    features: f,
    auth: { basicAuth: opts.basicAuth, tokens: edition === 'EE' ? opts.tokens : undefined },
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    requests,
    writes: () =>
      requests.filter(
        (r) =>
          ['POST', 'PUT', 'DELETE'].includes(r.method) &&
          !(r.method === 'POST' && r.path.endsWith('/flows/validate')),
      ),
    clearRequests: () => {
      requests.length = 0;
    },
    fault: (fault) => faults.add(fault),
    seedFlow: (source, { tenant = 'main' } = {}) => {
      const parsed: unknown = parseLenient(source);
      const id = isObj(parsed) ? str(parsed.id) : undefined;
      const namespace = isObj(parsed) ? str(parsed.namespace) : undefined;
      if (id === undefined || namespace === undefined)
        throw new Error('seedFlow: the source needs an id and a namespace');
      const disabled = isObj(parsed) && parsed.disabled === true;
      const existing = store.find(tenant, namespace, id);
      const record = existing
        ? store.update(tenant, existing, source, disabled)
        : store.create(tenant, { id, namespace, source, disabled });
      // Parsed now, as a server holds its flows parsed: a listing then costs what a real one does.
      parsedSource(record);
      return record;
    },
    getFlow: (namespace, id, tenant = 'main') => store.find(tenant, namespace, id),
    listFlows: (namespace, tenant = 'main') => store.listFlows(tenant, namespace),
    seedFile: (namespace, path, bytes, tenant = 'main') => {
      store.writeFile(
        tenant,
        namespace,
        withSlash(path),
        Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'),
      );
    },
    getFile: (namespace, path, tenant = 'main') => store.readFile(tenant, namespace, withSlash(path)),
    listFiles: (namespace, tenant = 'main') => store.listFiles(tenant, namespace),
    fileRevisions: (namespace, path, tenant = 'main') =>
      store.fileRevisions(tenant, namespace, withSlash(path)).length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

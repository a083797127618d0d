// What the server does with flow sources once a controller has them: create, update, import, the
// namespace bulk update (bulkUpdateOrCreate), and the JSON shape of a stored flow.
import { parse as parseLenient } from 'yaml';
import { ConstraintViolationError, HttpError, illegalArgument, type ViolationEntry } from './errors.js';
import { isObj, labelList, str, type Obj } from './flow-tree.js';
import type { FlowRecord, Store } from './store.js';
import { assertValid } from './bean-validation.js';
import { bindFlow, flowProperties, parseYaml, type ValidationOptions } from './validation.js';
import type { Features } from './version.js';

export interface ApiContext {
  features: Features;
  store: Store;
  validation: ValidationOptions;
}

/** Java's `String.split(regex)`: no match gives `[s]`, and trailing empty strings are dropped. */
export function javaSplit(s: string, separator: RegExp): string[] {
  const parts = s.split(separator);
  if (parts.length === 1) return parts;
  while (parts.length > 0 && parts.at(-1) === '') parts.pop();
  return parts;
}

/** Java's `String.trim()`: characters up to U+0020 at either end, not a BOM or other Unicode spaces. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Validate endpoint: trimmed body split on lines starting with `---` (`\n+---\n*?`). */
export const splitForValidate = (body: string): string[] => javaSplit(body.trim(), /\n+---\n*?/);

/** Namespace and bulk updates: the naive `String.split("---")`, on every occurrence, even inside values. */
export const splitNaively = (body: string): string[] => javaSplit(body, /---/);

/** A stored flow as the API writes it: Flow (no source) or FlowWithSource; null fields left out. */
// A record's parse, kept while its source stays the same: a listing of 10,000 flows would otherwise parse
// every source again on each request, making the stand-in, not the client, the bench's bottleneck.
const parses = new WeakMap<FlowRecord, { source: string; parsed: Obj }>();

export function parsedSource(record: FlowRecord): Obj {
  const kept = parses.get(record);
  if (kept?.source === record.source) return kept.parsed;
  let parsed: Obj = {};
  try {
    const value: unknown = parseLenient(record.source, { logLevel: 'silent', uniqueKeys: false });
    if (isObj(value)) parsed = value;
  } catch {
    // Stored sources are valid YAML; a seeded oddity just serialises without its model fields.
  }
  parses.set(record, { source: record.source, parsed });
  return parsed;
}

export function flowJson(record: FlowRecord, withSource: boolean, f: Features): Record<string, unknown> {
  const parsed = parsedSource(record);
  const out: Record<string, unknown> = {
    id: record.id,
    namespace: record.namespace,
    revision: record.revision,
  };
  const modelKeys = flowProperties(f).filter(
    (k) => !['id', 'namespace', 'revision', 'deleted', 'tenantId', 'updated', 'disabled'].includes(k),
  );
  for (const key of modelKeys) {
    const value = parsed[key];
    if (value === undefined || value === null) continue;
    out[key] = key === 'labels' ? labelList(value) : value;
  }
  out.disabled = record.disabled ?? false;
  out.deleted = record.deleted;
  if (record.tenantId !== undefined) out.tenantId = record.tenantId;
  if (f.updatedField) out.updated = record.updated;
  if (withSource) out.source = record.source;
  return out;
}

const disabledOf = (flow: Obj): boolean => flow.disabled === true || flow.disabled === 'true';

/** `(namespace, id)` of a parsed flow that has both (bean validation reports the missing ones). */
function identity(flow: Obj): { id: string; namespace: string } | undefined {
  const id = str(flow.id);
  const namespace = str(flow.namespace);
  return id !== undefined && namespace !== undefined ? { id, namespace } : undefined;
}

/** FlowService.create: strict parse, `Flow id already exists` (2.0: 409 entity-already-exists), full validation, revision after any deleted one. */
export function createFlow(api: ApiContext, tenant: string, source: string, flow?: Obj): FlowRecord {
  if (source.trim() === '') {
    throw illegalArgument('Cannot create flow with null or blank source');
  }
  const parsed = flow ?? parseYaml(source, 'genericflow');
  bindFlow(parsed, api.validation, true);
  const key = identity(parsed);
  if (key && api.store.find(tenant, key.namespace, key.id)) {
    if (api.features.problemDetails) {
      throw new HttpError(
        409,
        `Conflict: A flow with id '${key.id}' already exists in namespace '${key.namespace}'.`,
        { problem: 'entity-already-exists' },
      );
    }
    throw ConstraintViolationError.of([{ path: 'flow.id', message: 'Flow id already exists' }]);
  }
  assertValid(parsed, api.validation);
  return api.store.create(tenant, { ...identity(parsed)!, source, disabled: disabledOf(parsed) });
}

/**
 * FlowRepository.update of `previous` with a new source: id and namespace may not change, 1.3 parses
 * leniently (unknown properties pass), and an unchanged source keeps its revision.
 */
export function updateFlow(
  api: ApiContext,
  tenant: string,
  previous: FlowRecord,
  source: string,
  flow?: Obj,
): FlowRecord {
  const parsed = flow ?? parseYaml(source, 'genericflow');
  bindFlow(parsed, api.validation, api.features.strictUpdate);
  const violations: ViolationEntry[] = [];
  if (str(parsed.id) !== previous.id) violations.push({ path: 'flow.id', message: 'Illegal flow id update' });
  if (str(parsed.namespace) !== previous.namespace) {
    violations.push({ path: 'flow.namespace', message: 'Illegal namespace update' });
  }
  if (violations.length) throw ConstraintViolationError.of(violations);
  assertValid(parsed, api.validation);
  return api.store.update(tenant, previous, source, disabledOf(parsed));
}

/** FlowService.importFlow (namespace-file `/_flows/*.yml`): update the last revision, even a deleted one. */
export function importFlow(api: ApiContext, tenant: string, source: string): FlowRecord {
  const parsed = parseYaml(source, 'genericflow');
  const key = identity(parsed);
  const previous = key && api.store.latest(tenant, key.namespace, key.id);
  return previous
    ? updateFlow(api, tenant, previous, source, parsed)
    : createFlow(api, tenant, source, parsed);
}

export interface BulkRequest {
  /** Path namespace (namespace update) or the optional `namespace` query (`/flows/bulk`). */
  namespace?: string;
  sources: string[];
  delete: boolean;
  allowNamespaceChild?: boolean;
}

/** The response of a bulk update: the deleted flows as they were, then the created/updated ones. */
export function bulkUpdateOrCreate(
  api: ApiContext,
  tenant: string,
  req: BulkRequest,
): Record<string, unknown>[] {
  const f = api.features;
  // 1. Parse everything first: 1.x as GenericFlow (types resolved later), 0.22 strictly as Flow.
  const flows = req.sources.map((source) => {
    if (f.genericBulk) return parseYaml(source, 'genericflow');
    const flow = parseYaml(source, 'Flow');
    bindFlow(flow, api.validation, true);
    return flow;
  });

  // 2. Namespace control. A flow without namespace makes the server throw a NullPointerException.
  if (req.namespace !== undefined) {
    const invalid: ViolationEntry[] = [];
    for (const flow of flows) {
      const ns = str(flow.namespace);
      if (ns === undefined) {
        throw new Error(
          'Cannot invoke "String.equals(Object)" because the return value of "io.kestra.core.models.flows.GenericFlow.getNamespace()" is null',
        );
      }
      const child = req.allowNamespaceChild === true && ns.startsWith(req.namespace);
      if (ns === req.namespace || child) continue;
      const uid = [tenant, ns, str(flow.id), str(flow.revision) ?? '-1'].join('_');
      invalid.push({
        path: 'flow.namespace',
        message: f.genericBulk ? `${uid} - flow namespace is invalid` : 'Flow namespace is invalid',
      });
    }
    if (invalid.length) throw ConstraintViolationError.of(invalid);
  }

  // 3. The same id twice in one request.
  const ids = flows.map((flow) => str(flow.id));
  if (new Set(ids).size < ids.length)
    throw ConstraintViolationError.of([{ path: 'flow.id', message: 'Duplicate flow id' }]);

  // 4. Soft-delete what the request does not mention: the exact namespace, or the whole tenant without one.
  const deleted: FlowRecord[] = [];
  if (req.delete) {
    for (const record of api.store.listFlows(tenant, req.namespace)) {
      if (ids.includes(record.id)) continue;
      deleted.push(record);
      api.store.delete(tenant, record);
    }
  }

  // 5. Upsert one by one. Not transactional: a late failure leaves the earlier writes in place.
  const written = flows.map((flow, i) => {
    const source = req.sources[i]!;
    const key = identity(flow);
    const existing = key && api.store.find(tenant, key.namespace, key.id);
    return existing ? updateFlow(api, tenant, existing, source, flow) : createFlow(api, tenant, source, flow);
  });
  return [...deleted, ...written].map((record) => flowJson(record, true, f));
}

// FlowController, the HTTP side of docs/kestra-api.md#flow-endpoints. Content-type routing and
// body splitting happen here; what is done with the sources lives in flow-service.ts.
import { stringify } from 'yaml';
import { HttpError, notFound, unsupportedMediaType } from './errors.js';
import {
  bulkUpdateOrCreate,
  createFlow,
  flowJson,
  javaTrim,
  splitForValidate,
  splitNaively,
  updateFlow,
  type ApiContext,
} from './flow-service.js';
import { selectFlows } from './flow-filters.js';
import { isObj } from './flow-tree.js';
import { exportFlows } from './flows-export.js';
import { mediaType, MULTIPART, parseMultipart, YAML } from './multipart.js';
import type { Reply, RequestContext, Route } from './router.js';
import type { FlowRecord } from './store.js';
import { validateSource } from './validation.js';

const ok = (json: unknown): Reply => ({ status: 200, json });

const bool = (value: string | null, fallback: boolean): boolean =>
  value === null || value === '' ? fallback : value.toLowerCase() === 'true';

/** A body Micronaut routes to the YAML handlers: `application/x-yaml`, or nothing at all. */
const isYamlBody = (ctx: RequestContext): boolean =>
  mediaType(ctx.contentType) === YAML || (ctx.contentType === '' && ctx.body.length === 0);

/** The `flows` parts of a multipart body, for servers that accept them (1.3+); otherwise a 415. */
async function flowParts(
  api: ApiContext,
  ctx: RequestContext,
): Promise<{ content: string; filename?: string }[]> {
  if (!api.features.multipartFlows || mediaType(ctx.contentType) !== MULTIPART) {
    const allowed = api.features.multipartFlows ? [YAML, MULTIPART] : [YAML];
    throw unsupportedMediaType(ctx.contentType, allowed);
  }
  const parts = await parseMultipart(ctx.body, ctx.contentType);
  return parts
    .filter((p) => p.name === 'flows')
    .map((p) => ({ content: javaTrim(p.bytes.toString('utf8')), filename: p.filename }));
}

const VALIDATE_FIELDS = [
  'flow',
  'namespace',
  'constraints',
  'outdated',
  'deprecationPaths',
  'warnings',
  'infos',
] as const;

/** POST …/flows/validate: always 200 with one ValidateConstraintViolation per document or part. */
async function validate(api: ApiContext, ctx: RequestContext): Promise<Reply> {
  const sources = isYamlBody(ctx)
    ? splitForValidate(ctx.body.toString('utf8')).map((content) => ({ content, filename: undefined }))
    : await flowParts(api, ctx);
  const repository = {
    lastRevision: (ns: string, id: string) => api.store.lastRevision(ctx.tenant, ns, id),
    findFlow: (ns: string, id: string) => {
      const record = api.store.find(ctx.tenant, ns, id);
      return record && { disabled: record.disabled ?? false };
    },
  };
  return ok(
    sources.map(({ content, filename }, index) => {
      const result = validateSource(content, api.validation, repository);
      const entry: Record<string, unknown> = { index };
      if (filename !== undefined) entry.filename = filename;
      for (const field of VALIDATE_FIELDS) if (result[field] !== undefined) entry[field] = result[field];
      return entry;
    }),
  );
}

/** POST …/flows/{namespace}: replace a namespace (naive `---` split in YAML; `flows` parts from 1.3). */
async function updateNamespace(api: ApiContext, ctx: RequestContext): Promise<Reply> {
  const namespace = ctx.params.namespace!;
  let sources: string[];
  if (isYamlBody(ctx)) {
    const text = ctx.body.toString('utf8');
    sources = text === '' ? [] : splitNaively(text).map(javaTrim);
  } else {
    const override = bool(ctx.query.get('override'), false);
    sources = (await flowParts(api, ctx)).map(({ content }) =>
      override ? content.replace(/^namespace:.+$/m, `namespace: ${namespace}`) : content,
    );
  }
  const del = bool(ctx.query.get('delete'), true);
  return ok(bulkUpdateOrCreate(api, ctx.tenant, { namespace, sources, delete: del }));
}

/** POST …/flows/bulk: the same without the trim, with an optional namespace (none = the whole tenant). */
function bulk(api: ApiContext, ctx: RequestContext): Reply {
  if (!isYamlBody(ctx)) throw unsupportedMediaType(ctx.contentType, [YAML]);
  const text = ctx.body.toString('utf8');
  return ok(
    bulkUpdateOrCreate(api, ctx.tenant, {
      namespace: ctx.query.get('namespace') ?? undefined,
      sources: text === '' ? [] : splitNaively(text),
      delete: bool(ctx.query.get('delete'), true),
      allowNamespaceChild: bool(ctx.query.get('allowNamespaceChild'), false),
    }),
  );
}

/**
 * A body that is not YAML: before 2.0 it reaches the deprecated JSON handler (consumes anything), which
 * binds a Flow from JSON; 2.0 has no such handler and answers 415.
 */
function jsonFlowSource(api: ApiContext, ctx: RequestContext): string {
  if (!api.features.jsonFlowHandlers) throw unsupportedMediaType(ctx.contentType, [YAML]);
  let value: unknown;
  try {
    value = JSON.parse(ctx.body.toString('utf8'));
  } catch (e) {
    throw new HttpError(422, `Invalid json: ${(e as Error).message}`);
  }
  if (!isObj(value)) throw new HttpError(422, 'Invalid json mapping');
  return typeof value.source === 'string' ? value.source : stringify(value);
}

function create(api: ApiContext, ctx: RequestContext): Reply {
  if (isYamlBody(ctx))
    return ok(flowJson(createFlow(api, ctx.tenant, ctx.body.toString('utf8')), true, api.features));
  const record = createFlow(api, ctx.tenant, jsonFlowSource(api, ctx));
  return ok(flowJson(record, false, api.features));
}

function update(api: ApiContext, ctx: RequestContext): Reply {
  const { namespace, id } = ctx.params as { namespace: string; id: string };
  const yaml = isYamlBody(ctx);
  const source = yaml ? ctx.body.toString('utf8') : jsonFlowSource(api, ctx);
  const existing = api.store.find(ctx.tenant, namespace, id);
  // The server does not upsert: a missing flow is a bare 404.
  if (!existing) throw notFound();
  return ok(flowJson(updateFlow(api, ctx.tenant, existing, source), yaml, api.features));
}

function get(api: ApiContext, ctx: RequestContext): Reply {
  const { namespace, id } = ctx.params as { namespace: string; id: string };
  const revision = ctx.query.get('revision');
  const allowDeleted = bool(ctx.query.get('allowDeleted'), false);
  const record: FlowRecord | undefined = revision
    ? api.store.revisions(ctx.tenant, namespace, id).find((r) => r.revision === Number(revision))
    : api.store.latest(ctx.tenant, namespace, id);
  if (!record || (record.deleted && !allowDeleted)) throw notFound();
  return ok(flowJson(record, bool(ctx.query.get('source'), false), api.features));
}

function remove(api: ApiContext, ctx: RequestContext): Reply {
  const record = api.store.find(ctx.tenant, ctx.params.namespace!, ctx.params.id!);
  if (!record) throw notFound();
  api.store.delete(ctx.tenant, record);
  return { status: 204 };
}

/** GET …/flows/search: the flows the query selects (flow-filters.ts), paged and sorted by `sort`. */
function search(api: ApiContext, ctx: RequestContext): Reply {
  const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
  const size = Math.max(1, Number(ctx.query.get('size') ?? 10) || 10);
  let results = selectFlows(api, ctx);
  const [sortField, sortDir] = (ctx.query.get('sort') ?? 'id:asc').split(':');
  const key = (r: FlowRecord): string => (sortField === 'namespace' ? r.namespace : r.id);
  results = results.sort((a, b) => key(a).localeCompare(key(b)) * (sortDir === 'desc' ? -1 : 1));
  const slice = results.slice((page - 1) * size, page * size).map((r) => flowJson(r, false, api.features));
  return ok({ results: slice, total: results.length });
}

export function flowRoutes(api: ApiContext): Route[] {
  return [
    { method: 'POST', path: 'flows/validate', handler: (ctx) => validate(api, ctx) },
    { method: 'GET', path: 'flows/search', handler: (ctx) => search(api, ctx) },
    { method: 'GET', path: 'flows/export/by-query', handler: (ctx) => exportFlows(api, ctx) },
    { method: 'POST', path: 'flows/bulk', handler: (ctx) => bulk(api, ctx) },
    { method: 'POST', path: 'flows', handler: (ctx) => create(api, ctx) },
    {
      method: 'GET',
      path: 'flows/{namespace}',
      handler: (ctx) =>
        ok(
          api.store.listFlows(ctx.tenant, ctx.params.namespace).map((r) => flowJson(r, false, api.features)),
        ),
    },
    { method: 'POST', path: 'flows/{namespace}', handler: (ctx) => updateNamespace(api, ctx) },
    { method: 'GET', path: 'flows/{namespace}/{id}', handler: (ctx) => get(api, ctx) },
    { method: 'PUT', path: 'flows/{namespace}/{id}', handler: (ctx) => update(api, ctx) },
    { method: 'DELETE', path: 'flows/{namespace}/{id}', handler: (ctx) => remove(api, ctx) },
    {
      method: 'GET',
      path: 'flows/{namespace}/{id}/revisions',
      handler: (ctx) =>
        ok(
          api.store
            .revisions(ctx.tenant, ctx.params.namespace!, ctx.params.id!)
            .map((r) => flowJson(r, true, api.features)),
        ),
    },
  ];
}

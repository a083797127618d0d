// NamespaceFileController (docs/kestra-api.md#namespace-files):
// listing, stats, download, upload (with zip extraction and
// `/_flows` imports), folders, move, delete, revisions, search and export. Void endpoints answer 200 with
// an empty body.
import { badRequest, illegalArgument, missingQueryValue, notFound, unsupportedMediaType } from './errors.js';
import { importFlow, type ApiContext } from './flow-service.js';
import { mediaType, MULTIPART, parseMultipart } from './multipart.js';
import type { Reply, RequestContext, Route } from './router.js';
import { readZip, writeZip } from './zip.js';

const EMPTY: Reply = { status: 200 };
const FORBIDDEN = /^\/_flows(\/.*)?$/;

/**
 * The stored form of a `path` query value. Up to 1.3 the server runs it through URLEncoder and back
 * through URI.getPath(), which turns a space into `+`; 2.0 keeps it literally (docs/kestra-api.md#file-paths).
 */
function storedPath(api: ApiContext, raw: string): string {
  let path = api.features.plusForSpace ? raw.replace(/ /g, '+') : raw;
  if (!path.startsWith('/')) path = '/' + path;
  path = path.replace(/\/{2,}/g, '/');
  // 2.0 also refuses a path component over 255 characters.
  if (!api.features.plusForSpace && path.split('/').some((part) => part.length > 255)) {
    throw illegalArgument('A file or folder name exceeds the maximum length of 255 characters.');
  }
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function requiredPath(api: ApiContext, ctx: RequestContext, name = 'path'): string {
  const raw = ctx.query.get(name);
  if (raw === null) throw missingQueryValue(name);
  return storedPath(api, raw);
}

function optionalPath(api: ApiContext, ctx: RequestContext): string {
  const raw = ctx.query.get('path');
  return raw ? storedPath(api, raw) : '/';
}

/** `/_flows` is reserved for flows: reading, listing, moving and deleting there are refused. */
function allowed(path: string): string {
  if (FORBIDDEN.test(path)) throw illegalArgument(`Forbidden path: ${path}`);
  return path;
}

const fileNotFound = (path: string, namespace: string): never => {
  throw notFound(`File '${path}' was not found in namespace '${namespace}'.`);
};

/** Stores one uploaded file, or imports it as a flow when it sits directly in `/_flows`. */
function putFile(api: ApiContext, ctx: RequestContext, path: string, bytes: Buffer): void {
  const namespace = ctx.params.namespace!;
  if (path === '/_flows') throw illegalArgument(`Forbidden path: ${path}`);
  if (path.startsWith('/_flows/')) {
    if (path.slice('/_flows/'.length).includes('/')) throw illegalArgument(`Invalid flow file path: ${path}`);
    const source = bytes.toString('utf8').replace(/^namespace: .*$/m, `namespace: ${namespace}`);
    importFlow(api, ctx.tenant, source);
    return;
  }
  api.store.writeFile(ctx.tenant, namespace, path, bytes);
}

/** Characters `java.net.URI` refuses in a path: a zip entry holding one fails the upload on 1.x. */
const URI_ILLEGAL = /[\s"<>\\^`{|}[\]\p{Cc}]/u;

/** What `URI.create(raw)` refuses, as its IllegalArgumentException (a 422). */
function uriCreate(raw: string): void {
  const illegal = URI_ILLEGAL.exec(raw);
  if (illegal) throw illegalArgument(`Illegal character in path at index ${illegal.index}: ${raw}`);
  const malformed = /%(?![0-9a-fA-F]{2})/.exec(raw);
  if (malformed) throw illegalArgument(`Malformed escape pair at index ${malformed.index}: ${raw}`);
}

/**
 * Where a zip entry lands. 2.0 reads the entry's name as it reads `path`, literally. Up to 1.3 the server
 * reads it as `URI.create("/" + name).getPath()`, unlike `path`: a space (or another character a URI may
 * not hold) or a `%` not followed by two hex digits is a 422, `%41` is decoded, and `?` or `#` ends the path.
 */
function entryPath(api: ApiContext, name: string): string {
  const raw = '/' + name;
  if (!api.features.plusForSpace) return storedPath(api, raw);
  uriCreate(raw);
  const cut = raw.replace(/[?#].*$/s, '');
  let path: string;
  try {
    path = decodeURIComponent(cut).replace(/\/{2,}/g, '/');
  } catch {
    path = cut; // bytes that are not UTF-8: Java decodes them to U+FFFD; no test needs that
  }
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * POST …/files?path=: the part `fileContent`; a part filename ending in `.zip` is extracted instead, entry
 * by entry in the archive's order, folders skipped. An entry that fails stops the request: those before it
 * stay stored.
 */
async function upload(api: ApiContext, ctx: RequestContext): Promise<Reply> {
  const path = requiredPath(api, ctx);
  if (mediaType(ctx.contentType) !== MULTIPART) throw unsupportedMediaType(ctx.contentType, [MULTIPART]);
  const part = (await parseMultipart(ctx.body, ctx.contentType)).find((p) => p.name === 'fileContent');
  if (!part) throw badRequest('Required Part [fileContent] not specified');
  // The server looks at the part's filename, not at `path`, to decide whether to extract.
  if (part.filename?.toLowerCase().endsWith('.zip')) {
    for (const entry of readZip(part.bytes)) {
      if (!entry.directory) putFile(api, ctx, entryPath(api, entry.name), entry.data);
    }
    return EMPTY;
  }
  putFile(api, ctx, path, part.bytes);
  return EMPTY;
}

function listDirectory(api: ApiContext, ctx: RequestContext): Reply {
  const namespace = ctx.params.namespace!;
  const path = allowed(optionalPath(api, ctx));
  if (path === '/') api.store.ensureRoot(ctx.tenant, namespace);
  if (!api.store.isDirectory(ctx.tenant, namespace, path)) throw notFound(`Directory not found: ${path}`);
  return { status: 200, json: api.store.children(ctx.tenant, namespace, path) };
}

function stats(api: ApiContext, ctx: RequestContext): Reply {
  const namespace = ctx.params.namespace!;
  const path = allowed(optionalPath(api, ctx));
  if (path === '/') api.store.ensureRoot(ctx.tenant, namespace);
  return {
    status: 200,
    json: api.store.attributes(ctx.tenant, namespace, path) ?? fileNotFound(path, namespace),
  };
}

function download(api: ApiContext, ctx: RequestContext): Reply {
  const namespace = ctx.params.namespace!;
  const path = allowed(requiredPath(api, ctx));
  const revision = api.features.fileRevisions ? ctx.query.get('revision') : null;
  const bytes =
    api.store.readFile(ctx.tenant, namespace, path, revision ? Number(revision) : undefined) ??
    fileNotFound(path, namespace);
  return {
    status: 200,
    bytes,
    headers: { 'content-type': 'application/octet-stream', 'cache-control': 'no-cache' },
  };
}

function makeDirectory(api: ApiContext, ctx: RequestContext): Reply {
  api.store.mkdir(ctx.tenant, ctx.params.namespace!, allowed(requiredPath(api, ctx)));
  return EMPTY;
}

function move(api: ApiContext, ctx: RequestContext): Reply {
  const namespace = ctx.params.namespace!;
  const from = allowed(requiredPath(api, ctx, 'from'));
  const to = allowed(requiredPath(api, ctx, 'to'));
  if (!api.store.move(ctx.tenant, namespace, from, to)) fileNotFound(from, namespace);
  return EMPTY;
}

/** Recursive; a missing path is not an error. */
function remove(api: ApiContext, ctx: RequestContext): Reply {
  api.store.deletePath(ctx.tenant, ctx.params.namespace!, allowed(requiredPath(api, ctx)));
  return EMPTY;
}

function revisions(api: ApiContext, ctx: RequestContext): Reply {
  const path = allowed(requiredPath(api, ctx));
  const list = api.store.fileRevisions(ctx.tenant, ctx.params.namespace!, path);
  if (list.length === 0) throw notFound(`File not found: ${path}`);
  return { status: 200, json: list.map((revision) => ({ revision })) };
}

function search(api: ApiContext, ctx: RequestContext): Reply {
  const q = ctx.query.get('q');
  if (q === null) throw missingQueryValue('q');
  const files = api.store.listFiles(ctx.tenant, ctx.params.namespace!);
  return { status: 200, json: files.filter((p) => p.toLowerCase().includes(q.toLowerCase())) };
}

/**
 * Every file, plus `_flows/<id>.yml` for each flow of the namespace. Before 1.2 the server walks its storage
 * and reads each stored name with `URI.create`: a name a URI may not hold (a `%` alone, `[`…) fails it all.
 */
function exportZip(api: ApiContext, ctx: RequestContext): Reply {
  const namespace = ctx.params.namespace!;
  const paths = api.store.listFiles(ctx.tenant, namespace);
  if (!api.features.fileRevisions) paths.forEach(uriCreate);
  const files = paths.map((p) => ({
    name: p.slice(1),
    data: api.store.readFile(ctx.tenant, namespace, p),
  }));
  const flows = api.store
    .listFlows(ctx.tenant, namespace)
    .map((r) => ({ name: `_flows/${r.id}.yml`, data: Buffer.from(r.source, 'utf8') }));
  return {
    status: 200,
    bytes: writeZip([...files, ...flows]),
    headers: {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${namespace}_files.zip"`,
    },
  };
}

export function fileRoutes(api: ApiContext): Route[] {
  const base = 'namespaces/{namespace}/files';
  return [
    { method: 'GET', path: `${base}/directory`, handler: (ctx) => listDirectory(api, ctx) },
    { method: 'POST', path: `${base}/directory`, handler: (ctx) => makeDirectory(api, ctx) },
    { method: 'GET', path: `${base}/stats`, handler: (ctx) => stats(api, ctx) },
    { method: 'GET', path: `${base}/revisions`, handler: (ctx) => revisions(api, ctx), since: '1.2.0' },
    { method: 'GET', path: `${base}/search`, handler: (ctx) => search(api, ctx) },
    { method: 'GET', path: `${base}/export`, handler: (ctx) => exportZip(api, ctx) },
    { method: 'GET', path: base, handler: (ctx) => download(api, ctx) },
    { method: 'POST', path: base, handler: (ctx) => upload(api, ctx) },
    { method: 'PUT', path: base, handler: (ctx) => move(api, ctx) },
    { method: 'DELETE', path: base, handler: (ctx) => remove(api, ctx) },
  ];
}

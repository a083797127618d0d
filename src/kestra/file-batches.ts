// The namespace export read into files, and zip batches written and sent (docs/kestra-api.md#zip-uploads):
// the requests that let a deploy compare and upload a namespace's files in a handful of requests.
import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import type { BatchFile, ExportedFiles } from './api.js';
import { batchable } from './batch.js';
import { KestraError } from './errors.js';
import type { Transport } from './http.js';
import type { Paths } from './paths.js';
import { readZip, writeZip, ZipTooLarge } from './zip.js';

/** The part name that makes the server extract the body; any name ending in `.zip` does. */
const BATCH_PART = 'files.zip';

/**
 * An export that fails is not a failed plan: the listing may still work. A server without the route answers
 * 404 or 405; before 1.2, one that stores a name with a `%` fails building the archive (it reads each stored
 * name with `URI.create`). Credentials and rate limits are the same for the listing, so those stay errors.
 */
const exportFailed = (err: unknown): err is KestraError =>
  err instanceof KestraError &&
  err.status !== undefined &&
  err.status >= 400 &&
  ![401, 403, 429].includes(err.status);

/**
 * Every file of the export by `/`-path, `_flows/` left out; or why it cannot be used. `maxBytes` bounds both
 * the archive and its files once inflated.
 */
export async function exportFiles(
  http: Transport,
  paths: Paths,
  namespace: string,
  maxBytes: number,
): Promise<ExportedFiles> {
  let body: Buffer;
  try {
    const answer = await http.send({
      method: 'GET',
      path: paths.filesExport(namespace),
      namespace,
      maxBytes,
    });
    if (answer.tooLarge) return { unusable: `its export is over ${size(maxBytes)}` };
    body = answer.body;
  } catch (err) {
    if (exportFailed(err)) return { unusable: `its export answered ${err.status}` };
    throw err;
  }
  let entries;
  try {
    entries = readZip(body, maxBytes);
  } catch (err) {
    if (err instanceof ZipTooLarge) return { unusable: `its files are over ${size(maxBytes)}` };
    return { unusable: `its export is not a readable zip (${(err as Error).message})` };
  }
  const files = new Map<string, Buffer>();
  for (const entry of entries) {
    // Up to 1.3 the export ends with the namespace's flows as `_flows/<id>.yml`: never files.
    if (entry.name.startsWith('_flows/')) continue;
    files.set(`/${entry.name}`, entry.data);
  }
  return { files };
}

/** One request: `files` zipped, under a part name the server extracts; `path` is required but unused. */
export async function uploadBatch(
  http: Transport,
  paths: Paths,
  namespace: string,
  files: readonly BatchFile[],
): Promise<void> {
  const refused = files.find((f) => !batchable(f.path));
  if (refused) throw new Error(`${refused.path} cannot go in a zip batch: it must be uploaded alone`);
  const archive = writeZip(files.map((f) => ({ name: f.path.slice(1), data: f.bytes })));
  const body = (): FormData => {
    const form = new FormData();
    form.append('fileContent', new Blob([archive], { type: 'application/zip' }), BATCH_PART);
    return form;
  };
  await http.send({ method: 'POST', path: paths.files(namespace, '', '/'), namespace, body });
}

const size = (bytes: number): string =>
  bytes >= 2 ** 20 ? `${Math.round(bytes / 2 ** 20)} MiB` : `${bytes} bytes`;

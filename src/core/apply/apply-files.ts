// Apply stage for namespace files: uploads (zip batches, then files sent alone), then deletions, and only
// once every upload succeeded.
import { promises as fs } from 'node:fs';
import type { BatchFile, KestraClient, Logger } from '../../kestra/api.js';
import { KestraError } from '../../kestra/errors.js';
import type { FilePlan } from '../../model/plan.js';
import type { DeployResult } from '../../model/results.js';
import type { LocalFile } from '../../model/types.js';
import { ApplyError, errorText } from './apply-error.js';
import { DEFAULT_CONCURRENCY, mapLimit } from '../concurrency.js';
import { groupUploads, type Upload } from './file-batches.js';

/** Batches in flight at once: each holds up to BATCH_MAX_BYTES of files and their archive in memory. */
const BATCH_CONCURRENCY = 2;

/**
 * A batch refused as a whole: 413, a proxy's body limit; 422, an archive the server would not extract (its
 * ZIP-bomb limits, docs/kestra-api.md#zip-uploads). Its files then go one by one, which also names the file
 * at fault, if any. Files the server stored before refusing are overwritten with the same bytes.
 */
const refusedBatch = (error: unknown): boolean =>
  error instanceof KestraError && (error.status === 413 || error.status === 422);

/**
 * Uploads in zip batches (a handful of requests for a whole tree), then the files that must go alone, then
 * deletes, and only once every upload succeeded: a failed deploy never leaves the namespace with fewer files
 * than it had. Uploads overwrite, so a retry is harmless. On a failure it throws an ApplyError that says
 * which uploads and deletions were done, which failed and which were not attempted.
 */
export async function applyFilePlan(
  client: KestraClient,
  plan: FilePlan,
  log?: Logger,
): Promise<DeployResult[]> {
  const { namespace } = plan;
  const row = (f: LocalFile, action: DeployResult['action']): DeployResult => ({
    namespace,
    file: f.file,
    path: plan.to + f.relative,
    action,
  });
  const uploads: Upload[] = [
    ...plan.create.map((f) => ({ f, action: 'created' as const })),
    ...plan.update.map((f) => ({ f, action: 'updated' as const })),
  ].map((u, index) => ({ ...u, path: plan.to + u.f.relative, index }));
  const unchanged = plan.unchanged.map((f) => row(f, 'unchanged'));
  const { batches, alone } = groupUploads(uploads);
  // Filled as requests settle, so a failure can tell which uploads landed (several run at once).
  const uploaded: (DeployResult | undefined)[] = new Array(uploads.length);
  const failed: { paths: string[]; error: unknown; batch: boolean }[] = [];
  let unbatched = false;
  const one = (f: BatchFile): Promise<void> => client.uploadFile(namespace, f.path, f.bytes);
  const send = async (group: Upload[], batch: boolean): Promise<void> => {
    try {
      const files = await Promise.all(
        group.map(async (u) => ({ path: u.path, bytes: await fs.readFile(u.f.absolutePath) })),
      );
      if (!batch) await one(files[0]!);
      else if (unbatched) await mapLimit(files, DEFAULT_CONCURRENCY, one);
      else {
        try {
          await client.uploadBatch(namespace, files);
        } catch (error) {
          if (!refusedBatch(error)) throw error;
          if (!unbatched)
            log?.warning(
              `${namespace}: the server refused a zip batch (${errorText(error)}); sending the files one by one`,
            );
          unbatched = true;
          await mapLimit(files, DEFAULT_CONCURRENCY, one);
        }
      }
    } catch (error) {
      failed.push({ paths: group.map((u) => u.path), error, batch });
      throw error;
    }
    for (const u of group) uploaded[u.index] = row(u.f, u.action);
  };
  try {
    await mapLimit(batches, BATCH_CONCURRENCY, (group) => send(group, true));
    await mapLimit(alone, DEFAULT_CONCURRENCY, (u) => send([u], false));
  } catch (error) {
    const done = uploaded.filter((u): u is DeployResult => u !== undefined);
    const failedPaths = failed.flatMap((x) => x.paths);
    const first = failed[0];
    const what = !first
      ? 'a file'
      : first.batch
        ? `a batch of ${first.paths.length} files (${first.paths[0]}…)`
        : first.paths[0];
    const others = failed.length > 1 ? ` (and ${failed.length - 1} more uploads failed)` : '';
    // The server stores a batch's entries one by one: some of a failed batch may be on it.
    const partly = failed.some((x) => x.batch && x.paths.length > 1)
      ? '; the server stores a batch file by file, so some of its files may have been written'
      : '';
    throw new ApplyError(
      `upload of ${what} failed: ${errorText(first?.error ?? error)}${others}${partly} (no file was deleted)`,
      [...done, ...unchanged],
      failedPaths,
      uploads.filter((u) => !uploaded[u.index] && !failedPaths.includes(u.path)).map((u) => u.path),
      plan.delete,
    );
  }
  const deleted: DeployResult[] = [];
  // One at a time, stopping at the first failure: the rest stay, and the report lists them.
  for (const [i, p] of plan.delete.entries()) {
    try {
      await client.deleteFile(namespace, p);
    } catch (error) {
      throw new ApplyError(
        `every upload succeeded, but deleting ${p} failed: ${errorText(error)}` +
          (i === 0 ? ' (no file was deleted)' : ''),
        [...(uploaded as DeployResult[]), ...unchanged, ...deleted],
        [p],
        [],
        plan.delete.slice(i + 1),
      );
    }
    deleted.push({ namespace, path: p, action: 'deleted' });
  }
  return [...(uploaded as DeployResult[]), ...unchanged, ...deleted];
}

// Apply stage for namespace files: uploads, then deletions, and only once every upload succeeded.
import { promises as fs } from 'node:fs';
import type { KestraClient } from '../../kestra/api.js';
import type { FilePlan } from '../../model/plan.js';
import type { DeployResult } from '../../model/results.js';
import type { LocalFile } from '../../model/types.js';
import { ApplyError, errorText } from './apply-error.js';
import { DEFAULT_CONCURRENCY, mapLimit } from '../concurrency.js';

/**
 * Uploads with bounded concurrency, then deletes, and only once every upload succeeded: a failed deploy
 * never leaves the namespace with fewer files than it had. Uploads overwrite, so a retry is harmless.
 * On a failure it throws an ApplyError that says exactly which uploads and deletions were done.
 */
export async function applyFilePlan(client: KestraClient, plan: FilePlan): Promise<DeployResult[]> {
  const { namespace } = plan;
  const row = (f: LocalFile, action: DeployResult['action']): DeployResult => ({
    namespace,
    file: f.file,
    path: plan.to + f.relative,
    action,
  });
  const uploads = [
    ...plan.create.map((f) => ({ f, action: 'created' as const })),
    ...plan.update.map((f) => ({ f, action: 'updated' as const })),
  ];
  const unchanged = plan.unchanged.map((f) => row(f, 'unchanged'));
  // Filled as requests settle, so a failure can tell which uploads landed (several run at once).
  const uploaded: (DeployResult | undefined)[] = new Array(uploads.length);
  const failed: { path: string; error: unknown }[] = [];
  try {
    await mapLimit(uploads, DEFAULT_CONCURRENCY, async ({ f, action }, i): Promise<void> => {
      const remote = plan.to + f.relative;
      try {
        await client.uploadFile(namespace, remote, await fs.readFile(f.absolutePath));
      } catch (error) {
        failed.push({ path: remote, error });
        throw error;
      }
      uploaded[i] = row(f, action);
    });
  } catch (error) {
    const done = uploaded.filter((u): u is DeployResult => u !== undefined);
    const failedPaths = failed.map((x) => x.path);
    const others = failed.length > 1 ? ` (and ${failed.length - 1} more uploads failed)` : '';
    throw new ApplyError(
      `upload of ${failedPaths[0] ?? 'a file'} failed: ${errorText(failed[0]?.error ?? error)}${others}` +
        ' (no file was deleted)',
      [...done, ...unchanged],
      failedPaths,
      uploads
        .filter((_, i) => !uploaded[i])
        .map(({ f }) => plan.to + f.relative)
        .filter((p) => !failedPaths.includes(p)),
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

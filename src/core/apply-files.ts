// Namespace files: uploads, then deletions.
import { promises as fs } from 'node:fs';
import { mapLimit, DEFAULT_CONCURRENCY } from './concurrency.js';
import type { KestraClient } from '../kestra/api.js';
import type { FilePlan } from './plan-files.js';

export interface FileOutcome {
  file?: string;
  path: string;
  action: 'created' | 'updated' | 'unchanged' | 'deleted';
}

/** A file deploy stopped part-way: what was done before the failure and what was not. */
export class FileApplyError extends Error {
  override name = 'FileApplyError';
  constructor(
    message: string,
    /** Uploads that succeeded, unchanged files, and deletions done before the failure. */
    readonly done: FileOutcome[],
    /** Remote paths whose own request failed. */
    readonly failed: string[],
    /** Uploads never sent (the deploy stopped first). */
    readonly notUploaded: string[],
    /** Remote paths planned for deletion and still there. */
    readonly notDeleted: string[],
  ) {
    super(message);
  }
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Uploads with bounded concurrency, then deletes, and only once every upload succeeded: a failed deploy
 * never leaves the namespace with fewer files than it had. Uploads overwrite, so a retry is harmless.
 * On a failure it throws a FileApplyError that says exactly which uploads and deletions were done.
 */
export async function applyFilePlan(client: KestraClient, plan: FilePlan): Promise<FileOutcome[]> {
  const uploads = [
    ...plan.create.map((f) => ({ f, action: 'created' as const })),
    ...plan.update.map((f) => ({ f, action: 'updated' as const })),
  ];
  const unchanged = plan.unchanged.map((f): FileOutcome => ({
    file: f.file,
    path: plan.to + f.relative,
    action: 'unchanged',
  }));
  // Filled as requests settle, so a failure can tell which uploads landed (several run at once).
  const uploaded: (FileOutcome | undefined)[] = new Array(uploads.length);
  const failed: { path: string; error: unknown }[] = [];
  try {
    await mapLimit(uploads, DEFAULT_CONCURRENCY, async ({ f, action }, i): Promise<void> => {
      const remote = plan.to + f.relative;
      try {
        await client.uploadFile(plan.namespace, remote, await fs.readFile(f.absolutePath));
      } catch (error) {
        failed.push({ path: remote, error });
        throw error;
      }
      uploaded[i] = { file: f.file, path: remote, action };
    });
  } catch (error) {
    const done = uploaded.filter((u): u is FileOutcome => u !== undefined);
    const failedPaths = failed.map((x) => x.path);
    const others = failed.length > 1 ? ` (and ${failed.length - 1} more uploads failed)` : '';
    throw new FileApplyError(
      `upload of ${failedPaths[0] ?? 'a file'} failed: ${message(failed[0]?.error ?? error)}${others}`,
      [...done, ...unchanged],
      failedPaths,
      uploads
        .filter((_, i) => !uploaded[i])
        .map(({ f }) => plan.to + f.relative)
        .filter((p) => !failedPaths.includes(p)),
      plan.delete,
    );
  }
  const deleted: FileOutcome[] = [];
  // One at a time, stopping at the first failure: the rest stay, and the report lists them.
  for (const [i, p] of plan.delete.entries()) {
    try {
      await client.deleteFile(plan.namespace, p);
    } catch (error) {
      throw new FileApplyError(
        `every upload succeeded, but deleting ${p} failed: ${message(error)}`,
        [...(uploaded as FileOutcome[]), ...unchanged, ...deleted],
        [p],
        [],
        plan.delete.slice(i + 1),
      );
    }
    deleted.push({ path: p, action: 'deleted' });
  }
  return [...(uploaded as FileOutcome[]), ...unchanged, ...deleted];
}

// Which uploads travel together in a zip batch and which go alone (docs/kestra-api.md#zip-uploads).
import { batchable } from '../../kestra/batch.js';
import type { LocalFile } from '../../model/types.js';

/** A batch's bytes before compression: the server holds each entry in memory while it stores it. */
export const BATCH_MAX_BYTES = 32 * 2 ** 20;
/** Files in one batch: the server stores them one by one, within the request's timeout. */
export const BATCH_MAX_FILES = 250;

export interface Upload {
  f: LocalFile;
  /** The remote path: the plan's `to` plus the file's relative path. */
  path: string;
  action: 'created' | 'updated';
  /** Position in the plan's uploads, so results keep the plan's order. */
  index: number;
}

/**
 * The uploads in zip batches (in order, each within both caps) and those sent alone: a path a batch entry
 * would not keep as sent, a `.zip` the user stores, anything under `/_flows`, or a file over the byte cap.
 */
export function groupUploads(uploads: readonly Upload[]): { batches: Upload[][]; alone: Upload[] } {
  const batches: Upload[][] = [];
  const alone: Upload[] = [];
  let current: Upload[] = [];
  let bytes = 0;
  for (const u of uploads) {
    if (!batchable(u.path) || u.f.size > BATCH_MAX_BYTES) {
      alone.push(u);
      continue;
    }
    if (current.length >= BATCH_MAX_FILES || bytes + u.f.size > BATCH_MAX_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(u);
    bytes += u.f.size;
  }
  if (current.length) batches.push(current);
  return { batches, alone };
}

// Request bodies that carry several flows, and the splitting rules of the server they must survive
// (docs/kestra-api.md#validation, #bulk-update).
import { randomUUID } from 'node:crypto';
import type { FlowSource } from './api.js';

export const YAML = 'application/x-yaml';
/** Separator of flows in a YAML body (what Kestra's own CLI used). */
export const SEPARATOR = '\n---\n';
/** At most this many flows per validate request. */
export const BATCH = 100;

/**
 * Validate splits a YAML body with the regex `\n+---\n*?`: a flow holding a line that starts with `---`
 * (a document marker included) would be cut in pieces, so it has to travel alone.
 */
export const splitsInValidate = (source: string): boolean => /(^|\n)---/.test(source);

/** Bulk update below 1.3 splits a YAML body on every `---`, even inside values: such a flow cannot go. */
export const splitsInBulk = (source: string): boolean => source.includes('---');

/**
 * One `flows` part per flow, `Content-Type: application/x-yaml`, named by its file (Kestra ≥ 1.3), built in
 * one buffer: undici's streamed FormData allocates per part, which at 10,000 flows costs tens of MB of RSS.
 */
export function flowsMultipart(flows: FlowSource[]): { contentType: string; body: Buffer } {
  const boundary = `kestra-actions-${randomUUID()}`;
  const parts = flows.map((f) => {
    const filename = f.filename.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    return (
      `--${boundary}\r\nContent-Disposition: form-data; name="flows"; filename="${filename}"\r\n` +
      `Content-Type: ${YAML}\r\n\r\n${f.source}\r\n`
    );
  });
  parts.push(`--${boundary}--\r\n`);
  // Sized first and written in place: one allocation instead of a buffer per part and their concatenation.
  const body = Buffer.allocUnsafe(parts.reduce((n, p) => n + Buffer.byteLength(p), 0));
  let at = 0;
  for (const p of parts) at += body.write(p, at);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}

export const joinYaml = (flows: FlowSource[]): string => flows.map((f) => f.source).join(SEPARATOR);

/**
 * Groups of input positions for validate: at most BATCH each; in YAML mode a flow that the server's split
 * would cut is sent on its own.
 */
export function validateBatches(flows: FlowSource[], multipart: boolean): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  flows.forEach((f, i) => {
    if (!multipart && splitsInValidate(f.source)) {
      batches.push([i]);
      return;
    }
    current.push(i);
    if (current.length === BATCH) {
      batches.push(current);
      current = [];
    }
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * The multipart filename of a namespace file: its basename, with `.bin` added when it ends in `.zip`,
 * because the server extracts an upload whose *part filename* ends in `.zip` instead of storing it at
 * `path`. The part filename is otherwise unused (the bytes land at `path`), so the change is invisible.
 * See docs/kestra-api.md#namespace-files.
 */
export function uploadPartName(path: string): string {
  const base = path.split('/').filter(Boolean).pop() ?? 'file';
  return /\.zip$/i.test(base) ? `${base}.bin` : base;
}

// Helpers for the emulator tests: real HTTP calls with the global fetch, and small flow sources.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '../../emulator/index.js';
import type { ValidateResult } from '../../emulator/validation.js';

export const YAML = 'application/x-yaml';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtures = path.join(repoRoot, '__tests__', 'fixtures', 'emulator');

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json: <T = unknown>() => T;
  bytes: Buffer;
}

export interface CallOptions {
  body?: string | Buffer | FormData;
  contentType?: string;
  headers?: Record<string, string>;
}

export async function call(
  e: Emulator,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.contentType) headers['content-type'] = opts.contentType;
  const body = Buffer.isBuffer(opts.body) ? new Uint8Array(opts.body) : opts.body;
  const res = await fetch(e.url + path, { method, body, headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  return { status: res.status, headers: res.headers, text, bytes, json: <T>() => JSON.parse(text) as T };
}

/** POST a YAML body. */
export const postYaml = (e: Emulator, path: string, body: string): Promise<Answer> =>
  call(e, 'POST', path, { body, contentType: YAML });

/** A multipart body with file parts (filename given) or plain fields. */
export function form(
  parts: { name: string; content: string | Buffer; filename?: string; type?: string }[],
): FormData {
  const fd = new FormData();
  for (const p of parts) {
    if (p.filename === undefined) fd.append(p.name, p.content.toString());
    else {
      const data = typeof p.content === 'string' ? p.content : new Uint8Array(p.content);
      fd.append(p.name, new Blob([data], { type: p.type ?? 'application/x-yaml' }), p.filename);
    }
  }
  return fd;
}

/** A valid flow with one Log task (`extra` is appended verbatim). */
export const flow = (id: string, namespace = 'company.team', extra = ''): string =>
  `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: Hello ${id}\n${extra}`;

export interface FlowJson {
  id: string;
  namespace: string;
  revision: number;
  source?: string;
  deleted: boolean;
  tenantId?: string;
  [key: string]: unknown;
}

/** One entry of the validate answer, as the emulator defines it. */
export type ValidateJson = ValidateResult;

export interface ErrorJson {
  message: string;
  _links: { self: { href: string; templated: boolean } };
  _embedded?: { errors: { message: string; path: string }[] };
}

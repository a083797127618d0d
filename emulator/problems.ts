// Kestra 2.0's error body: RFC 9457 problem details (docs/kestra-api.md#errors), served as
// `application/problem+json` in place of 1.x's JsonError. The emulator keeps its 1.x HttpError model and
// renders it in this shape when the version has `problemDetails`.
import type { HttpError, ViolationEntry } from './errors.js';

export const PROBLEM_JSON = 'application/problem+json';
export const PROBLEM_BASE = 'https://kestra.io/docs/api-reference/problems/';

/** Titles are fixed per type. The slugs of 400/403/405/415/500 are not in our notes: guessed, kept generic. */
const BY_STATUS: Record<number, { slug: string; title: string }> = {
  400: { slug: 'bad-request', title: 'Bad request' },
  401: { slug: 'unauthenticated', title: 'Authentication required' },
  403: { slug: 'forbidden', title: 'Forbidden' },
  404: { slug: 'not-found', title: 'Resource not found' },
  405: { slug: 'method-not-allowed', title: 'Method not allowed' },
  409: { slug: 'conflict', title: 'Conflict' },
  415: { slug: 'unsupported-media-type', title: 'Unsupported media type' },
  422: { slug: 'validation-failed', title: 'Validation failed' },
};
const TITLES: Record<string, string> = {
  'entity-already-exists': 'Entity already exists',
  'bulk-validation-failed': 'Bulk validation failed',
};

/** `Not Found: x` → `x`: the JsonError message minus its reason prefix (the title says that now). */
function detailOf(error: HttpError): string {
  const m = /^[A-Z][A-Za-z ]*: ([\s\S]*)$/.exec(error.message);
  return m ? m[1]! : error.message;
}

/** `flow.tasks[0].id` → `/flow/tasks/0/id` (a JSON pointer into the request, as 2.0's `pointer`). */
export function pointerOf(path: string): string {
  const parts = path.split(/[.[\]]+/).filter((p) => p !== '');
  return '/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

function errorEntry(v: ViolationEntry): Record<string, string> {
  return { detail: v.message, pointer: pointerOf(v.path), path: v.path };
}

/** The problem document for `error` answered to a request on `instance` (the path, no query). */
export function problemBody(error: HttpError, instance: string): Record<string, unknown> {
  const known = error.options.problem ?? BY_STATUS[error.status]?.slug;
  const slug = known ?? (error.status >= 500 ? 'internal-error' : 'about-blank');
  const title =
    TITLES[slug] ??
    BY_STATUS[error.status]?.title ??
    (error.status >= 500 ? 'Internal server error' : 'Request failed');
  // On 5xx, 2.0 hides the exception behind a fixed sentence and a trace id for the server logs.
  const server = error.status >= 500;
  const body: Record<string, unknown> = {
    type: PROBLEM_BASE + slug,
    title,
    status: error.status,
    detail: server ? 'An unexpected error occurred; quote the traceId when reporting it.' : detailOf(error),
    instance,
  };
  if (error.options.errors?.length) body.errors = error.options.errors.map(errorEntry);
  if (server) body.traceId = 'emulator-trace';
  return body;
}

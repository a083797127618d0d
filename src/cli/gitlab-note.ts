// The merge request's sticky note: one per job, found again by its hidden marker (src/render/marker.ts) and
// edited in place, through GitLab's REST API. Every failure is one warning that says what to do: a note is
// feedback, never the run's result. Node's own fetch: undici is the Kestra client's (src/kestra/).

/** The whole upsert (listing every page, then create or update) gives up after this. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** GitLab refuses a note longer than this. */
export const NOTE_LIMIT = 1_000_000;
/** Pages of 100 notes read at most: a merge request with more is not one to scan to the end. */
const MAX_PAGES = 100;

const PREFIX = 'Cannot write the merge request note';

interface Note {
  id: number;
  body?: string;
  system?: boolean;
}

/** A refused request: its status and GitLab's own message. */
class GitLabAnswer extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`GitLab answered ${status}`);
  }
}

/** GitLab's `message` or `error` (a string, a list, or a field → messages map), in one line. */
async function gitlabMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let value: unknown = text;
  try {
    const json = JSON.parse(text) as { message?: unknown; error?: unknown };
    value = json.message ?? json.error ?? text;
  } catch {
    // not JSON: the text itself
  }
  const flat = typeof value === 'string' ? value : JSON.stringify(value);
  return flat.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/**
 * What to do about a failure, in one warning. The job token's 401/403 gets its own words: GitLab does not
 * let CI_JOB_TOKEN write notes, so the fix is another token, not another scope.
 */
function advice(error: unknown, where: string, apiUrl: string, jobToken: boolean, timeoutMs: number): string {
  if (error instanceof GitLabAnswer) {
    const said = error.detail ? ` (${error.detail})` : '';
    if (jobToken && (error.status === 401 || error.status === 403)) {
      return `${PREFIX}: GitLab answered ${error.status}${said}: CI_JOB_TOKEN cannot write merge request notes. Create a project access token with the 'api' scope and the Reporter role, store it as a masked CI/CD variable GITLAB_TOKEN, and run again.`;
    }
    switch (error.status) {
      case 401:
        return `${PREFIX}: GitLab answered 401${said}: the token is not valid (revoked, expired or mistyped). Store a valid access token with the 'api' scope in the GITLAB_TOKEN CI/CD variable.`;
      case 403:
        return `${PREFIX}: GitLab answered 403${said}: the token may not write notes here. It needs the 'api' scope and at least the Reporter role on ${where}.`;
      case 404:
        return `${PREFIX}: GitLab answered 404${said} for ${where}: check CI_PROJECT_ID and CI_MERGE_REQUEST_IID, and that the token's user can see the project (GitLab answers 404 for a project it hides).`;
      case 429:
        return `${PREFIX}: GitLab answered 429${said}: too many requests; the next run will update the note.`;
      default:
        return `${PREFIX}: GitLab answered ${error.status}${said} for ${where}.`;
    }
  }
  const e = error as { name?: string; message?: string; cause?: { message?: string; code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return `${PREFIX}: ${apiUrl} did not answer within ${timeoutMs / 1000} s.`;
  }
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `${PREFIX}: cannot reach ${apiUrl}: ${e?.message ?? String(error)}${cause ? ` (${cause})` : ''}. Check CI_API_V4_URL and the runner's network.`;
}

/**
 * Creates or updates the note that holds `marker` on the merge request. The token goes in `PRIVATE-TOKEN`
 * (a personal, project or group access token with the `api` scope), or in `JOB-TOKEN` when it is the job's
 * own CI_JOB_TOKEN (`env`, default process.env), which GitLab refuses for notes today: the warning says so.
 * The token is never written anywhere but that header.
 */
export async function upsertMergeRequestNote(options: {
  apiUrl: string;
  projectId: string;
  mergeRequestIid: string;
  token: string;
  marker: string;
  body: string;
  warn: (m: string) => void;
  info: (m: string) => void;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<void> {
  const { token, marker, info } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A server's message could echo what it was sent: nothing said here may hold the token.
  const warn = (m: string): void => options.warn(token ? m.split(token).join('***') : m);
  if (!marker.trim()) {
    // An empty marker would match every note and overwrite someone else's.
    warn(`${PREFIX}: the note marker is empty.`);
    return;
  }
  if (!token) {
    warn(
      `${PREFIX}: no token. Store an access token with the 'api' scope in the GITLAB_TOKEN CI/CD variable.`,
    );
    return;
  }
  const apiUrl = options.apiUrl.trim().replace(/\/+$/, '');
  if (!apiUrl || !options.projectId || !options.mergeRequestIid) {
    warn(
      `${PREFIX}: CI_API_V4_URL, CI_PROJECT_ID or CI_MERGE_REQUEST_IID is not set (not a merge request pipeline?).`,
    );
    return;
  }
  const where = `project ${options.projectId} merge request !${options.mergeRequestIid}`;
  const notesUrl = `${apiUrl}/projects/${encodeURIComponent(options.projectId)}/merge_requests/${encodeURIComponent(options.mergeRequestIid)}/notes`;
  const jobToken = token === (options.env ?? process.env).CI_JOB_TOKEN;
  const headers = { [jobToken ? 'JOB-TOKEN' : 'PRIVATE-TOKEN']: token, accept: 'application/json' };
  const signal = AbortSignal.timeout(timeoutMs);
  // The marker finds the note next time, so it must be in the body; the body must fit.
  let body = options.body.includes(marker) ? options.body : `${marker}\n${options.body}`;
  if (body.length > NOTE_LIMIT) body = `${body.slice(0, NOTE_LIMIT - 60)}\n\n_… cut, see the job log_\n`;

  const request = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(url, {
      ...init,
      signal,
      headers: { ...headers, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });
    if (!response.ok) throw new GitLabAnswer(response.status, await gitlabMessage(response));
    return response;
  };

  try {
    let existing: number | undefined;
    let page = '1';
    for (let read = 0; page && read < MAX_PAGES && existing === undefined; read++) {
      const response = await request(`${notesUrl}?per_page=100&page=${encodeURIComponent(page)}`);
      const notes = (await response.json()) as Note[];
      existing = notes.find((n) => !n.system && n.body?.includes(marker))?.id;
      // GitLab leaves x-next-page empty on the last page.
      page = response.headers.get('x-next-page')?.trim() ?? '';
    }
    const payload = { body: JSON.stringify({ body }) };
    if (existing !== undefined) {
      await (await request(`${notesUrl}/${existing}`, { method: 'PUT', ...payload })).arrayBuffer();
      info(`Updated the note on ${where}`);
    } else {
      await (await request(notesUrl, { method: 'POST', ...payload })).arrayBuffer();
      info(`Wrote a note on ${where}`);
    }
  } catch (error) {
    warn(advice(error, where, apiUrl, jobToken, timeoutMs));
  }
}

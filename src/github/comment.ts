// Pull-request feedback: one sticky comment per step, found again by a hidden marker and edited in place.
// The body is rendered by src/render/comment.ts and the marker by src/render/marker.ts; this side reads the
// event and speaks to GitHub's API.
import { readFileSync } from 'node:fs';
import { COMMENT_LIMIT } from '../render/comment.js';

/** The whole upsert (list, then create or update) gives up after this. */
const DEFAULT_TIMEOUT_MS = 30_000;

export const PERMISSION_WARNING =
  "Cannot comment on the pull request: the token lacks 'pull-requests: write' (add it under permissions:, see the README)";

interface PullRequestTarget {
  owner: string;
  repo: string;
  number: number;
  apiUrl: string;
  fromFork: boolean;
}

interface EventPayload {
  number?: unknown;
  pull_request?: {
    number?: unknown;
    head?: { repo?: { full_name?: string } | null };
    base?: { repo?: { full_name?: string } };
  };
  repository?: { name?: string; owner?: { login?: string } };
}

/** Where to comment, read from the runner's environment at call time (not @actions/github's frozen `context`). */
function pullRequestTarget(env: NodeJS.ProcessEnv): PullRequestTarget {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) throw new Error('GITHUB_EVENT_PATH is not set, so the pull request is unknown');
  let payload: EventPayload;
  try {
    payload = JSON.parse(readFileSync(path, 'utf8')) as EventPayload;
  } catch (error) {
    throw new Error(
      `cannot read the event payload ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const number = payload.pull_request?.number ?? payload.number;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
    throw new Error(`the event payload ${path} has no pull request number`);
  }
  const [owner, repo] = env.GITHUB_REPOSITORY
    ? env.GITHUB_REPOSITORY.split('/')
    : [payload.repository?.owner?.login, payload.repository?.name];
  if (!owner || !repo)
    throw new Error('GITHUB_REPOSITORY is not set and the event payload names no repository');
  const head = payload.pull_request?.head?.repo?.full_name;
  const base = payload.pull_request?.base?.repo?.full_name;
  return {
    owner,
    repo,
    number,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    fromFork: Boolean(head && base && head !== base),
  };
}

interface HttpFailure {
  status?: number;
  message?: string;
  cause?: { name?: string };
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> };
  name?: string;
}

/** The one warning for a failed request: permissions get their fix, anything else its status and GitHub's message. */
function describeFailure(error: unknown, apiUrl: string, timeoutMs: number): string {
  const e = (typeof error === 'object' && error ? error : { message: String(error) }) as HttpFailure;
  const data = e.response?.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : (e.message ?? 'unknown error');
  if (/Resource not accessible by integration/i.test(message)) return PERMISSION_WARNING;
  if (!e.response) {
    // Octokit wraps a fetch abort in a RequestError; the timeout shows in its cause.
    if ([e.name, e.cause?.name].some((n) => n === 'AbortError' || n === 'TimeoutError')) {
      return `Cannot comment on the pull request: ${apiUrl} did not answer within ${timeoutMs / 1000} s`;
    }
    return `Cannot comment on the pull request: cannot reach ${apiUrl}: ${message}`;
  }
  // A 403 is a missing permission unless it is a rate limit, which adding permissions would not fix.
  const rateLimited =
    /rate limit/i.test(message) || String(e.response.headers?.['x-ratelimit-remaining']) === '0';
  if (e.status === 403 && !rateLimited) return PERMISSION_WARNING;
  return `Cannot comment on the pull request: GitHub answered ${e.status}: ${message}`;
}

/** Creates or updates the one comment that holds `marker` on the current pull request. */
export async function upsertPullRequestComment(options: {
  token: string;
  marker: string;
  body: string;
  warn: (message: string) => void;
  info: (message: string) => void;
  /** Defaults to process.env: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<'created' | 'updated' | 'skipped'> {
  const { token, marker, warn, info } = options;
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const event = env.GITHUB_EVENT_NAME;
  if (event !== 'pull_request' && event !== 'pull_request_target') {
    info(`No pull request comment: the event is ${event ? `'${event}'` : 'unknown'}, not a pull request`);
    return 'skipped';
  }
  if (!marker.trim()) {
    // An empty marker would match every comment on the pull request and overwrite someone else's.
    warn('Cannot comment on the pull request: the comment marker is empty');
    return 'skipped';
  }
  if (!token) {
    warn('Cannot comment on the pull request: no GitHub token was given (pass `${{ github.token }}`)');
    return 'skipped';
  }
  let target: PullRequestTarget;
  try {
    target = pullRequestTarget(env);
  } catch (error) {
    warn(`Cannot comment on the pull request: ${error instanceof Error ? error.message : String(error)}`);
    return 'skipped';
  }
  // The marker is what finds the comment next time, so it must be in the body; the body must fit.
  let body = options.body.includes(marker) ? options.body : `${marker}\n${options.body}`;
  if (body.length > COMMENT_LIMIT)
    body = `${body.slice(0, COMMENT_LIMIT - 60)}\n\n_… cut, see the job summary_\n`;

  const { owner, repo, number, apiUrl } = target;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    // Loaded only here: @actions/github parses GITHUB_EVENT_PATH as it loads and throws on a bad file,
    // which must not crash a run that comments nowhere. Eager: the bundle stays one file.
    const { getOctokit } = await import(/* webpackMode: "eager" */ '@actions/github');
    const octokit = getOctokit(token, { baseUrl: apiUrl });
    // Octokit has no timeout, and its paginator drops per-call request options: a hook bounds every request.
    octokit.hook.before('request', (o) => {
      o.request = { ...o.request, signal };
    });
    let existing: number | undefined;
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: number,
      per_page: 100,
    });
    for await (const page of pages) {
      existing = page.data.find((c) => c.body?.includes(marker))?.id;
      if (existing !== undefined) break;
    }
    if (existing !== undefined) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing, body });
      info(`Updated the comment on pull request #${number} (${owner}/${repo})`);
      return 'updated';
    }
    await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body });
    info(`Commented on pull request #${number} (${owner}/${repo})`);
    return 'created';
  } catch (error) {
    const message = describeFailure(error, apiUrl, timeoutMs);
    warn(message);
    if (message === PERMISSION_WARNING && target.fromFork && event === 'pull_request') {
      info(
        'This pull request comes from a fork: GitHub gives its workflows a read-only token. The job summary has the results.',
      );
    }
    return 'skipped';
  }
}

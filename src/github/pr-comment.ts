// Pull-request feedback: one sticky comment per step, found again by a hidden marker and edited in place.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ACTION_SIGN, actionWord, countActions, escapeHtml, leftUndone } from './report.js';
import type {
  DeployReport,
  DeployResult,
  FlowResult,
  NamespaceStatus,
  ValidateTotals,
} from '../model/results.js';

/** GitHub refuses a comment body longer than this (422 "Body is too long"). */
export const COMMENT_LIMIT = 65_536;

/** Room kept free below the limit for the closing lines of every section. */
const RESERVE = 2_000;
/** Tables and lists longer than this are folded into a `<details>` block. */
const FOLD_AFTER = 10;
/** One flow's messages and one message's length are capped so a single row cannot eat the budget. */
const MAX_MESSAGES_PER_ROW = 10;
const MAX_TEXT = 300;
/** The whole upsert (list, then create or update) gives up after this. */
const DEFAULT_TIMEOUT_MS = 30_000;

export const PERMISSION_WARNING =
  "Cannot comment on the pull request: the token lacks 'pull-requests: write' (add it under permissions:, see the README)";

/**
 * The hidden marker that finds a step's comment again. Keyed on what the step does (`scope`: the
 * resource, namespace, folder, server…) so two steps of one pull request (flows and namespace files, a
 * dev/prod matrix) keep a comment each and a re-run updates its own; `scope` is hashed, as it may name
 * internal servers. A `comment-id` (`id`) replaces the scope. The action always counts: validate and
 * deploy never share a comment.
 */
export function commentMarker(
  action: 'validate' | 'deploy',
  key: { id: string } | { scope: Record<string, unknown> },
): string {
  const tail =
    'id' in key
      ? // Percent-encoded: `-->` or a line break cannot end the HTML comment.
        `id=${encodeURIComponent(key.id)}`
      : createHash('sha256').update(JSON.stringify(key.scope)).digest('hex').slice(0, 16);
  return `<!-- kestra-actions:${action}:${tail} -->`;
}

/** Cuts long text, never between the two halves of a surrogate pair (an emoji cut in half is invalid UTF-16). */
function clip(s: string, max = MAX_TEXT): string {
  if (s.length <= max) return s;
  const end = /[\uD800-\uDBFF]/.test(s.charAt(max - 2)) ? max - 2 : max - 1;
  return `${s.slice(0, end)}…`;
}

/**
 * User text (file names, flow ids, messages) made inert inside a Markdown table cell or list item:
 * HTML is escaped, inline Markdown (emphasis, code, links, `|` cell breaks, `$` math) is backslash-escaped,
 * line breaks become `<br>`, and `@name` / `#123` get a zero-width space so nobody is pinged and no issue
 * is cross-referenced.
 */
export function escapeMarkdown(s: string): string {
  return (
    escapeHtml(s)
      .replace(/[\\`*_[\]~|$]/g, '\\$&')
      // `#` first: the `&#8203;` that `@` gets must not be split again.
      .replace(/#(?=\d)/g, '#&#8203;')
      .replace(/@(?=\w)/g, '@&#8203;')
      .replace(/\r\n?|\n/g, '<br>')
  );
}

const code = (s: string): string => `<code>${escapeMarkdown(clip(s))}</code>`;

/**
 * Appends rows while they fit in `budget` characters; returns what was kept and how many rows were left out. Rows are whole lines: a table is never cut in the middle of a row.
 */
function fit(rows: string[], budget: number): { shown: string[]; rest: number } {
  const shown: string[] = [];
  let used = 0;
  for (const row of rows) {
    if (used + row.length + 1 > budget) break;
    shown.push(row);
    used += row.length + 1;
  }
  return { shown, rest: rows.length - shown.length };
}

const moreLine = (n: number): string => `\n_… ${n} more, see the job summary_\n`;

/**
 * One section: a title line, a header (table head or nothing), the rows that fit, a "… N more" line.
 * Past FOLD_AFTER rows the section goes into a collapsed `<details>` whose summary is the title.
 */
function section(title: string, head: string, rows: string[], budget: number): string {
  if (!rows.length) return '';
  const fold = rows.length > FOLD_AFTER;
  const open = fold ? `<details><summary>${title}</summary>\n\n` : `**${title}**\n\n`;
  const close = fold ? '\n</details>\n' : '';
  const { shown, rest } = fit(rows, budget - open.length - head.length - close.length - 100);
  // No table head without a row under it: an empty table renders as a stray header.
  const list = shown.length ? `${head}${shown.join('\n')}\n` : '';
  return `${open}${list}${rest ? moreLine(rest) : ''}${close}\n`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const VALIDATE_STATUS: Record<FlowResult['status'], string> = {
  invalid: '❌ invalid',
  warning: '⚠️ warning',
  valid: '✅ valid',
};

function validateRow(r: FlowResult): string {
  const flow = r.namespace && r.id ? `${r.namespace}.${r.id}` : (r.id ?? '');
  const messages = r.messages.slice(0, MAX_MESSAGES_PER_ROW).map((m) => escapeMarkdown(clip(m)));
  if (r.messages.length > MAX_MESSAGES_PER_ROW)
    messages.push(`… ${r.messages.length - MAX_MESSAGES_PER_ROW} more`);
  return `| ${code(`${r.file}:${r.line}`)} | ${flow ? code(flow) : ''} | ${VALIDATE_STATUS[r.status]} | ${messages.join('<br>')} |`;
}

const VALIDATE_HEAD = '| File | Flow | Status | Messages |\n| --- | --- | --- | --- |\n';

/** The validate action's comment: verdict, counts, then the files and flows with errors or warnings. */
export function validateCommentBody(totals: ValidateTotals, mode: string, marker: string): string {
  const invalid = totals.results.filter((r) => r.status === 'invalid');
  const warned = totals.results.filter((r) => r.status === 'warning');
  const valid = totals.results.length - invalid.length - warned.length;
  const heading = totals.valid
    ? `### ✅ Kestra validation passed: ${plural(totals.flows, 'flow')} valid`
    : invalid.length
      ? `### ❌ Kestra validation failed: ${invalid.length} of ${totals.results.length} files or flows invalid`
      : `### ❌ Kestra validation failed: ${plural(totals.warnings, 'warning')} (warnings fail this run)`;
  const counts =
    `${plural(totals.flows, 'flow')} checked · ${invalid.length} invalid · ${warned.length} with warnings · ` +
    `${valid} valid · ${plural(totals.warnings, 'warning')} · mode: ${code(mode)}`;
  let body = `${marker}\n${heading}\n\n${counts}\n\n`;
  body += section(
    `${plural(invalid.length, 'invalid file or flow', 'invalid files or flows')}`,
    VALIDATE_HEAD,
    invalid.map(validateRow),
    COMMENT_LIMIT - RESERVE - body.length,
  );
  body += section(
    `${plural(warned.length, 'flow with warnings', 'flows with warnings')}`,
    VALIDATE_HEAD,
    warned.map(validateRow),
    COMMENT_LIMIT - RESERVE - body.length,
  );
  return body.trimEnd() + '\n';
}

const NAMESPACE_STATUS: Record<NamespaceStatus['status'], string> = {
  planned: '📝 planned',
  written: '✅ written',
  failed: '❌ failed (may be partly written)',
  skipped: '⏭️ not written',
};

const DEPLOY_ACTIONS = ['created', 'updated', 'unchanged', 'deleted'] as const;

/** The deploy action's comment: verdict, counts, the per-namespace table, then every change (not the unchanged). */
export function deployCommentBody(report: DeployReport, marker: string): string {
  const c = countActions(report.results);
  const what = report.resource === 'flows' ? 'flows' : 'namespace files';
  const failed = report.namespaces.some((n) => n.status === 'failed');
  const heading = report.dryRun
    ? `### 📝 Kestra deploy plan (dry-run): ${what}`
    : failed
      ? `### ❌ Kestra deploy of ${what} stopped`
      : `### ✅ Kestra ${what} deployed`;
  const counts = report.dryRun
    ? `${c.created} to create · ${c.updated} to update · ${c.unchanged} unchanged · ${c.deleted} to delete`
    : `${c.created} created · ${c.updated} updated · ${c.unchanged} unchanged · ${c.deleted} deleted`;
  let body = `${marker}\n${heading}\n\n${counts}\n\n`;

  // One pass over the results: a namespace table of 1,000 rows must not cost 1,000 scans of 10,000 results.
  const perNamespace = new Map<string, Record<DeployResult['action'], number>>();
  for (const r of report.results) {
    const n = perNamespace.get(r.namespace) ?? { created: 0, updated: 0, unchanged: 0, deleted: 0 };
    n[r.action]++;
    perNamespace.set(r.namespace, n);
  }
  const nsRows = report.namespaces.map((ns) => {
    const n = perNamespace.get(ns.namespace) ?? { created: 0, updated: 0, unchanged: 0, deleted: 0 };
    const undone = leftUndone(ns, report.resource).map(([title, list]) => `${title}: ${list.join(', ')}`);
    const notes = [ns.error, ...undone].filter((n): n is string => Boolean(n));
    const status = NAMESPACE_STATUS[ns.status] + notes.map((n) => `<br>${escapeMarkdown(clip(n))}`).join('');
    return `| ${code(ns.namespace)} | ${status} | ${DEPLOY_ACTIONS.map((a) => n[a]).join(' | ')} |`;
  });
  const verb = (r: DeployResult): string => `${ACTION_SIGN[r.action]} ${actionWord(r.action, report.dryRun)}`;
  const changes = report.results
    .filter((r) => r.action !== 'unchanged')
    .map((r) => {
      const file = r.file ? ` (${code(r.file)})` : '';
      return `- \`${verb(r)}\` ${code(r.namespace)} ${code(r.id ?? r.path ?? '')}${file}`;
    });
  // A thousand namespaces must not crowd out the changes, which matter more: the table gets half at most.
  const left = COMMENT_LIMIT - RESERVE - body.length;
  body += section(
    plural(report.namespaces.length, 'namespace'),
    `| Namespace | Status | ${DEPLOY_ACTIONS.map((a) => actionWord(a, report.dryRun)).join(' | ')} |\n| --- | --- | ${DEPLOY_ACTIONS.map(() => '---:').join(' | ')} |\n`,
    nsRows,
    changes.length ? Math.floor(left / 2) : left,
  );
  body += section(
    report.dryRun ? plural(changes.length, 'planned change') : plural(changes.length, 'change'),
    '',
    changes,
    COMMENT_LIMIT - RESERVE - body.length,
  );
  if (!changes.length) body += report.dryRun ? 'Nothing to change.\n' : 'Nothing changed.\n';
  return body.trimEnd() + '\n';
}

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

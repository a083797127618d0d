// The pipeline both actions run, top to bottom: discover → parse → check (→ plan → apply) → report.
import * as core from '@actions/core';
import * as path from 'node:path';
import { applyPlans } from './apply.js';
import {
  addServerResults,
  checkOffline,
  flagDuplicateFlows,
  flagNamespaceMismatch,
  sortChecked,
  type CheckedFlow,
} from './check.js';
import { DEFAULT_CONCURRENCY, mapLimit } from './concurrency.js';
import { discoverFiles } from './discover.js';
import { excludedFlowIds } from './excluded-flows.js';
import { flowsElsewhere } from './flows-elsewhere.js';
import { parseFlows } from './parse.js';
import { releaseDocument } from './release.js';
import { reparseFlow, setNamespace, setReadOnlyLabel } from './rewrite.js';
import type { ClientOptions, KestraClient } from '../kestra/api.js';
import { connect, connectionSecrets } from '../kestra/client.js';
import { scrubSecrets } from '../kestra/http.js';
import { redactServer } from '../kestra/paths.js';
import { log } from '../github/log.js';
import {
  applyFilePlan,
  discoverNamespaceFiles,
  FileApplyError,
  normaliseRemoteFolder,
  keptFileNotices,
  planNamespaceFiles,
  spaceProblems,
  type FilePlan,
} from './namespace-files.js';
import {
  commentMarker,
  deployCommentBody,
  upsertPullRequestComment,
  validateCommentBody,
} from '../github/pr-comment.js';
import {
  groupByNamespace,
  keptNotice,
  planNamespace,
  splitUnchanged,
  type FlowPlan,
  type PlanNotice,
} from './plan.js';
import {
  annotateViolations,
  failureMessage,
  logDeploy,
  setDeployOutputs,
  setValidateOutputs,
  tally,
  writeDeploySummary,
  writeValidateSummary,
  type DeployReport,
  type DeployResult,
  type ValidateTotals,
} from '../github/report.js';
import type { FlowDoc } from '../model/types.js';

export interface SourceInputs {
  workspace: string;
  directory: string;
  /** Empty: the resource's default (`**\/*.yml` and `**\/*.yaml` for flows, every file for namespace files). */
  include: string[];
  exclude: string[];
}

/** Pull-request comment settings; absent when `comment` is false. */
export interface CommentSettings {
  token: string;
  /** `comment-id`: names the comment instead of the step's inputs. */
  id?: string;
}

export interface ValidateInputs extends SourceInputs {
  comment?: CommentSettings;
  /** Absent: offline validation with the structural rules only. */
  connection?: ClientOptions;
  failOnWarnings: boolean;
}

/** What keys a step's comment (see `commentMarker`): the action's inputs that say what the step does. */
interface CommentedStep extends SourceInputs {
  comment?: CommentSettings;
  connection?: ClientOptions;
  resource?: DeployInputs['resource'];
  namespace?: string;
  to?: string;
}

function stepMarker(action: 'validate' | 'deploy', step: CommentedStep): string {
  if (step.comment?.id) return commentMarker(action, { id: step.comment.id });
  const server = step.connection
    ? redactServer(step.connection.server.trim()).replace(/\/+$/, '').toLowerCase()
    : 'offline';
  return commentMarker(action, {
    scope: {
      resource: step.resource,
      namespace: step.namespace,
      to: step.resource === 'namespace-files' ? step.to : undefined,
      directory: path.posix.normalize(step.directory.replace(/\\/g, '/')).replace(/(.)\/+$/, '$1'),
      include: step.include,
      exclude: step.exclude,
      server,
      tenant: step.connection?.tenant?.trim() || 'main',
    },
  });
}

/**
 * The step's sticky pull-request comment; its failures are warnings, never the run's result. GitHub masks
 * secrets in logs, not in comments, so any secret a server's message might echo is scrubbed from the body here.
 */
async function comment(
  action: 'validate' | 'deploy',
  step: CommentedStep,
  body: (marker: string) => string,
): Promise<void> {
  if (!step.comment) return;
  const marker = stepMarker(action, step);
  const secrets = step.connection ? connectionSecrets(step.connection) : [];
  await upsertPullRequestComment({
    token: step.comment.token,
    marker,
    body: scrubSecrets(body(marker), secrets),
    warn: core.warning,
    info: log.info,
  });
}

export async function openClient(
  connection: ClientOptions,
  sends: DeployInputs['resource'] = 'flows',
): Promise<KestraClient> {
  return connect(connection, log, sends);
}

export interface CheckOutcome {
  flows: FlowDoc[];
  checked: CheckedFlow[];
  mode: string;
}

/** Flows per validation request (Kestra's own CLI sends 100). */
const VALIDATE_BATCH = 100;
/** Validation requests in flight while the next batches are parsed. */
const VALIDATE_IN_FLIGHT = 4;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Discover, parse and check every flow; every flow that parses goes to the server, so one run reports all.
 * Parsing is the action's own main cost, so it overlaps the server's: each batch of 100 flows is sent as soon
 * as it is parsed, and the loop yields after every file so the request body streams out while the next
 * batch is parsed.
 */
export async function checkFlows(
  inputs: SourceInputs,
  client: KestraClient | undefined,
  transform: (flow: FlowDoc) => FlowDoc = (f) => f,
): Promise<CheckOutcome> {
  const files = await discoverFiles(inputs);
  log.info(`Found ${files.length} YAML files under ${inputs.directory}`);
  const flows: FlowDoc[] = [];
  const checked: CheckedFlow[] = [];
  const requests = new InFlight(VALIDATE_IN_FLIGHT);
  let batch: { flows: FlowDoc[]; checked: CheckedFlow[] } = { flows: [], checked: [] };
  const flush = async (): Promise<void> => {
    const { flows: sent, checked: verdicts } = batch;
    batch = { flows: [], checked: [] };
    if (!client || sent.length === 0) return;
    const answer = client.validateFlows(sent.map((f) => ({ source: f.source, filename: f.file })));
    await requests.add(answer.then((results) => addServerResults(verdicts, sent, results)));
  };
  // Consumed front to back so each file's bytes can go once parsed (10,000 flows hold ~15 MB of them).
  const unread = files.reverse();
  for (let file = unread.pop(); file; file = unread.pop()) {
    const parsed = parseFlows([file]);
    const checkedFlows = parsed.flows.map(transform);
    const fileChecked = checkOffline(checkedFlows, parsed.violations);
    // Checked offline: the syntax trees can go (they are parsed again only to place a server's finding).
    const released = new Map(checkedFlows.map((f) => [f, releaseDocument(f)]));
    for (const c of fileChecked) if (c.flow) c.flow = released.get(c.flow);
    const fileFlows = [...released.values()];
    flows.push(...fileFlows);
    checked.push(...fileChecked);
    batch.flows.push(...fileFlows);
    batch.checked.push(...fileChecked);
    if (batch.flows.length >= VALIDATE_BATCH) await flush();
    await yieldToEventLoop();
  }
  await flush();
  await requests.drain();
  flagDuplicateFlows(checked);
  sortChecked(checked);
  const mode = client
    ? `server ${client.info.edition} ${client.info.version}`
    : 'offline (structural rules; plugin types and properties need a server)';
  return { flows, checked, mode };
}

/** At most `limit` promises pending; the first failure is rethrown once every pending one has settled. */
class InFlight {
  private readonly pending = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  constructor(private readonly limit: number) {}

  async add(work: Promise<void>): Promise<void> {
    const tracked: Promise<void> = work
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    if (this.pending.size >= this.limit) await Promise.race(this.pending);
    if (this.failure) {
      await this.drain();
    }
  }

  async drain(): Promise<void> {
    await Promise.all(this.pending);
    if (this.failure) throw this.failure.error;
  }
}

export async function runValidate(inputs: ValidateInputs): Promise<ValidateTotals> {
  if (!inputs.connection) {
    log.info("No 'server' given: validating offline with Kestra's structural rules.");
  }
  const client = inputs.connection ? await openClient(inputs.connection) : undefined;
  const { checked, mode } = await checkFlows(inputs, client);
  const totals = tally(checked, inputs.failOnWarnings);
  annotateViolations(checked.flatMap((c) => c.violations));
  await writeValidateSummary(totals, mode);
  setValidateOutputs(totals);
  await comment('validate', inputs, (marker) => validateCommentBody(totals, mode, marker));
  log.info(
    `${totals.flows} flows checked (${mode}): ${totals.errors} invalid, ${totals.warnings} warnings` +
      (totals.valid ? '' : inputs.failOnWarnings && totals.errors === 0 ? ' (fail-on-warnings)' : ''),
  );
  return totals;
}

export interface DeployInputs extends SourceInputs {
  comment?: CommentSettings;
  connection: ClientOptions;
  resource: 'flows' | 'namespace-files';
  /** Flows: the namespace every flow must have (or is rewritten to); files: the target namespace. */
  namespace?: string;
  overrideNamespace: boolean;
  delete: boolean;
  dryRun: boolean;
  readOnly: boolean;
  failOnWarnings: boolean;
  /** Remote folder for namespace files. */
  to: string;
}

/** A deploy that was refused or stopped: the message says what was written and what to do. */
export class DeployError extends Error {
  override name = 'DeployError';
}

export async function runDeploy(inputs: DeployInputs): Promise<DeployReport> {
  const client = await beforeWriting(() => openClient(inputs.connection, inputs.resource));
  try {
    const report = await (
      inputs.resource === 'flows' ? deployFlows(client, inputs) : deployFiles(client, inputs)
    ).catch((error: unknown) => {
      // Refused before any write: the outputs still say so (zero counts), for steps that read them anyway.
      setDeployOutputs({
        resource: inputs.resource,
        dryRun: inputs.dryRun,
        namespaces: [],
        results: [],
        plan: {},
      });
      throw error;
    });
    logDeploy(report);
    await writeDeploySummary(report);
    setDeployOutputs(report);
    await comment('deploy', inputs, (marker) => deployCommentBody(report, marker));
    const failure = failureMessage(report);
    if (failure) throw new DeployError(failure);
    return report;
  } finally {
    // Nothing is in flight by now; a failing close must not hide the deploy's own result.
    await client.close().catch(() => undefined);
  }
}

/**
 * Runs a stage before the first write: a failure there (the server unreachable, a listing refused) stops
 * the deploy with nothing written, and the message says so.
 */
async function beforeWriting<T>(stage: () => Promise<T>): Promise<T> {
  try {
    return await stage();
  } catch (error) {
    if (error instanceof DeployError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DeployError(`${message} (nothing was written or deleted)`);
  }
}

/** Rewrites the namespace (override) and adds the read-only label before validation, so the server checks what is sent. */
function deployTransform(inputs: DeployInputs): (flow: FlowDoc) => FlowDoc {
  return (flow) => {
    let source = flow.source;
    // The flow's own parse serves the first rewrite; a rewritten text is parsed anew.
    const parsed = (): FlowDoc['doc'] | undefined => (source === flow.source ? flow.doc : undefined);
    if (
      inputs.namespace &&
      inputs.overrideNamespace &&
      flow.namespace &&
      flow.namespace !== inputs.namespace
    ) {
      source = setNamespace(source, inputs.namespace, parsed());
    }
    if (inputs.readOnly) source = setReadOnlyLabel(source, parsed());
    return source === flow.source ? flow : reparseFlow(flow, source);
  };
}

async function deployFlows(client: KestraClient, inputs: DeployInputs): Promise<DeployReport> {
  const { flows, checked, mode } = await beforeWriting(() =>
    checkFlows(inputs, client, deployTransform(inputs)),
  );
  if (inputs.namespace && !inputs.overrideNamespace) flagNamespaceMismatch(checked, inputs.namespace);
  const totals = tally(checked, inputs.failOnWarnings);
  annotateViolations(checked.flatMap((c) => c.violations));
  if (!totals.valid) {
    await writeValidateSummary(totals, mode);
    await comment('deploy', inputs, (marker) => validateCommentBody(totals, mode, marker));
    throw new DeployError(
      `${totals.errors} of ${totals.results.length} flows or files failed validation` +
        `${totals.errors === 0 ? ` (${totals.warnings} warnings with 'fail-on-warnings')` : ''}: nothing was written or deleted`,
    );
  }
  if (flows.length === 0) {
    throw new DeployError(
      `no Kestra flows found under '${inputs.directory}': nothing was written or deleted`,
    );
  }

  const groups = [...groupByNamespace(flows)];
  // Flows in excluded files are not this step's: with `delete`, their copies on the server stay.
  const override = inputs.overrideNamespace ? inputs.namespace : undefined;
  const excluded = inputs.delete
    ? await beforeWriting(() => excludedFlowIds(inputs, override))
    : new Map<string, Set<string>>();
  // Every namespace is read before the first write: a failed listing leaves the server untouched.
  const remote = await beforeWriting(() =>
    mapLimit(groups, DEFAULT_CONCURRENCY, ([ns]) => client.listFlows(ns)),
  );
  let plans = groups.map(([ns, local], i) =>
    planNamespace(ns, local, remote[i] ?? [], { delete: inputs.delete, excluded: excluded.get(ns) }),
  );
  const notices: PlanNotice[] = [
    ...plans
      .filter((p) => p.kept.length > 0)
      .map((p) => keptNotice(p.namespace, p.kept, "excluded by 'exclude'")),
    // With override-namespace, copies in the flows' own namespaces are there by design (one per environment).
    ...(override ? [] : await flowsElsewhere(client, plans, log.info)),
  ];

  if (inputs.dryRun) {
    plans = await beforeWriting(() => Promise.all(plans.map((p) => compareSources(client, p))));
    const results = plans.flatMap(plannedResults);
    return {
      resource: 'flows',
      dryRun: true,
      namespaces: plans.map((p) => ({ namespace: p.namespace, status: 'planned' })),
      results,
      plan: planOutput(results, notices),
      notices,
    };
  }
  const outcomes = await applyPlans(client, plans, { delete: inputs.delete });
  const results = outcomes.flatMap((o) => o.flows);
  return {
    resource: 'flows',
    dryRun: false,
    namespaces: outcomes.map(({ flows: _, ...status }) => status),
    results,
    plan: planOutput(results, notices),
    notices,
  };
}

/** Dry-run only: the server's sources tell an update from a no-op (a real deploy learns it from revisions). */
async function compareSources(client: KestraClient, plan: FlowPlan): Promise<FlowPlan> {
  const remote = await mapLimit(plan.update, DEFAULT_CONCURRENCY, (f) =>
    client.getFlow(plan.namespace, f.id as string),
  );
  return splitUnchanged(plan, new Map(plan.update.map((f, i) => [f.id as string, remote[i]?.source])));
}

function plannedResults(plan: FlowPlan): DeployResult[] {
  const row = (f: FlowDoc, action: DeployResult['action']): DeployResult => ({
    file: f.file,
    namespace: plan.namespace,
    id: f.id,
    action,
    revision: plan.revisions.get(f.id as string),
  });
  return [
    ...plan.create.map((f) => row(f, 'created')),
    ...plan.update.map((f) => row(f, 'updated')),
    ...plan.unchanged.map((f) => row(f, 'unchanged')),
    ...plan.delete.map((id): DeployResult => ({
      namespace: plan.namespace,
      id,
      action: 'deleted',
      revision: plan.revisions.get(id),
    })),
  ];
}

/**
 * The `plan` output: per namespace, the ids (or paths) in each class, and, only when there are any, the
 * notices' names under their kind (`kept`, `elsewhere`).
 */
function planOutput(
  results: DeployResult[],
  notices: PlanNotice[] = [],
): Record<string, Record<string, string[]>> {
  const plan: Record<string, Record<string, string[]>> = {};
  const entry = (namespace: string): Record<string, string[]> =>
    (plan[namespace] ??= { create: [], update: [], unchanged: [], delete: [] });
  const key = { created: 'create', updated: 'update', unchanged: 'unchanged', deleted: 'delete' } as const;
  for (const r of results) entry(r.namespace)[key[r.action]]?.push(r.id ?? r.path ?? '');
  for (const n of notices) {
    const ns = entry(n.namespace);
    ns[n.kind] = [...(ns[n.kind] ?? []), ...n.names];
  }
  return plan;
}

const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

async function deployFiles(client: KestraClient, inputs: DeployInputs): Promise<DeployReport> {
  const namespace = inputs.namespace;
  if (!namespace)
    throw new DeployError("'namespace' is required to deploy namespace files: name the target namespace");
  if (!NAMESPACE_PATTERN.test(namespace) || namespace.length > 150) {
    throw new DeployError(
      `'namespace' "${namespace}" is not a Kestra namespace: lower-case letters, digits, '.', '_' and '-'`,
    );
  }
  const to = normaliseRemoteFolder(inputs.to);
  const { files: local, rules } = await beforeWriting(() =>
    discoverNamespaceFiles(inputs.workspace, inputs.directory, core.warning, inputs),
  );
  if (local.length === 0 && inputs.delete) {
    throw new DeployError(
      `no files found under '${inputs.directory}' and 'delete' is true: refusing to empty ${namespace}${to}; nothing was written or deleted`,
    );
  }
  const reserved = local.filter((f) => `${to}${f.relative}`.startsWith('/_flows/'));
  if (reserved.length) {
    throw new DeployError(
      `${reserved.map((f) => f.file).join(', ')}: /_flows is reserved by Kestra for flows; deploy flows with 'resource: flows' or exclude them in .kestraignore. Nothing was written.`,
    );
  }
  // Kestra ≤ 1.3 stores a space as '+', 2.0 keeps it: without a version, a pruning deploy could delete
  // the very file it just uploaded under the other spelling, so it is refused (docs/kestra-api.md#file-paths).
  const spaced = to.includes(' ') || local.some((f) => f.relative.includes(' '));
  if (!client.info.known && spaced && inputs.delete) {
    throw new DeployError(
      `the server does not say its version, so it is unknown whether it stores a space in a file path as '+' ` +
        `(Kestra ≤ 1.3) or keeps it (2.0): with 'delete' a file could be deleted right after its upload. ` +
        `Rename the files with spaces, or deploy them without 'delete'. Nothing was written or deleted.`,
    );
  }
  const spacesAsPlus = client.info.known && Number(client.info.version.split('.')[0]) < 2;
  const spaces = spaceProblems(client.info.version, spacesAsPlus, to, local);
  if (spaces.refusal) throw new DeployError(spaces.refusal);
  if (spaces.warning) core.warning(spaces.warning);
  const plan = await beforeWriting(() =>
    planNamespaceFiles(client, namespace, to, local, { delete: inputs.delete, spacesAsPlus, rules }),
  );
  const notices = keptFileNotices(plan);
  const planned = plannedFiles(plan);
  if (inputs.dryRun) {
    return {
      resource: 'namespace-files',
      dryRun: true,
      namespaces: [{ namespace, status: 'planned' }],
      results: planned,
      plan: planOutput(planned, notices),
      notices,
    };
  }
  try {
    const results: DeployResult[] = (await applyFilePlan(client, plan)).map((o) => ({ namespace, ...o }));
    return {
      resource: 'namespace-files',
      dryRun: false,
      namespaces: [{ namespace, status: 'written' }],
      results,
      plan: planOutput(results, notices),
      notices,
    };
  } catch (error) {
    if (!(error instanceof FileApplyError)) throw error;
    // The report and the outputs hold what was done; the namespace's status lists what was not.
    const results: DeployResult[] = error.done.map((o) => ({ namespace, ...o }));
    const deletedNone = !results.some((r) => r.action === 'deleted');
    return {
      resource: 'namespace-files',
      dryRun: false,
      namespaces: [
        {
          namespace,
          status: 'failed',
          error: error.message + (deletedNone ? ' (no file was deleted)' : ''),
          failed: error.failed,
          notWritten: error.notUploaded,
          notDeleted: error.notDeleted,
        },
      ],
      results,
      plan: planOutput(results, notices),
      notices,
    };
  }
}

function plannedFiles(plan: FilePlan): DeployResult[] {
  const row =
    (action: DeployResult['action']) =>
    (f: { file: string; relative: string }): DeployResult => ({
      file: f.file,
      namespace: plan.namespace,
      path: plan.to + f.relative,
      action,
    });
  return [
    ...plan.create.map(row('created')),
    ...plan.update.map(row('updated')),
    ...plan.unchanged.map(row('unchanged')),
    ...plan.delete.map((p): DeployResult => ({ namespace: plan.namespace, path: p, action: 'deleted' })),
  ];
}

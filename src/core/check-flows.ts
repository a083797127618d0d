// The check stage over a whole directory: discover, parse, offline rules and, with a client, the server's
// verdicts, overlapped so that parsing (the run's own main cost) and the server's work go on together.
import type { KestraClient, Logger } from '../kestra/api.js';
import type { CheckedFlow } from '../model/results.js';
import type { SourceSettings } from '../model/settings.js';
import type { FlowDoc } from '../model/types.js';
import { addServerResults, checkOffline, flagDuplicateFlows, sortChecked } from './check/check.js';
import { discoverFiles } from './discover/discover.js';
import { parseFlows } from './parse/parse.js';
import { releaseDocument } from './parse/release.js';
import { releaseOf } from '../model/kestra-version.js';
import { fixFile, type Fixed, type Unfixed } from './fix/fix-file.js';
import { markNeedsServer } from './check/needs-server.js';

export interface CheckOutcome {
  flows: FlowDoc[];
  checked: CheckedFlow[];
  /** How the flows were checked, in words: `server OSS 1.3.19` or offline. */
  mode: string;
  /** The Kestra version (`major.minor`) the offline rules checked against, when there was one. */
  kestraVersion?: string;
  /** With `fix`: what was rewritten in the files, and the ForEach tasks left as written (with why). */
  fixed?: Fixed[];
  unfixed?: Unfixed[];
}

/** Flows per validation request (Kestra's own CLI sends 100). */
const VALIDATE_BATCH = 100;
/** Validation requests in flight while the next batches are parsed. */
const VALIDATE_IN_FLIGHT = 4;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Discover, parse and check every flow; every flow that parses goes to the server, so one run reports all.
 * Each batch of 100 flows is sent as soon as it is parsed, and the loop yields after every file so the
 * request body streams out while the next batch is parsed. `transform` rewrites a flow before it is
 * checked (deploy's namespace override and read-only label), so the server checks what will be sent.
 */
export async function checkFlows(
  settings: SourceSettings,
  client: KestraClient | undefined,
  log: Logger,
  transform: (flow: FlowDoc) => FlowDoc = (f) => f,
  fix = false,
): Promise<CheckOutcome> {
  // The version asked for, else the server's (a snapshot is no release: then none).
  const kestraVersion = settings.kestraVersion ?? releaseOf(client?.info.version);
  const files = await discoverFiles(settings);
  log.info(`Found ${files.length} YAML files under ${settings.directory}`);
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
  const fixed: Fixed[] = [];
  const unfixed: Unfixed[] = [];
  for (let file = unread.pop(); file; file = unread.pop()) {
    if (fix) file = await fixFile(file, kestraVersion, { fixed, unfixed }, log);
    const parsed = parseFlows([file]);
    const checkedFlows = parsed.flows.map(transform);
    const fileChecked = checkOffline(checkedFlows, parsed.violations, kestraVersion);
    if (!client) markNeedsServer(fileChecked);
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
    : "offline (structural rules and Kestra's core types; other plugins' types and properties need a server)";
  return {
    flows,
    checked,
    mode,
    ...(kestraVersion ? { kestraVersion } : {}),
    ...(fix ? { fixed, unfixed } : {}),
  };
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

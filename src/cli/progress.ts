// Progress of a long run on stderr: the stages the core logs, and what the CLI sees its Kestra client do
// (batches validated, namespaces read and written, files uploaded). On a terminal one line is redrawn in
// place; in a CI log a line is printed when a stage starts and then at most every few seconds.
import type { KestraClient } from '../kestra/api.js';
import { plural } from '../render/words.js';
import { inert, type Sink } from './terminal.js';

/** In a log (not a terminal), the least time between two counts of the same stage. */
const LOG_EVERY_MS = 5_000;

export class Progress {
  private shown = false;
  private stage = '';
  private lastLogged = 0;
  private pending: string | undefined;

  constructor(
    private readonly sink: Sink,
    private readonly enabled: boolean,
    private readonly scrub: (text: string) => string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether lines are redrawn in place (a terminal) or printed (a log). */
  private get live(): boolean {
    return this.sink.isTTY === true;
  }

  /** `text` as the state of `stage`: a new stage is always shown, a count of the same one when it is time. */
  update(stage: string, text: string): void {
    if (!this.enabled) return;
    const line = inert(this.scrub(text));
    if (this.live) {
      this.sink.write(`\r\x1b[K${line}`);
      this.shown = true;
      this.stage = stage;
      return;
    }
    // A new stage: the last count of the one before, if not printed yet, is its final state.
    if (stage !== this.stage) this.clear();
    const due = stage !== this.stage || this.now() - this.lastLogged >= LOG_EVERY_MS;
    this.stage = stage;
    if (!due) {
      this.pending = line;
      return;
    }
    this.pending = undefined;
    this.lastLogged = this.now();
    this.sink.write(`${line}\n`);
  }

  /** Before any other line: the redrawn line is erased; in a log, a count not yet printed is printed. */
  clear(): void {
    if (this.shown) {
      this.sink.write('\r\x1b[K');
      this.shown = false;
    }
    if (this.pending !== undefined) {
      const line = this.pending;
      this.pending = undefined;
      this.lastLogged = this.now();
      this.sink.write(`${line}\n`);
    }
  }
}

type Method = keyof KestraClient;
const WRITES = new Set<Method>(['bulkUpdate', 'createFlow', 'updateFlow', 'deleteFlow']);

/**
 * The client, reporting each call to `progress`: validation batches answered against flows sent, the
 * namespaces read before planning (listings, then flow exports), the namespaces written (K of the N read), files uploaded.
 */
export function observeClient(client: KestraClient, progress: Progress): KestraClient {
  let sent = 0;
  let answered = 0;
  const listed = new Set<string>();
  const written: string[] = [];
  let compared = 0;
  let exported = 0;
  let uploaded = 0;
  let deleted = 0;

  const validating = (): void =>
    progress.update('validate', `Validating on the server: ${answered} of ${sent} flows answered`);
  const before = (method: Method, args: unknown[]): void => {
    const namespace = typeof args[0] === 'string' ? args[0] : '';
    if (method === 'validateFlows') {
      sent += (args[0] as unknown[]).length;
      validating();
    } else if (method === 'listFlows' || method === 'listFilesRecursive' || method === 'exportFiles') {
      listed.add(namespace);
      progress.update('plan', `Planning: ${plural(listed.size, 'namespace')} read from the server`);
    } else if (method === 'exportFlows') {
      progress.update('export', `Planning: flow sources of ${plural(++exported, 'namespace')} read`);
    } else if (method === 'getFlow') {
      progress.update('compare', `Planning: ${plural(++compared, 'flow')} compared with the server`);
    } else if (WRITES.has(method)) {
      if (method !== 'createFlow' && !written.includes(namespace)) written.push(namespace);
      const k = Math.max(written.length, 1);
      const n = Math.max(listed.size, k);
      progress.update('apply', `Deploying: namespace ${k}/${n}${namespace ? ` (${namespace})` : ''}`);
    } else if (method === 'uploadFile' || method === 'uploadBatch') {
      uploaded += method === 'uploadBatch' ? (args[1] as unknown[]).length : 1;
      progress.update('upload', `Deploying: ${plural(uploaded, 'file')} uploaded`);
    } else if (method === 'deleteFile') {
      progress.update('prune', `Deploying: ${plural(++deleted, 'file')} deleted`);
    }
  };
  const after = (method: Method, count: number): void => {
    if (method !== 'validateFlows') return;
    answered += count;
    validating();
  };

  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = property as Method;
      return (...args: unknown[]): unknown => {
        before(method, args);
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (method === 'validateFlows' && result instanceof Promise) {
          return result.then((answer: unknown[]) => {
            after(method, answer.length);
            return answer;
          });
        }
        return result;
      };
    },
  });
}

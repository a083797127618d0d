// The transport: one undici dispatcher, per-request timeouts, retries with backoff, errors mapped to
// KestraError. Knows nothing of Kestra's endpoints (client.ts does).
//
// TLS: a private CA given by NODE_EXTRA_CA_CERTS is trusted by undici automatically (Node adds it to the
// default CA store that undici's connector uses), so there is no option for it here.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, EnvHttpProxyAgent, Pool, request, type Dispatcher, type FormData } from 'undici';
import type { Logger, RetryOptions } from './api.js';
import {
  type ErrorContext,
  KestraError,
  errorCode,
  httpError,
  isRetryableNetworkCode,
  networkError,
} from './errors.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Body = string | Buffer | FormData;

export interface HttpCall {
  method: Method;
  /** Path from the server root, query included (already encoded). */
  path: string;
  contentType?: string;
  /** Builds the body; called once per attempt because a multipart body cannot be sent twice. */
  body?: () => Body;
  /** Statuses handed back to the caller instead of thrown (e.g. 404 for "does it exist?"). */
  pass?: number[];
  /** For the 403 hint. */
  namespace?: string;
  /** A success body past this many bytes is not read: the answer comes back empty, with `tooLarge`. */
  maxBytes?: number;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: Buffer;
  url: string;
  /** Attempts it took (> 1 means an earlier attempt may have reached the server). */
  attempts: number;
  /** The success body passed `maxBytes`, so it was left unread (`body` is empty). */
  tooLarge?: boolean;
}

export interface TransportOptions {
  server: string;
  headers: Record<string, string>;
  timeoutSeconds: number;
  retry?: RetryOptions;
  log?: Logger;
  context: ErrorContext;
  env?: NodeJS.ProcessEnv;
  /** Values to scrub from messages besides those of `headers` (credentials that may be sent later). */
  secrets?: string[];
  /** The jitter's random source, in [0, 1) (tests fix it). */
  random?: () => number;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);

/** A proxy-aware dispatcher when HTTP(S)_PROXY is set (NO_PROXY honoured), a plain Agent otherwise. */
export function createDispatcher(timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Dispatcher {
  const opts = { connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
  const httpProxy = env.http_proxy || env.HTTP_PROXY;
  const httpsProxy = env.https_proxy || env.HTTPS_PROXY;
  if (!httpProxy && !httpsProxy) return new Agent(opts);
  // As curl does: HTTPS_PROXY for https URLs, HTTP_PROXY for http ones (and for https when HTTPS_PROXY is unset).
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  return new EnvHttpProxyAgent({
    ...opts,
    httpProxy: httpProxy || '',
    httpsProxy: httpsProxy || httpProxy,
    noProxy,
    clientFactory: proxyClient,
  });
}

/**
 * The connection to the proxy. When a proxy closes the connection during CONNECT (a denied host, say), undici 7
 * reports UND_ERR_SOCKET, keeps the request queued and reconnects at once, in a tight loop that ignores the
 * request's timeout (nodejs/undici#3897, fixed in undici 8, which needs Node ≥ 22.19). Reported as a reset
 * instead, the error reaches the request, and the client's own bounded retries take over.
 */
function proxyClient(origin: URL, options: object): Dispatcher {
  const pool = new Pool(origin, options);
  const connect = pool.connect.bind(pool) as (
    params: Dispatcher.ConnectOptions,
  ) => Promise<Dispatcher.ConnectData>;
  Object.assign(pool, {
    connect: async (params: Dispatcher.ConnectOptions): Promise<Dispatcher.ConnectData> => {
      try {
        return await connect(params);
      } catch (error) {
        if (errorCode(error) !== 'UND_ERR_SOCKET') throw error;
        throw Object.assign(new Error('the proxy closed the connection'), {
          code: 'ECONNRESET',
          cause: error,
        });
      }
    },
  });
  return pool;
}

export class Transport {
  requestCount = 0;
  /** Mutable: the client fills in edition and tenant routing once /configs has answered. */
  readonly context: ErrorContext;
  private readonly dispatcher: Dispatcher;
  private readonly retry: Required<RetryOptions>;
  private readonly timeoutMs: number;
  /** Header values (and the password inside Basic auth) that must never appear in a message. */
  private secrets: string[];

  constructor(private readonly opts: TransportOptions) {
    this.timeoutMs = Math.max(1, opts.timeoutSeconds) * 1000;
    this.context = opts.context;
    this.retry = {
      attempts: Math.max(1, opts.retry?.attempts ?? 4),
      baseMs: opts.retry?.baseMs ?? 500,
      maxDelayMs: opts.retry?.maxDelayMs ?? 10_000,
      totalMs: opts.retry?.totalMs ?? 120_000,
    };
    this.secrets = mergeSecrets(secretsOf(opts.headers), opts.secrets ?? []);
    const env = opts.env ?? process.env;
    this.dispatcher = createDispatcher(this.timeoutMs, env);
    if (this.dispatcher instanceof EnvHttpProxyAgent) {
      // The proxy URL itself is not logged: it may carry credentials.
      opts.log?.debug('Kestra client: using the proxy from HTTP(S)_PROXY (NO_PROXY honoured)');
    }
  }

  /**
   * Sends `call`, retrying connection errors, timeouts, 429 and 503 (after their Retry-After), 502 and 504 with
   * exponential backoff and equal jitter (`backoffDelay`), within `retry.attempts` and the `retry.totalMs` budget.
   * Every endpoint the client calls is safe to repeat (see the notes in client.ts).
   */
  async send(call: HttpCall): Promise<HttpAnswer> {
    const url = this.opts.server + call.path;
    const start = Date.now();
    const { attempts, totalMs } = this.retry;
    for (let attempt = 1; ; attempt++) {
      const budget = totalMs - (Date.now() - start);
      const timeoutMs = Math.max(1, Math.min(this.timeoutMs, budget));
      const sentAt = Date.now();
      this.requestCount++;
      let res: Dispatcher.ResponseData;
      let body: Buffer;
      try {
        res = await request(url, {
          method: call.method,
          headers: this.headers(call),
          body: call.body?.(),
          dispatcher: this.dispatcher,
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await readBody(res, call.maxBytes);
      } catch (err) {
        const code = errorCode(err);
        this.opts.log?.debug(`${call.method} ${url} → ${code ?? 'error'} (${Date.now() - sentAt} ms)`);
        const delay = this.backoff(attempt);
        if (isRetryableNetworkCode(code) && this.canRetry(attempt, start, delay)) {
          this.opts.log?.warning(
            `${call.method} ${url} failed (${code}); retry ${attempt}/${attempts - 1} in ${seconds(delay)}`,
          );
          await sleep(delay);
          continue;
        }
        throw this.scrub(withAttempts(networkError(call.method, url, err, this.context), attempt));
      }
      const status = res.statusCode;
      this.opts.log?.debug(`${call.method} ${url} → ${status} (${Date.now() - sentAt} ms)`);
      if (RETRY_STATUSES.has(status)) {
        const delay =
          (status === 429 || status === 503 ? retryAfterMs(res.headers['retry-after']) : undefined) ??
          this.backoff(attempt);
        if (this.canRetry(attempt, start, delay)) {
          this.opts.log?.warning(
            `${call.method} ${url} answered ${status}; retry ${attempt}/${attempts - 1} in ${seconds(delay)}`,
          );
          await sleep(delay);
          continue;
        }
      }
      const contentType = header(res.headers['content-type']);
      if ((status >= 200 && status < 300) || call.pass?.includes(status)) {
        const tooLarge = body === TOO_LARGE || undefined;
        return {
          status,
          contentType,
          body: tooLarge ? Buffer.alloc(0) : body,
          url,
          attempts: attempt,
          tooLarge,
        };
      }
      const err = httpError(call.method, url, status, contentType, body.toString('utf8'), {
        ...this.context,
        namespace: call.namespace,
      });
      if (status >= 300 && status < 400 && res.headers.location) {
        err.message += `: the server redirects to ${header(res.headers.location)}; set 'server' to that address`;
      }
      throw this.scrub(withAttempts(err, attempt));
    }
  }

  /**
   * The `Authorization` header of the next requests, and what the 401 hint says was sent: connect() picks
   * the credentials once it knows the edition.
   */
  setAuthorization(value: string, auth: 'basic' | 'bearer'): void {
    this.opts.headers.authorization = value;
    this.secrets = mergeSecrets(this.secrets, secretsOf({ authorization: value }));
    this.context.auth = auth;
  }

  /** `text` with every known secret replaced by `***` (server messages are quoted in logs and comments). */
  scrubText(text: string): string {
    return scrubSecrets(text, this.secrets);
  }

  /**
   * A proxy or server may echo the request's credentials in its error page, and the message quotes that page:
   * the runner masks registered secrets, but act and local runs do not, so they are removed here too.
   */
  private scrub(err: KestraError): KestraError {
    const clean = (text: string): string => this.scrubText(text);
    err.message = clean(err.message);
    if (err.serverMessage) err.serverMessage = clean(err.serverMessage);
    for (const d of err.details) d.message = clean(d.message);
    return err;
  }

  /** `send` and parse the JSON answer. */
  async json<T>(call: HttpCall): Promise<{ status: number; value: T; attempts: number }> {
    const answer = await this.send(call);
    return { status: answer.status, value: this.parse<T>(answer, call.method), attempts: answer.attempts };
  }

  /** The JSON of an answer; a non-JSON 2xx (an SSO page, a proxy) is an error. */
  parse<T>(answer: HttpAnswer, method: Method): T {
    const text = answer.body.toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch {
      const err = httpError(
        method,
        answer.url,
        answer.status,
        'text/plain',
        text || '(empty body)',
        this.context,
      );
      err.message =
        err.message.replace(/ \(not a Kestra answer.*$/, '') + ' (expected JSON: is this a Kestra server?)';
      throw this.scrub(err);
    }
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  private headers(call: HttpCall): Record<string, string> {
    const h: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'kestra-actions',
      ...this.opts.headers,
    };
    // FormData sets its own multipart content type with the boundary.
    if (call.contentType) h['content-type'] = call.contentType;
    return h;
  }

  private backoff(attempt: number): number {
    return backoffDelay(attempt, this.retry, this.opts.random ?? Math.random);
  }

  private canRetry(attempt: number, start: number, delay: number): boolean {
    return attempt < this.retry.attempts && Date.now() - start + delay < this.retry.totalMs;
  }
}

/** The values of the request headers, the token or base64 after an auth scheme, and a Basic password. */
export function secretsOf(headers: Record<string, string>): string[] {
  const found = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'accept' || name === 'content-type' || name === 'user-agent') continue;
    found.add(value);
    const scheme = /^(basic|bearer)\s+(.+)$/i.exec(value);
    if (scheme?.[2]) {
      found.add(scheme[2]);
      if (scheme[1]?.toLowerCase() === 'basic') {
        const decoded = Buffer.from(scheme[2], 'base64').toString('utf8');
        const password = decoded.slice(decoded.indexOf(':') + 1);
        if (decoded.includes(':') && password) found.add(password);
      }
    }
  }
  // Short values would scrub ordinary words; the longest first, so a value inside another goes with it.
  return [...found].filter((v) => v.length >= 6).sort((a, b) => b.length - a.length);
}

/** `text` with each of `secrets` (as `secretsOf` lists them: the longest first) replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, secret) => t.split(secret).join('***'), text);
}

/** Both lists as one, the longest first (as secretsOf orders them). */
const mergeSecrets = (a: string[], b: string[]): string[] =>
  [...new Set([...a, ...b])].sort((x, y) => y.length - x.length);

/**
 * The pause before retry `attempt` (1-based), "equal jitter": half of the exponential step for sure, the other
 * half at random, the step capped at `maxDelayMs`. Below the cap a pause is at least as long as the one before
 * could have been (its floor is the previous step), so the pauses grow while the jitter still spreads clients
 * apart; full jitter (random over the whole step) can give 0.3 s, 0.2 s, 1.4 s.
 */
export function backoffDelay(
  attempt: number,
  retry: { baseMs: number; maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const step = Math.min(retry.maxDelayMs, retry.baseMs * 2 ** (attempt - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(step / 2 + r * (step / 2));
}

/** `Retry-After` in seconds or as an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const v = header(value).trim();
  if (v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const header = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function withAttempts(err: KestraError, attempts: number): KestraError {
  err.attempts = attempts;
  if (attempts > 1) err.message += ` (after ${attempts} attempts)`;
  return err;
}

/** Marks a body left unread because it passed the call's `maxBytes`. */
const TOO_LARGE = Buffer.alloc(0);

/**
 * The whole body, or TOO_LARGE as soon as it passes `maxBytes` (by its Content-Length, or while reading):
 * a namespace export can be far larger than a deploy should hold in memory.
 */
async function readBody(res: Dispatcher.ResponseData, maxBytes: number | undefined): Promise<Buffer> {
  if (maxBytes === undefined || res.statusCode < 200 || res.statusCode >= 300)
    return Buffer.from(await res.body.arrayBuffer());
  // Destroying the body aborts the request: the abort is the point, not an error to report.
  const stop = (): Buffer => {
    res.body.on('error', () => {});
    res.body.destroy();
    return TOO_LARGE;
  };
  if (Number(header(res.headers['content-length']) || NaN) > maxBytes) return stop();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return stop();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

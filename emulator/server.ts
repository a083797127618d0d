// The HTTP front: reads each request whole, records it, applies an armed fault, authenticates, routes, and
// writes the reply or the error body the server would produce (1.x JsonError, 2.0 problem details).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticate, type AuthConfig } from './auth.js';
import { errorBody, HttpError, toHttpError } from './errors.js';
import { answers, faultAnswer, type Faults } from './faults.js';
import { PROBLEM_JSON, problemBody } from './problems.js';
import type { Reply, Router } from './router.js';
import type { Features } from './version.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  contentType: string;
  body: Buffer;
  /** Status answered; 0 while pending or when the connection was dropped. */
  status: number;
}

export interface ServerDeps {
  router: Router;
  faults: Faults;
  requests: RecordedRequest[];
  features: Features;
  auth: AuthConfig;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(
  res: ServerResponse,
  record: RecordedRequest,
  status: number,
  headers: Record<string, string>,
  body?: Buffer | string,
): void {
  record.status = status;
  const bytes = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(bytes?.length ?? 0) });
  res.end(bytes);
}

function sendReply(res: ServerResponse, record: RecordedRequest, reply: Reply): void {
  const headers = { ...reply.headers };
  if (reply.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    send(res, record, reply.status, headers, JSON.stringify(reply.json));
  } else {
    send(res, record, reply.status, headers, reply.bytes);
  }
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const href = req.url ?? '/';
  const url = new URL(href, 'http://emulator.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const record: RecordedRequest = {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: { ...req.headers },
    contentType: req.headers['content-type'] ?? '',
    body,
    status: 0,
  };
  deps.requests.push(record);

  const fault = deps.faults.take(method, url.pathname, url.searchParams);
  if (fault) {
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.drop) {
      req.socket.destroy();
      return;
    }
    if (answers(fault)) {
      const problem = deps.features.problemDetails
        ? (status: number, reason: string) => problemBody(new HttpError(status, reason), url.pathname)
        : undefined;
      const answer = faultAnswer(fault, href, problem);
      send(res, record, answer.status, answer.headers, answer.body);
      return;
    }
  }

  try {
    const denied = authenticate(req.headers, url.pathname, deps.features, deps.auth);
    if (denied) throw denied;
    const { handler, params, tenant } = deps.router.resolve(method, url.pathname);
    const reply = await handler({
      method,
      pathname: url.pathname,
      href,
      query: url.searchParams,
      headers: req.headers,
      contentType: record.contentType,
      body,
      tenant,
      params,
    });
    sendReply(res, record, reply);
  } catch (e) {
    const error = toHttpError(e);
    const headers = { ...error.options.headers };
    if (deps.features.problemDetails) {
      headers['content-type'] = PROBLEM_JSON;
      send(res, record, error.status, headers, JSON.stringify(problemBody(error, url.pathname)));
    } else if (error.options.emptyBody) {
      send(res, record, error.status, headers);
    } else {
      headers['content-type'] = 'application/json';
      send(
        res,
        record,
        error.status,
        headers,
        JSON.stringify(errorBody(href, error.message, error.options.errors)),
      );
    }
  }
}

export function createEmulatorServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((e: unknown) => {
      // Only a broken socket can get here; nothing is left to answer.
      if (!res.headersSent) res.destroy(e instanceof Error ? e : undefined);
    });
  });
}

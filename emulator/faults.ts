// Injected failures: a fault applies to the next `count` requests that match its method and path, then
// disappears. It can delay, drop the connection, or answer in place of the server (JSON or HTML error page).
import { STATUS_CODES } from 'node:http';
import { PROBLEM_JSON } from './problems.js';

export interface Fault {
  method?: string;
  /** Exact request path (without query), or a RegExp tested against it. */
  path?: string | RegExp;
  /** Query values the request must carry (e.g. `{ path: '/a.txt' }` for one file's upload). */
  query?: Record<string, string>;
  status?: number;
  /** How many matching requests it applies to (default 1). */
  count?: number;
  /** Wait before answering the fault, or before normal handling when the fault does not answer. */
  delayMs?: number;
  /** Destroy the socket without any answer. */
  drop?: boolean;
  /** Answer with an HTML error page, as a reverse proxy does. */
  html?: boolean;
  /** `Retry-After` header (seconds). */
  retryAfter?: number;
  /** Raw body to answer with instead of the default one. */
  body?: string;
}

interface Armed {
  fault: Fault;
  remaining: number;
}

export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class Faults {
  private armed: Armed[] = [];

  add(fault: Fault): void {
    this.armed.push({ fault, remaining: fault.count ?? 1 });
  }

  /** The first armed fault matching the request, consumed once; undefined when none applies. */
  take(method: string, path: string, query?: URLSearchParams): Fault | undefined {
    const hit = this.armed.find(({ fault }) => {
      if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
      for (const [k, v] of Object.entries(fault.query ?? {})) if (query?.get(k) !== v) return false;
      if (fault.path === undefined) return true;
      return typeof fault.path === 'string' ? fault.path === path : fault.path.test(path);
    });
    if (!hit) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.armed = this.armed.filter((a) => a !== hit);
    return hit.fault;
  }
}

/** Whether the fault answers by itself (otherwise it only delays normal handling). */
export const answers = (f: Fault): boolean =>
  f.status !== undefined || f.html === true || f.body !== undefined;

/**
 * What to send for an answering fault: the server's error body (a JsonError, or problem details when
 * `problem` renders one: 2.0), or a proxy's HTML page.
 */
export function faultAnswer(
  f: Fault,
  href: string,
  problem?: (status: number, reason: string) => object,
): FaultAnswer {
  const status = f.status ?? (f.html ? 502 : 500);
  const reason = STATUS_CODES[status] ?? 'Error';
  const headers: Record<string, string> = {};
  if (f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
  if (f.html) {
    headers['content-type'] = 'text/html; charset=utf-8';
    const body =
      f.body ??
      `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
    return { status, headers, body };
  }
  if (problem && f.body === undefined) {
    headers['content-type'] = PROBLEM_JSON;
    return { status, headers, body: JSON.stringify(problem(status, reason)) };
  }
  headers['content-type'] = 'application/json';
  const body = f.body ?? JSON.stringify({ message: reason, _links: { self: { href, templated: false } } });
  return { status, headers, body };
}

// A tiny real HTTP server for shapes the emulator does not produce (proxies, drops, hangs, odd bodies).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from '@jest/globals';
import { KestraError } from '../../src/kestra/errors.js';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type Handler = (req: Recorded, res: http.ServerResponse, raw: http.IncomingMessage) => void;

export interface TestServer {
  url: string;
  requests: Recorded[];
  /** Requests other than the `/api/v1/configs` of connect(). */
  calls(): Recorded[];
  close(): Promise<void>;
}

export const json = (
  res: http.ServerResponse,
  status: number,
  value: unknown,
  headers: http.OutgoingHttpHeaders = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};

/** Answers `/api/v1/configs` with `configs` (unless null) and hands every other request to `handler`. */
export async function startServer(
  handler: Handler,
  configs: object | null = { version: '1.3.19', edition: 'OSS' },
): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server = http.createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const req = {
        method: raw.method ?? '',
        url: raw.url ?? '',
        headers: raw.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(req);
      if (req.url === '/api/v1/configs' && configs) json(res, 200, configs);
      else handler(req, res, raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    calls: () => requests.filter((r) => r.url !== '/api/v1/configs'),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Fast retries for tests. */
export const fastRetry = { attempts: 4, baseMs: 5, maxDelayMs: 20 };

/** The KestraError a promise rejects with. */
export async function failure(p: Promise<unknown>): Promise<KestraError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KestraError);
    return err as KestraError;
  }
  throw new Error('expected a KestraError');
}

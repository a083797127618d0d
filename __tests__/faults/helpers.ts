// Helpers for the fault tests: run the deploy action (or the pipeline with small retry settings) against
// the emulator, and a loopback proxy that loses answers after the server has acted on the request.
import { deploySettings } from '../helpers/settings.js';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { run } from '../../deploy/main.js';
import type { Emulator } from '../../emulator/index.js';
import type { RetryOptions } from '../../src/kestra/api.js';
import { runDeploy } from '../../src/github/deploy.js';
import type { DeploySettings } from '../../src/model/settings.js';
import { fail } from '../../src/github/fail.js';
import { runMain, type MainRun } from '../helpers/run-main.js';

export const credentials = { username: 'ci@kestra.io', password: 'Secret-pass1' };

/** The deploy action as the runner calls it (default retry settings: 4 attempts, 500 ms backoff base). */
export function deployAction(
  server: string,
  workspace: string,
  inputs: Record<string, string> = {},
): Promise<MainRun> {
  return runMain(
    run,
    {
      directory: 'flows',
      server,
      user: credentials.username,
      password: credentials.password,
      ...inputs,
    },
    { workspace },
  );
}

/**
 * The deploy pipeline with the action's failure handling, but small retry settings: the action reads no
 * retry inputs, and its default backoff would make faults that outlast every attempt slow to test.
 */
export function deployPipeline(
  server: string,
  workspace: string,
  inputs: Partial<DeploySettings> = {},
  retry: RetryOptions = { attempts: 2, baseMs: 20, maxDelayMs: 50 },
): Promise<MainRun> {
  const connection = { server, user: credentials.username, password: credentials.password, retry };
  const full = deploySettings(workspace, connection, inputs);
  return runMain(async () => {
    try {
      await runDeploy(full);
    } catch (error) {
      fail(error);
    }
  }, {});
}

/** Flow write paths by server generation: 0.22 has no tenant in its paths. */
export const apiBase = (version: string): string => (version.startsWith('0.') ? '/api/v1' : '/api/v1/main');

/** The bulk path of a namespace (docs/kestra-api.md#bulk-update). */
export const bulkPath = (version: string, namespace: string): string =>
  `${apiBase(version)}/flows/${namespace}`;

/** `METHOD path?query` of every state-changing request, in order. */
export const writeLines = (kestra: Emulator): string[] =>
  kestra.writes().map((w) => `${w.method} ${w.path}${w.query.size ? `?${w.query.toString()}` : ''}`);

/** The `::error::` lines the run printed (the action's failure is one of them). */
export const errors = (r: MainRun): string[] =>
  r.annotations.filter((a) => a.level === 'error').map((a) => a.message);

export interface LossyProxy {
  url: string;
  /** Requests whose answer was thrown away. */
  lost: string[];
  close(): Promise<void>;
}

/**
 * A proxy in front of `upstream` that forwards each request and, for the next `count` requests `lose`
 * picks, waits for the server's whole answer and then cuts the client's connection: the server acted, the
 * client never learns it. The emulator's own `drop` fault cuts before the server acts.
 */
export async function lossyProxy(
  upstream: string,
  lose: (method: string, path: string) => boolean,
  count = 1,
): Promise<LossyProxy> {
  const target = new URL(upstream);
  const lost: string[] = [];
  let left = count;
  const read = async (stream: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      const answer = await new Promise<IncomingMessage>((resolve, reject) => {
        const out = request(
          { host: target.hostname, port: target.port, method, path: url, headers: req.headers },
          resolve,
        );
        out.on('error', reject);
        out.end(body);
      });
      const bytes = await read(answer);
      const path = url.split('?')[0] ?? url;
      if (left > 0 && lose(method, path)) {
        left--;
        lost.push(`${method} ${path}`);
        req.socket.destroy();
        return;
      }
      const headers = { ...answer.headers };
      delete headers['transfer-encoding'];
      res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(bytes.length) });
      res.end(bytes);
    })().catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    lost,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

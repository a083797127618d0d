// Prism (`prism proxy --errors`) in front of an upstream (the emulator), and a recorder in front of Prism
// that keeps every answer, so a test can fail on any request (or response) the OpenAPI spec rejects and
// say which one and why.
//
//   client ──► recorder ──► prism proxy (validates against the spec) ──► emulator
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const specs = path.join(repoRoot, '__tests__', 'fixtures', 'openapi');
export const SPEC = path.join(specs, 'kestra-oss-1.3.19-openapi.yml');
/** OSS 2.0 as of April 2026 (SOURCE.md): older than 2.0's problem details, so it declares no error bodies. */
export const SPEC_20 = path.join(specs, 'kestra-oss-2.0.0-SNAPSHOT-20260429-openapi.yml');
const PRISM = path.join(repoRoot, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');

export interface Answer {
  method: string;
  path: string;
  status: number;
  /** Prism's findings: its error body's `validation` list, or the `sl-violations` header of a passed answer. */
  violations: { severity: string; message: string; location?: string[] }[];
}

export interface Prism {
  /** Where the client goes (the recorder). */
  url: string;
  answers: Answer[];
  /** Readable list of every violation seen, one line each (empty when all requests matched the spec). */
  problems(): string[];
  close(): Promise<void>;
}

/**
 * The spec as Prism gets it: Kestra's file with its known gaps patched (docs/kestra-api.md#openapi-gaps), each
 * on purpose and narrowly, so that everything else is still checked against Kestra's own contract.
 */
export function patchedSpec(specFile = SPEC): string {
  const spec = parse(fs.readFileSync(specFile, 'utf8'), { maxAliasCount: -1 }) as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    components: { schemas: Record<string, unknown> };
  };
  // Gap 1: since 1.3.0 the server also takes multipart parts `flows` on the namespace update
  // (FlowController, commit f532e67be; Kestra's 1.3 CLI sends it), but the generated spec lists only
  // application/x-yaml. Declared here the way the spec declares the same form on /flows/validate.
  const bulk = spec.paths['/api/v1/{tenant}/flows/{namespace}']?.post?.requestBody;
  if (!bulk) throw new Error('spec changed: no POST /api/v1/{tenant}/flows/{namespace}');
  bulk.content['multipart/form-data'] = { schema: { type: 'object' } };

  // Gap 3: the Flow schemas do not describe real answers (labels are a list of {key,value},
  // variables have any keys, task schemas are generic, the label-key pattern uses Java's \p classes). We
  // check flow answers for the fields the client reads (FlowInfo), which the real server does send.
  const flowInfo = {
    type: 'object',
    required: ['id', 'namespace', 'revision'],
    properties: {
      id: { type: 'string' },
      namespace: { type: 'string' },
      revision: { type: 'integer', minimum: 1 },
      source: { type: 'string' },
      deleted: { type: 'boolean' },
      labels: {
        type: 'array',
        items: {
          type: 'object',
          required: ['key', 'value'],
          properties: { key: { type: 'string' }, value: { type: 'string' } },
        },
      },
    },
  };
  for (const name of ['Flow', 'FlowWithSource', 'FlowInterface']) {
    if (!spec.components.schemas[name]) throw new Error(`spec changed: no schema ${name}`);
    spec.components.schemas[name] = flowInfo;
  }
  // Gap 2: GET /flows/search and GET /flows/export/by-query mark `filters` required, but the server does not
  // need it, and its PHP-style form (`filters[q][EQUALS]=…`, `filters[namespace][EQUALS]=…`, which the client
  // sends from 1.3 on) is not one OpenAPI can declare. Below 1.3 the client sends `q` and `namespace`, that
  // server's own parameters, which 1.3's spec marks deprecated (Prism rejects deprecated parameters); the 1.3
  // test checks that 1.3 gets `filters`. The 2.0 spec has no legacy parameters any more (nothing to undeprecate).
  type Param = { name: string; required?: boolean; deprecated?: boolean };
  for (const [route, legacy] of [
    ['/api/v1/{tenant}/flows/search', 'q'],
    ['/api/v1/{tenant}/flows/export/by-query', 'namespace'],
  ] as const) {
    const params = (spec.paths[route] as { get?: { parameters?: Param[] } } | undefined)?.get?.parameters;
    const filters = params?.find((p) => p.name === 'filters');
    if (!filters) throw new Error(`spec changed: no \`filters\` on GET ${route}`);
    filters.required = false;
    const old = params?.find((p) => p.name === legacy);
    if (old) delete old.deprecated;
  }
  // Gap 5: both exports declare their ZIP answer as `format: byte` (base64 text); the server sends the
  // archive's raw bytes (`application/octet-stream`), which no base64 check passes.
  type Answers = Record<string, { content?: Record<string, { schema?: object }> }>;
  for (const route of [
    '/api/v1/{tenant}/flows/export/by-query',
    '/api/v1/{tenant}/namespaces/{namespace}/files/export',
  ]) {
    const answers = (spec.paths[route] as { get?: { responses?: Answers } } | undefined)?.get?.responses;
    const zip = answers?.['200']?.content?.['application/octet-stream'];
    if (!zip) throw new Error(`spec changed: no octet-stream answer on GET ${route}`);
    zip.schema = { type: 'string', format: 'binary' };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kestra-prism-'));
  const file = path.join(dir, 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  return file;
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts Prism in proxy mode before `upstream`, and the recorder before Prism. */
export async function startPrism(upstream: string, specFile = SPEC): Promise<Prism> {
  const spec = patchedSpec(specFile);
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [PRISM, 'proxy', spec, upstream, '--errors', '-p', String(port), '-h', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const collect = (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start within 20 s:\n${log}`)), 20_000);
    const check = () => {
      if (/Prism is listening/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited (${code}):\n${log}`));
    });
  });
  child.removeAllListeners('exit');

  const answers: Answer[] = [];
  const agent = new http.Agent({ keepAlive: true });
  const recorder = http.createServer((req, res) => {
    const fwd = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          answers.push({
            method: req.method ?? '',
            path: req.url ?? '',
            status: up.statusCode ?? 0,
            violations: findings(up.headers, body),
          });
          res.writeHead(up.statusCode ?? 502, up.headers);
          res.end(body);
        });
      },
    );
    fwd.on('error', (err) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`recorder: ${err.message}`);
    });
    req.pipe(fwd);
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`,
    answers,
    problems: () =>
      answers.flatMap((a) =>
        a.violations
          .filter((v) => !undeclared404(a, v))
          .map(
            (v) =>
              `${a.method} ${a.path} → ${a.status}: ${v.severity} ${v.message} [${(v.location ?? []).join('.')}]`,
          ),
      ),
    close: async () => {
      recorder.closeAllConnections();
      await new Promise<void>((resolve) => recorder.close(() => resolve()));
      agent.destroy();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(); // the process this harness started, by its handle
      await exited;
      fs.rmSync(path.dirname(spec), { recursive: true, force: true });
    },
  };
}

/**
 * The spec declares only the success status of each operation, so Prism warns about every error answer.
 * The client reads a 404 on purpose (a missing flow for getFlow, a missing folder for listFilesRecursive,
 * docs/kestra-api.md#single-flow-endpoints, #namespace-files): that warning is about the spec's silence.
 */
function undeclared404(a: Answer, v: Answer['violations'][number]): boolean {
  return (
    a.status === 404 &&
    v.severity === 'Warning' &&
    v.message.startsWith('Unable to match the returned status code') &&
    (v.location ?? []).join('.') === 'response'
  );
}

/** Prism's verdict on one exchange: its problem+json error body, or its `sl-violations` header. */
function findings(headers: http.IncomingHttpHeaders, body: Buffer): Answer['violations'] {
  const out: Answer['violations'] = [];
  const header = headers['sl-violations'];
  if (typeof header === 'string') {
    try {
      out.push(...(JSON.parse(header) as Answer['violations']));
    } catch {
      out.push({ severity: 'Error', message: `unreadable sl-violations header: ${header}` });
    }
  }
  if (String(headers['content-type']).includes('problem+json')) {
    try {
      const problem = JSON.parse(body.toString('utf8')) as {
        type?: string;
        title?: string;
        validation?: Answer['violations'];
      };
      if (problem.type?.includes('stoplight.io/prism/errors')) {
        const listed = problem.validation ?? [];
        // The same list is often in the header too: keep one copy.
        if (out.length === 0) out.push(...listed);
        if (listed.length === 0)
          out.push({ severity: 'Error', message: `${problem.type}: ${problem.title}` });
      }
    } catch {
      out.push({
        severity: 'Error',
        message: `unreadable prism error: ${body.toString('utf8').slice(0, 200)}`,
      });
    }
  }
  return out.map((v) => ({ severity: String(v.severity), message: String(v.message), location: v.location }));
}

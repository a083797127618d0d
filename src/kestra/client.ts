// The Kestra client: one method per endpoint (docs/kestra-api.md); connect.ts detects the server and makes it.
//
// Retries (http.ts) repeat a request whose first attempt may have reached the server. Each endpoint here
// is safe to repeat:
// - validate, list, get, export, download: read-only.
// - bulk update: sets the namespace to the given state; a second run finds it there and changes nothing
//   (unchanged sources keep their revision).
// - update (PUT): sets the source; the same source again creates no revision.
// - create: a repeat after a success gets "already exists" (1.x: 422 with that text; 2.x: 409
//   entity-already-exists); we then read the flow back and, if it holds our source, report success.
// - delete flow: a repeat after a success gets 404; after a retry that means done.
// - upload: overwrites the file at `path` (1.2+ keeps one more revision, harmless).
// - delete file: a missing path answers 200.
import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import type {
  BatchFile,
  ExportedFiles,
  FileAttributes,
  FlowInfo,
  FlowSource,
  KestraClient,
  RemoteFile,
  ServerInfo,
  ValidateResult,
} from './api.js';
import { YAML, flowsMultipart, joinYaml, splitsInBulk, uploadPartName, validateBatches } from './bodies.js';
import { KestraError, isAlreadyExists } from './errors.js';
import { exportFiles, uploadBatch } from './file-batches.js';
import type { HttpCall, Transport } from './http.js';
import { Paths, filePath } from './paths.js';
import { readZip } from './zip.js';

export class Client implements KestraClient {
  private readonly paths: Paths;

  constructor(
    private readonly http: Transport,
    readonly info: ServerInfo,
    readonly server: string,
    readonly tenant: string,
  ) {
    this.paths = new Paths(info, tenant);
  }

  get requestCount(): number {
    return this.http.requestCount;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  async validateFlows(flows: FlowSource[]): Promise<ValidateResult[]> {
    const results: ValidateResult[] = [];
    const queue = validateBatches(flows, this.info.multipart);
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      const answer = await this.validateBatch(batch.map((i) => flows[i] as FlowSource));
      if (answer.length === batch.length) {
        answer.forEach((r, k) => {
          const i = batch[k] as number;
          results[i] = { ...r, index: i, filename: r.filename ?? flows[i]?.filename };
        });
      } else if (batch.length > 1) {
        // The server cut a flow we thought safe: send each one alone to keep results tied to flows.
        queue.unshift(...batch.map((i) => [i]));
      } else {
        const i = batch[0] as number;
        results[i] = mergeSolo(answer, i, flows[i]?.filename ?? '');
      }
    }
    return results;
  }

  private async validateBatch(batch: FlowSource[]): Promise<ValidateResult[]> {
    const multipart = this.info.multipart;
    const { value } = await this.http.json<unknown>({
      method: 'POST',
      path: this.paths.validate(),
      ...(multipart ? multipartCall(batch) : { contentType: YAML, body: () => joinYaml(batch) }),
    });
    const list = this.expectArray<ValidateResult>(value, 'POST', this.paths.validate());
    // Verdicts end up in annotations, the summary and PR comments (which GitHub does not mask): no secret
    // a server might echo goes further than here.
    const scrub = (text: string): string => this.http.scrubText(text);
    const clean = list.map((r) => ({
      ...r,
      constraints: r.constraints === undefined ? undefined : scrub(r.constraints),
      warnings: r.warnings?.map(scrub),
      infos: r.infos?.map(scrub),
    }));
    // The server answers in request order and says so in `index`: order by it rather than trust the array.
    return clean.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  }

  private expectArray<T>(value: unknown, method: string, path: string): T[] {
    if (Array.isArray(value)) return value as T[];
    const url = this.server + path;
    const got = JSON.stringify(value)?.slice(0, 100);
    throw new KestraError(`${method} ${url} answered ${got}, not a JSON array: is this a Kestra server?`, {
      method,
      url,
    });
  }

  async listFlows(namespace: string): Promise<FlowInfo[]> {
    const path = this.paths.namespaceFlows(namespace);
    const { value } = await this.http.json<unknown>({ method: 'GET', path, namespace });
    return this.expectArray<FlowInfo>(value, 'GET', path).map(summary);
  }

  async getFlow(namespace: string, id: string): Promise<FlowInfo | undefined> {
    const call: HttpCall = {
      method: 'GET',
      path: this.paths.flow(namespace, id, '?source=true'),
      namespace,
      pass: [404],
    };
    const answer = await this.http.send(call);
    return answer.status === 404 ? undefined : this.http.parse<FlowInfo>(answer, 'GET');
  }

  async exportFlows(namespace: string): Promise<{ sources: string[] } | { unusable: string }> {
    const path = this.paths.exportFlows(namespace);
    const answer = await this.http.send({ method: 'GET', path, namespace, pass: EXPORT_UNUSABLE });
    if (answer.status !== 200) return { unusable: `GET ${answer.url} answered ${answer.status}` };
    try {
      return { sources: readZip(answer.body).map((entry) => entry.data.toString('utf8')) };
    } catch (error) {
      return { unusable: `the flow export of ${namespace} does not read: ${(error as Error).message}` };
    }
  }

  async searchFlows(text: string, size: number): Promise<FlowInfo[]> {
    const path = this.paths.searchFlows(text, size);
    const { value } = await this.http.json<unknown>({ method: 'GET', path });
    const results = (value as { results?: unknown } | null)?.results;
    return this.expectArray<FlowInfo>(results, 'GET', path).map(summary);
  }

  async bulkUpdate(namespace: string, flows: FlowSource[], opts: { delete: boolean }): Promise<FlowInfo[]> {
    if (flows.length === 0) {
      // The server reads an empty body as "the namespace has no flows" and, with delete, removes them all.
      throw new Error(
        `refusing a bulk update of namespace '${namespace}' without flows: it would delete all its flows`,
      );
    }
    const multipart = this.info.multipart;
    if (!multipart) {
      const bad = flows.find((f) => splitsInBulk(f.source));
      if (bad) {
        throw new Error(
          `${bad.filename}: contains '---', which Kestra ${this.info.version} splits flows on in a bulk update ` +
            '(even inside values); deploy this flow with the single-flow endpoints, or upgrade to Kestra 1.3+',
        );
      }
    }
    const path = this.paths.namespaceFlows(namespace, `?delete=${opts.delete}`);
    const { value } = await this.http.json<unknown>({
      method: 'POST',
      path,
      namespace,
      ...(multipart ? multipartCall(flows) : { contentType: YAML, body: () => joinYaml(flows) }),
    });
    return this.expectArray<FlowInfo>(value, 'POST', path).map(summary);
  }

  async createFlow(source: string): Promise<FlowInfo> {
    try {
      const { value } = await this.http.json<FlowInfo>({
        method: 'POST',
        path: this.paths.createFlow(),
        contentType: YAML,
        body: () => source,
      });
      return value;
    } catch (err) {
      // A retried create whose first attempt succeeded: the flow is there with our source.
      if (err instanceof KestraError && err.attempts > 1 && isAlreadyExists(err)) {
        const id = /^id:\s*(\S+)/m.exec(source)?.[1];
        const ns = /^namespace:\s*(\S+)/m.exec(source)?.[1];
        const existing = id && ns ? await this.getFlow(unquote(ns), unquote(id)) : undefined;
        if (existing?.source?.trim() === source.trim()) return existing;
      }
      throw err;
    }
  }

  async updateFlow(namespace: string, id: string, source: string): Promise<FlowInfo> {
    const path = this.paths.flow(namespace, id);
    const { value } = await this.http.json<FlowInfo>({
      method: 'PUT',
      path,
      namespace,
      contentType: YAML,
      body: () => source,
    });
    return value;
  }

  async deleteFlow(namespace: string, id: string): Promise<void> {
    try {
      await this.http.send({ method: 'DELETE', path: this.paths.flow(namespace, id), namespace });
    } catch (err) {
      // 404 after a retry: an earlier attempt deleted it.
      if (err instanceof KestraError && err.status === 404 && err.attempts > 1) return;
      throw err;
    }
  }

  async listDirectory(namespace: string, path: string): Promise<FileAttributes[]> {
    const p = this.paths.files(namespace, '/directory', filePath(path));
    const { value } = await this.http.json<unknown>({ method: 'GET', path: p, namespace });
    return this.expectArray<FileAttributes>(value, 'GET', p);
  }

  async listFilesRecursive(namespace: string, path = '/'): Promise<RemoteFile[]> {
    const files: RemoteFile[] = [];
    const dirs = [filePath(path)];
    // A few directories at a time: fast on big trees, gentle on the server.
    const worker = async (): Promise<void> => {
      for (let dir = dirs.shift(); dir !== undefined; dir = dirs.shift()) {
        let entries: FileAttributes[];
        try {
          entries = await this.listDirectory(namespace, dir);
        } catch (err) {
          if (err instanceof KestraError && err.status === 404) continue; // missing (or gone meanwhile)
          throw err;
        }
        for (const e of entries) {
          const child = dir === '/' ? `/${e.fileName}` : `${dir}/${e.fileName}`;
          if (e.type === 'Directory') dirs.push(child);
          else files.push({ path: child, size: e.size });
        }
      }
    };
    // Workers that find the queue empty stop; one worker per level keeps going, so start them in waves.
    while (dirs.length > 0) await Promise.all(Array.from({ length: Math.min(4, dirs.length) }, worker));
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async downloadFile(namespace: string, path: string): Promise<Buffer> {
    const p = this.paths.files(namespace, '', filePath(path));
    return (await this.http.send({ method: 'GET', path: p, namespace })).body;
  }

  async uploadFile(namespace: string, path: string, bytes: Buffer): Promise<void> {
    const p = this.paths.files(namespace, '', filePath(path));
    const body = (): FormData => {
      const form = new FormData();
      form.append(
        'fileContent',
        new Blob([bytes], { type: 'application/octet-stream' }),
        uploadPartName(path),
      );
      return form;
    };
    await this.http.send({ method: 'POST', path: p, namespace, body });
  }

  exportFiles(namespace: string, maxBytes: number): Promise<ExportedFiles> {
    return exportFiles(this.http, this.paths, namespace, maxBytes);
  }

  uploadBatch(namespace: string, files: readonly BatchFile[]): Promise<void> {
    return uploadBatch(this.http, this.paths, namespace, files);
  }

  async deleteFile(namespace: string, path: string): Promise<void> {
    await this.http.send({
      method: 'DELETE',
      path: this.paths.files(namespace, '', filePath(path)),
      namespace,
    });
  }
}

/**
 * One result for a flow sent alone that the server still read as several documents (or none): the
 * constraints of all, and a constraint of its own when the pieces were each valid.
 */
function mergeSolo(answer: ValidateResult[], index: number, filename: string): ValidateResult {
  const first = answer.find((r) => r.flow) ?? answer[0];
  const constraints = answer.map((r) => r.constraints).filter(Boolean);
  const split = `the server read ${answer.length} YAML documents here; a line starting with '---' separates documents`;
  return {
    ...first,
    index,
    filename: first?.filename ?? filename,
    constraints:
      constraints.length > 0
        ? constraints.join('\n')
        : answer.length === 0
          ? 'the server returned no result'
          : split,
  };
}

/**
 * Answers to the flow export that mean "read flow by flow": no such endpoint (404, 405), a query the server
 * refuses (400), or an export the credentials may not use though they read flows (403, EE permissions).
 */
const EXPORT_UNUSABLE = [400, 403, 404, 405];

const unquote = (s: string): string => s.replace(/^(['"])(.*)\1$/, '$2');

/** The body and content type of a multipart `flows` request (one boundary per attempt is fine: it is random). */
function multipartCall(flows: FlowSource[]): Pick<HttpCall, 'contentType' | 'body'> {
  const { contentType, body } = flowsMultipart(flows);
  return { contentType, body: () => body };
}

/**
 * A listed or bulk-written flow cut to what a deploy reads. The server sends each flow whole (tasks, source:
 * ~3 kB each), and a deploy keeps the listings of every namespace until its last write.
 */
const summary = ({ id, namespace, revision }: FlowInfo): FlowInfo => ({ id, namespace, revision });

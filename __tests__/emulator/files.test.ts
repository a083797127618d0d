import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  readZip,
  startEmulator,
  writeZip,
  type Emulator,
  type EmulatorOptions,
} from '../../emulator/index.js';
import { call, fixtures, flow, form, type ErrorJson } from './http.js';

let emulator: Emulator | undefined;
const start = async (opts: EmulatorOptions = {}): Promise<Emulator> => (emulator = await startEmulator(opts));
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const NS = 'company.team';
const FILES = `/api/v1/main/namespaces/${NS}/files`;
const q = (path: string): string => encodeURIComponent(path);

const upload = (e: Emulator, path: string, content: string | Buffer, filename = 'file.txt') =>
  call(e, 'POST', `${FILES}?path=${q(path)}`, {
    body: form([{ name: 'fileContent', content, filename, type: 'application/octet-stream' }]),
  });

interface Attributes {
  fileName: string;
  type: 'File' | 'Directory';
  size: number;
  lastModifiedTime: number;
  creationTime: number;
  metadata: Record<string, string>;
}

describe('upload and download', () => {
  it('stores the part bytes at path (200, empty body) and serves them as octet-stream', async () => {
    const e = await start();
    const bytes = Buffer.from([0, 1, 2, 255]);
    const res = await upload(e, '/scripts/run.py', bytes);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const got = await call(e, 'GET', `${FILES}?path=${q('/scripts/run.py')}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/octet-stream');
    expect(got.headers.get('cache-control')).toBe('no-cache');
    expect(got.bytes.equals(bytes)).toBe(true);
    expect(e.listFiles(NS)).toEqual(['/scripts/run.py']);
  });

  it('answers 400 when path is missing, 404 for a missing file', async () => {
    const e = await start();
    const res = await call(e, 'POST', FILES, {
      body: form([{ name: 'fileContent', content: 'x', filename: 'x' }]),
    });
    expect(res.status).toBe(400);
    expect(res.json<ErrorJson>().message).toBe('Bad Request: Required QueryValue [path] not specified');
    expect((await call(e, 'GET', `${FILES}?path=/nope.txt`)).status).toBe(404);
  });

  it('stores a space in path as + up to 1.3, literally in 2.0', async () => {
    const e = await start({ version: '1.3.19' });
    await upload(e, '/my file.txt', 'x');
    expect(e.listFiles(NS)).toEqual(['/my+file.txt']);
    expect((await call(e, 'GET', `${FILES}?path=${q('/my file.txt')}`)).text).toBe('x');
    await e.close();
    const e20 = await start({ version: '2.0.0' });
    await upload(e20, '/my file.txt', 'x');
    expect(e20.listFiles(NS)).toEqual(['/my file.txt']);
  });

  it('makes each upload a new revision from 1.2, and overwrites before', async () => {
    const e = await start({ version: '1.2.0' });
    await upload(e, '/a.txt', 'one');
    await upload(e, '/a.txt', 'one');
    expect(e.fileRevisions(NS, '/a.txt')).toBe(2);
    expect((await call(e, 'GET', `${FILES}/revisions?path=/a.txt`)).json()).toEqual([
      { revision: 1 },
      { revision: 2 },
    ]);
    await upload(e, '/a.txt', 'three');
    expect((await call(e, 'GET', `${FILES}?path=/a.txt&revision=1`)).text).toBe('one');
    await e.close();
    const old = await start({ version: '1.1.0' });
    await upload(old, '/a.txt', 'one');
    await upload(old, '/a.txt', 'two');
    expect(old.fileRevisions(NS, '/a.txt')).toBe(1);
    expect(old.getFile(NS, '/a.txt')!.toString()).toBe('two');
  });
});

describe('zip upload', () => {
  it('extracts a part whose filename ends in .zip, ignoring path, and imports _flows/*.yml as flows', async () => {
    const e = await start();
    const zip = writeZip([
      { name: 'scripts/' },
      { name: 'scripts/a.py', data: 'print(1)' },
      { name: 'README.md', data: '# hi' },
      { name: '_flows/imported.yml', data: flow('imported', 'will.be.rewritten') },
    ]);
    const res = await upload(e, '/ignored', zip, 'bundle.ZIP');
    expect(res.status).toBe(200);
    expect(e.listFiles(NS)).toEqual(['/README.md', '/scripts/a.py']);
    expect(e.getFlow(NS, 'imported')!.source).toContain(`namespace: ${NS}\n`);
  });

  it('reads archives made by other tools (stored and deflated entries, folders, a comment)', async () => {
    const e = await start();
    const zip = readFileSync(path.join(fixtures, 'namespace-files.zip'));
    expect((await upload(e, '/', zip, 'namespace-files.zip')).status).toBe(200);
    expect(e.listFiles(NS)).toEqual(['/scripts/deflated.py', '/scripts/stored.sh']);
    expect(e.getFile(NS, '/scripts/stored.sh')!.toString()).toBe('echo stored\n');
    expect(e.getFile(NS, '/scripts/deflated.py')!.toString()).toBe('print("deflated")\n'.repeat(20));
    expect(e.getFlow(NS, 'from-zip')).toBeDefined();
  });

  it('stores a zip as a plain file when the part filename does not end in .zip', async () => {
    const e = await start();
    const zip = writeZip([{ name: 'a.txt', data: 'a' }]);
    await upload(e, '/archive.zip', zip, 'file.txt');
    expect(e.listFiles(NS)).toEqual(['/archive.zip']);
    expect(readZip(e.getFile(NS, '/archive.zip')!).map((z) => z.name)).toEqual(['a.txt']);
  });
});

describe('the reserved /_flows folder', () => {
  it('is forbidden for read, list, stats and delete', async () => {
    const e = await start();
    for (const [method, path] of [
      ['GET', `${FILES}?path=/_flows/a.yml`],
      ['GET', `${FILES}/directory?path=/_flows`],
      ['GET', `${FILES}/stats?path=/_flows`],
      ['DELETE', `${FILES}?path=/_flows`],
    ] as const) {
      const res = await call(e, method, path);
      expect(res.status).toBe(422);
      expect(res.json<ErrorJson>().message).toMatch(/^Illegal argument: Forbidden path: \/_flows/);
    }
  });

  it('imports an upload to /_flows/<name>.yml as a flow, and refuses deeper paths', async () => {
    const e = await start();
    expect((await upload(e, '/_flows/x.yml', flow('x', 'any'))).status).toBe(200);
    expect(e.getFlow(NS, 'x')).toMatchObject({ revision: 1 });
    expect(e.listFiles(NS)).toEqual([]);
    const deeper = await upload(e, '/_flows/a/b.yml', flow('y'));
    expect(deeper.status).toBe(422);
    expect(deeper.json<ErrorJson>().message).toBe(
      'Illegal argument: Invalid flow file path: /_flows/a/b.yml',
    );
  });
});

describe('directories, stats, delete, move, export', () => {
  it('lists direct children as FileAttributes, creating the root on demand; 404 for a missing folder', async () => {
    const e = await start();
    expect((await call(e, 'GET', `${FILES}/directory`)).json()).toEqual([]);
    await upload(e, '/dir/a.txt', 'abc');
    await upload(e, '/top.txt', 'x');
    const root = (await call(e, 'GET', `${FILES}/directory?path=/`)).json<Attributes[]>();
    expect(root.map((a) => [a.fileName, a.type])).toEqual([
      ['dir', 'Directory'],
      ['top.txt', 'File'],
    ]);
    const dir = (await call(e, 'GET', `${FILES}/directory?path=/dir`)).json<Attributes[]>();
    expect(dir).toEqual([
      {
        fileName: 'a.txt',
        type: 'File',
        size: 3,
        metadata: {},
        lastModifiedTime: expect.any(Number),
        creationTime: expect.any(Number),
      },
    ]);
    const missing = await call(e, 'GET', `${FILES}/directory?path=/nope`);
    expect(missing.status).toBe(404);
    expect(missing.json<ErrorJson>().message).toBe('Not Found: Directory not found: /nope');
  });

  it('names the root _files in stats', async () => {
    const e = await start();
    expect((await call(e, 'GET', `${FILES}/stats`)).json()).toMatchObject({
      fileName: '_files',
      type: 'Directory',
    });
    expect((await call(e, 'GET', `${FILES}/stats?path=/x`)).status).toBe(404);
  });

  it('deletes recursively, removes emptied parent folders but not the root, and ignores missing paths', async () => {
    const e = await start();
    await upload(e, '/a/b/c.txt', 'x');
    await upload(e, '/keep.txt', 'x');
    const res = await call(e, 'DELETE', `${FILES}?path=/a/b`);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(
      (await call(e, 'GET', `${FILES}/directory?path=/`)).json<Attributes[]>().map((a) => a.fileName),
    ).toEqual(['keep.txt']);
    expect((await call(e, 'DELETE', `${FILES}?path=/missing`)).status).toBe(200);
    await call(e, 'DELETE', `${FILES}?path=/`);
    expect(e.listFiles(NS)).toEqual([]);
    expect((await call(e, 'GET', `${FILES}/directory?path=/`)).status).toBe(200);
  });

  it('creates folders and moves files', async () => {
    const e = await start();
    expect((await call(e, 'POST', `${FILES}/directory?path=/empty/nested`)).status).toBe(200);
    expect((await call(e, 'GET', `${FILES}/directory?path=/empty`)).json<Attributes[]>()[0]!.fileName).toBe(
      'nested',
    );
    await upload(e, '/from.txt', 'x');
    expect((await call(e, 'PUT', `${FILES}?from=/from.txt&to=/to/moved.txt`)).status).toBe(200);
    expect(e.listFiles(NS)).toEqual(['/to/moved.txt']);
    expect((await call(e, 'PUT', `${FILES}?from=/nope&to=/x`)).status).toBe(404);
  });

  it('exports every file plus _flows/<id>.yml for each flow of the namespace', async () => {
    const e = await start();
    await upload(e, '/a.txt', 'a');
    e.seedFlow(flow('f'));
    const res = await call(e, 'GET', `${FILES}/export`);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${NS}_files.zip"`);
    const entries = readZip(res.bytes);
    expect(entries.map((z) => [z.name, z.data.toString()])).toEqual([
      ['a.txt', 'a'],
      ['_flows/f.yml', flow('f')],
    ]);
  });
});

// The deploy action for namespace files under faults: zip batches, then files sent alone, deletions only once
// every upload succeeded, and a failure report that says which files were uploaded, failed, or not attempted.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { readZip } from '../../emulator/zip.js';
import { BATCH_MAX_FILES } from '../../src/core/apply/file-batches.js';
import { makeWorkspace } from '../helpers/workspace.js';
import { deployAction, errors } from './helpers.js';

const py = (i: number): string => `/f${String(i).padStart(3, '0')}.py`;
/** Two and a half batches' worth of files, so that batches are sent two at a time and some wait. */
const COUNT = BATCH_MAX_FILES * 2 + 10;
const ALL = Array.from({ length: COUNT }, (_, i) => py(i));
const TREE: Record<string, string> = Object.fromEntries(ALL.map((p, i) => [`files${p}`, `print(${i})\n`]));
/** A name with a space goes alone, after the batches. */
const SPACED = '/read me.txt';
const UPLOAD = /\/namespaces\/company\.team\/files$/;

interface Result {
  path: string;
  action: string;
}

describe.each(['1.3.19', '1.2.0', '2.0.8'])('deploy namespace files under faults, Kestra %s', (version) => {
  let kestra: Emulator;
  beforeEach(async () => {
    kestra = await startEmulator({ version });
  });
  afterEach(() => kestra.close());

  const deploy = (ws: string, inputs: Record<string, string> = {}) =>
    deployAction(kestra.url, ws, {
      resource: 'namespace-files',
      directory: 'files',
      namespace: 'company.team',
      user: '',
      password: '',
      ...inputs,
    });
  /** The entries of each batch the server answered with `status`. */
  const batches = (status: number): string[][] =>
    kestra
      .writes()
      .filter((w) => w.method === 'POST' && w.status === status && w.query.get('path') === '/')
      .map((w) => readZip(zipPart(w.body)).map((e) => `/${e.name}`));

  it('a 500 on the 2nd of three batches: no DELETE, and the report names the uploaded, failed and unsent files', async () => {
    kestra.seedFile('company.team', '/gone.py', 'old');
    kestra.clearRequests();
    // The first batch is slow but succeeds; the second, sent beside it, fails; the third is never sent.
    kestra.fault({ method: 'POST', path: UPLOAD, delayMs: 150, count: 1 });
    kestra.fault({ method: 'POST', path: UPLOAD, status: 500 });
    const r = await deploy(makeWorkspace({ ...TREE, [`files${SPACED}`]: 'hello' }), { delete: 'true' });
    expect(r.failed).toBe(true);
    expect(kestra.writes().filter((w) => w.method === 'DELETE')).toEqual([]);
    expect(kestra.getFile('company.team', '/gone.py')?.toString()).toBe('old');

    const [uploaded = [], more] = batches(200);
    const [failed = []] = batches(500);
    expect(more).toBeUndefined();
    expect(uploaded).toHaveLength(BATCH_MAX_FILES);
    expect(failed).toHaveLength(BATCH_MAX_FILES);
    const notUploaded = [...ALL.filter((p) => !uploaded.includes(p) && !failed.includes(p)), SPACED];
    expect(notUploaded).toHaveLength(11);
    expect(kestra.listFiles('company.team')).toEqual([...uploaded, '/gone.py'].sort());

    const results = JSON.parse(r.outputs.results as string) as Result[];
    expect(results.map((x) => x.path).sort()).toEqual([...uploaded].sort());
    expect(results.every((x) => x.action === 'created')).toBe(true);
    expect(r.outputs).toMatchObject({ created: String(BATCH_MAX_FILES), deleted: '0' });

    expect(r.summary).toContain(`failed (${BATCH_MAX_FILES}): <code>${failed[0]}</code>`);
    expect(r.summary).toContain(`not uploaded (${notUploaded.length}): `);
    expect(r.summary).toContain(`<code>${SPACED}</code>`);
    expect(r.summary).toContain('not deleted (1): <code>/gone.py</code>');
    const [failure] = errors(r);
    expect(failure).toMatch(
      new RegExp(`^deploy to company\\.team failed: upload of a batch of ${BATCH_MAX_FILES} files \\(`),
    );
    expect(failure).toContain('some of its files may have been written (no file was deleted)');
  });

  it('a failed deletion after every upload: non-zero, uploads reported done, the failed and remaining deletions named', async () => {
    kestra.seedFile('company.team', '/gone1.py', 'old');
    kestra.seedFile('company.team', '/gone2.py', 'old');
    kestra.clearRequests();
    kestra.fault({ method: 'DELETE', status: 500 });
    const r = await deploy(makeWorkspace({ 'files/a.py': 'a', 'files/b.py': 'b' }), { delete: 'true' });
    expect(r.failed).toBe(true);
    expect(kestra.getFile('company.team', '/a.py')?.toString()).toBe('a');
    expect(kestra.getFile('company.team', '/b.py')?.toString()).toBe('b');
    // One batch first; then it stopped at the failed deletion: /gone2.py was not tried.
    const writes = kestra.writes().map((w) => `${w.method} ${w.query.get('path')} ${w.status}`);
    expect(writes).toEqual(['POST / 200', 'DELETE /gone1.py 500']);
    expect(batches(200)).toEqual([['/a.py', '/b.py']]);
    expect(kestra.listFiles('company.team')).toEqual(['/a.py', '/b.py', '/gone1.py', '/gone2.py']);
    expect(r.outputs).toMatchObject({ created: '2', deleted: '0' });
    expect(r.summary).toMatch(/every upload succeeded, but deleting \/gone1\.py failed: 500 /);
    expect(r.summary).toContain('failed (1): <code>/gone1.py</code>');
    expect(r.summary).toContain('not deleted (1): <code>/gone2.py</code>');
    expect(errors(r)[0]).toContain(
      'In company.team, uploaded or deleted: /a.py, /b.py; failed: /gone1.py; not deleted: /gone2.py.',
    );
  });

  it('deletes only after every upload succeeded, even when batches needed retries', async () => {
    kestra.seedFile('company.team', '/gone.py', 'old');
    kestra.clearRequests();
    kestra.fault({ method: 'POST', path: UPLOAD, status: 503, count: 3 });
    const r = await deploy(makeWorkspace({ ...TREE, [`files${SPACED}`]: 'hello' }), { delete: 'true' });
    expect(r.failed).toBe(false);
    const methods = kestra.writes().map((w) => w.method);
    // Three batches and the spaced file alone, plus the three retries.
    expect(methods.filter((m) => m === 'POST')).toHaveLength(3 + 1 + 3);
    expect(methods.lastIndexOf('POST')).toBeLessThan(methods.indexOf('DELETE'));
    const spaced = version.startsWith('2.') ? SPACED : SPACED.replace(' ', '+');
    expect(kestra.listFiles('company.team')).toEqual([...ALL, spaced].sort());
    expect(r.outputs).toMatchObject({ created: String(COUNT + 1), deleted: '1' });
  });

  it('a batch refused with 413 (a proxy body limit) or 422: its files and later batches go one by one, with a warning', async () => {
    for (const status of [413, 422]) {
      kestra.clearRequests();
      kestra.fault({ method: 'POST', path: UPLOAD, query: { path: '/' }, status });
      const tree = Object.fromEntries(ALL.map((p) => [`files${p}`, `v${status} ${p}`]));
      const r = await deploy(makeWorkspace(tree));
      expect(r.failed).toBe(false);
      // The refused batch's files and those of every batch not yet sent go one by one; a batch sent beside
      // the refused one may have landed whole.
      const refused = batches(status);
      const landed = batches(200).flat();
      const alone = kestra
        .writes()
        .filter((w) => w.query.get('path') !== '/')
        .map((w) => w.query.get('path'));
      expect(refused).toHaveLength(1);
      expect([...alone, ...landed].sort()).toEqual(ALL);
      expect(alone).toEqual(expect.arrayContaining(refused[0]!));
      expect(kestra.listFiles('company.team')).toEqual(ALL);
      expect(kestra.getFile('company.team', ALL[0]!)?.toString()).toBe(`v${status} ${ALL[0]}`);
      expect(r.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^company\\.team: the server refused a zip batch \\(${status} .*\\); sending the files one by one$`,
          ),
        ),
      ]);
    }
  });

  it('a file sent alone fails after the batches: the batches are reported uploaded, nothing deleted', async () => {
    kestra.seedFile('company.team', '/gone.py', 'old');
    kestra.clearRequests();
    kestra.fault({ method: 'POST', path: UPLOAD, query: { path: SPACED }, status: 500 });
    const r = await deploy(makeWorkspace({ 'files/a.py': 'a', [`files${SPACED}`]: 'hello' }), {
      delete: 'true',
    });
    expect(r.failed).toBe(true);
    expect(kestra.writes().filter((w) => w.method === 'DELETE')).toEqual([]);
    expect(kestra.listFiles('company.team')).toEqual(['/a.py', '/gone.py']);
    expect(errors(r)[0]).toContain(`upload of ${SPACED} failed: 500 `);
    expect(errors(r)[0]).toContain(`In company.team, uploaded or deleted: /a.py; failed: ${SPACED};`);
  });
});

/** The `fileContent` part of a recorded multipart body (the archive, binary-safe). */
function zipPart(body: Buffer): Buffer {
  const start = body.indexOf('PK\x03\x04', 0, 'latin1');
  const end = body.lastIndexOf('\r\n--', undefined, 'latin1');
  return body.subarray(start, end);
}

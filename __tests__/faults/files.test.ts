// The deploy action for namespace files under faults: uploads first, deletions only once every upload
// succeeded, and a failure report that says exactly which files were uploaded, deleted, or neither.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { makeWorkspace } from '../helpers/workspace.js';
import { deployAction, errors } from './helpers.js';

/** Twelve files: more than the upload concurrency (8), so some are still waiting when one fails. */
const TREE: Record<string, string> = Object.fromEntries(
  Array.from({ length: 12 }, (_, i) => [`files/f${String(i).padStart(2, '0')}.py`, `print(${i})\n`]),
);
const ALL = Object.keys(TREE).map((f) => f.replace(/^files/, ''));
const UPLOAD = /\/namespaces\/company\.team\/files$/;

interface Result {
  path: string;
  action: string;
}

describe.each(['1.3.19', '1.2.0'])('deploy namespace files under faults, Kestra %s', (version) => {
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
  const uploads = (status: number): string[] =>
    kestra
      .writes()
      .filter((w) => w.method === 'POST' && w.status === status)
      .map((w) => w.query.get('path') as string)
      .sort();

  it('a 500 on the 3rd upload: no DELETE ever sent, and the report lists what was and was not uploaded', async () => {
    kestra.seedFile('company.team', '/gone.py', 'old');
    kestra.clearRequests();
    // The first two uploads pass (a delay-only fault does not answer), the third gets a 500, and the
    // later ones are slow: they are still in flight when the 500 comes back, and succeed after it.
    kestra.fault({ method: 'POST', path: UPLOAD, delayMs: 1, count: 2 });
    kestra.fault({ method: 'POST', path: UPLOAD, status: 500 });
    kestra.fault({ method: 'POST', path: UPLOAD, delayMs: 150, count: 20 });
    const r = await deploy(makeWorkspace(TREE), { delete: 'true' });
    expect(r.failed).toBe(true);
    expect(kestra.writes().filter((w) => w.method === 'DELETE')).toEqual([]);
    expect(kestra.getFile('company.team', '/gone.py')?.toString()).toBe('old');

    const uploaded = uploads(200);
    const [failed, ...more] = uploads(500);
    expect(more).toEqual([]);
    const notUploaded = ALL.filter((p) => p !== failed && !uploaded.includes(p));
    // Uploads in flight at the failure landed and are reported; the rest were never sent.
    expect(uploaded.length).toBeGreaterThan(2);
    expect(notUploaded.length).toBeGreaterThan(0);
    expect(kestra.listFiles('company.team')).toEqual([...uploaded, '/gone.py'].sort());

    // Outputs: exactly the files that landed.
    const results = JSON.parse(r.outputs.results as string) as Result[];
    expect(results.map((x) => x.path).sort()).toEqual(uploaded);
    expect(results.every((x) => x.action === 'created')).toBe(true);
    expect(r.outputs).toMatchObject({ created: String(uploaded.length), deleted: '0' });
    expect(JSON.parse(r.outputs.plan as string)).toEqual({
      'company.team': { create: uploaded, update: [], unchanged: [], delete: [] },
    });

    // Summary: uploaded ones as changes; the failed one, the ones not uploaded, and the deletion not done.
    for (const p of uploaded) expect(r.summary).toContain(`+ created <code>company.team</code> ${p}`);
    expect(r.summary).toContain(`failed (1): <code>${failed}</code>`);
    expect(r.summary).toContain(
      `not uploaded (${notUploaded.length}): ${notUploaded.map((p) => `<code>${p}</code>`).join(', ')}`,
    );
    expect(r.summary).toContain('not deleted (1): <code>/gone.py</code>');
    const [failure] = errors(r);
    expect(failure).toMatch(new RegExp(`^deploy to company\\.team failed: upload of ${failed} failed: 500 `));
    expect(failure).toContain('(no file was deleted)');
    expect(failure).toContain(
      `In company.team, uploaded or deleted: ${uploaded.join(', ')}; failed: ${failed};`,
    );
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
    // Uploads (in parallel, any order) first; then it stopped at the failed deletion: /gone2.py was not tried.
    const writes = kestra.writes().map((w) => `${w.method} ${w.query.get('path')} ${w.status}`);
    expect(writes.slice(0, 2).sort()).toEqual(['POST /a.py 200', 'POST /b.py 200']);
    expect(writes.slice(2)).toEqual(['DELETE /gone1.py 500']);
    expect(kestra.listFiles('company.team')).toEqual(['/a.py', '/b.py', '/gone1.py', '/gone2.py']);
    expect(r.outputs).toMatchObject({ created: '2', deleted: '0' });
    expect(r.summary).toMatch(/every upload succeeded, but deleting \/gone1\.py failed: 500 /);
    expect(r.summary).toContain('failed (1): <code>/gone1.py</code>');
    expect(r.summary).toContain('not deleted (1): <code>/gone2.py</code>');
    expect(errors(r)[0]).toContain(
      'In company.team, uploaded or deleted: /a.py, /b.py; failed: /gone1.py; not deleted: /gone2.py.',
    );
  });

  it('deletes only after every upload succeeded, even when uploads needed retries', async () => {
    kestra.seedFile('company.team', '/gone.py', 'old');
    kestra.clearRequests();
    kestra.fault({ method: 'POST', path: UPLOAD, status: 503, count: 3 });
    const r = await deploy(makeWorkspace(TREE), { delete: 'true' });
    expect(r.failed).toBe(false);
    const methods = kestra.writes().map((w) => w.method);
    expect(methods.filter((m) => m === 'POST')).toHaveLength(12 + 3);
    expect(methods.lastIndexOf('POST')).toBeLessThan(methods.indexOf('DELETE'));
    expect(kestra.listFiles('company.team')).toEqual(ALL);
    expect(r.outputs).toMatchObject({ created: '12', deleted: '1' });
  });
});

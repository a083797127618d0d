// A server that stops answering: the deploy gives up within its timeout and retries, says so in one clear
// line, and reports only what was confirmed written. Its own file: it takes attempts × timeout (~10 s).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';
import { bulkPath, deployAction, errors } from './helpers.js';

describe('deploy to a server that hangs', () => {
  let kestra: Emulator;
  beforeEach(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
  });
  afterEach(() => kestra.close());

  it('ends with "no answer within 2 s" well within a minute, reporting only what was written', async () => {
    // Every attempt at team.b's write hangs past the 2 s timeout, then the connection is cut.
    kestra.fault({ method: 'POST', path: bulkPath('1.3', 'team.b'), delayMs: 2500, drop: true, count: 10 });
    const ws = makeWorkspace({
      'flows/a.yml': flow('team.a', 'one'),
      'flows/b.yml': flow('team.b', 'two'),
      'flows/c.yml': flow('team.c', 'three'),
    });
    const start = Date.now();
    const r = await deployAction(kestra.url, ws, { timeout: '2', user: '', password: '' });
    const elapsed = Date.now() - start;
    expect(r.failed).toBe(true);
    // 4 attempts of 2 s plus backoff: the timeout and the retry limit both hold.
    expect(elapsed).toBeGreaterThanOrEqual(4 * 2000);
    expect(elapsed).toBeLessThan(30_000);
    expect(kestra.writes().map((w) => w.path)).toEqual([
      bulkPath('1.3', 'team.a'),
      ...Array(4).fill(bulkPath('1.3', 'team.b')),
    ]);

    const all = errors(r);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatch(
      /^deploy to team\.b failed: no answer from POST http:\S+\/flows\/team\.b\?delete=false within 2 s \(timeout\); .*\(after 4 attempts\)\. Namespaces written: team\.a; not written: team\.c\./,
    );
    expect(all[0]).not.toContain('\n');
    expect(r.stdout).not.toMatch(/^\s+at /m);
    // The report is whole: every namespace with its fate, outputs for what was written only.
    expect(r.summary).toMatch(/<code>team\.a<\/code><\/td><td>✅ written/);
    expect(r.summary).toMatch(/<code>team\.b<\/code><\/td><td>❌ failed[^<]*<br>no answer from POST/);
    expect(r.summary).toMatch(/<code>team\.c<\/code><\/td><td>⏭️ not written/);
    expect(r.outputs).toMatchObject({ created: '1', updated: '0', unchanged: '0', deleted: '0' });
    expect(JSON.parse(r.outputs.plan as string)).toEqual({
      'team.a': { create: ['one'], update: [], unchanged: [], delete: [] },
    });
  });
});

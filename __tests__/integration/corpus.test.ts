// The validate action on Kestra's own valid test flows (../shared/corpus), offline and on the emulator.
// Skipped, with a note, where ../shared is absent (a contributor who cloned only this repository).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { repoRoot } from '../../scripts/action-runner.js';
import { run } from '../../validate/main.js';
import { runMain } from '../helpers/run-main.js';

// KESTRA_CORPUS points at another copy of the corpus (a worktree without ../shared beside it).
const corpus = process.env.KESTRA_CORPUS ?? path.resolve(repoRoot, '..', 'shared', 'corpus');
const present = existsSync(path.join(corpus, 'kestra-valids'));
if (!present)
  console.warn(`../shared/corpus not found at ${corpus}: the corpus-wide action tests are skipped`);
const suite = present ? describe : describe.skip;

// pause.yaml uses the id `pause`, which Kestra 1.x refuses as a reserved word (Kestra loads its own test
// fixtures without validating them); offline it is a warning, on a 1.3 server an error.
const inputs = { directory: 'kestra-valids', include: '**/*.yaml\n**/*.yml', exclude: 'pause.yaml' };

suite('validate on the Kestra corpus of valid flows', () => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
  });
  afterAll(() => kestra.close());

  it('passes every one offline', async () => {
    const r = await runMain(run, inputs, { workspace: corpus });
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(r.outputs.valid).toBe('true');
    expect(Number(r.outputs.flows)).toBeGreaterThan(170);
  });

  it('passes every one on a Kestra 1.3 server', async () => {
    const r = await runMain(run, { ...inputs, server: kestra.url }, { workspace: corpus });
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(r.outputs.valid).toBe('true');
    expect(kestra.writes()).toEqual([]);
  });

  it('fails Kestra’s invalid flows, each at a line of its own file', async () => {
    const r = await runMain(
      run,
      { ...inputs, directory: 'kestra-invalids', exclude: '' },
      { workspace: corpus },
    );
    expect(r.failed).toBe(true);
    const results = JSON.parse(r.outputs.results ?? '[]') as { file: string; status: string }[];
    const invalid = new Set(results.filter((x) => x.status === 'invalid').map((x) => x.file));
    // Offline rules know most reasons; the rest (unknown types, plugin properties) need a server.
    expect(invalid.size).toBeGreaterThanOrEqual(12);
    // Annotations at a file (the others: the step's failure and the "N more errors" line past GitHub's cap).
    const placed = r.annotations.filter((x) => x.level === 'error' && x.file);
    expect(placed.length).toBe(9);
    for (const a of placed) expect(a.file).toMatch(/^kestra-invalids\/[\w-]+\.yaml$/);
    expect(r.annotations.some((a) => /more errors are not shown/.test(a.message))).toBe(true);
  });
});

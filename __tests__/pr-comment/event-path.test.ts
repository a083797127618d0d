// A GITHUB_EVENT_PATH that cannot be read or is not JSON: the action must still load (without `comment` it
// never needs the event), and with `comment: true` it is one warning while the run goes on. The actions run
// from their entry points in a fresh Node process, as the runner starts them, since the failure was at load.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { inputVariables, parseOutputFile, repoRoot, spawnNode } from '../../scripts/action-runner.js';
import { parseAnnotations } from '../helpers/run-main.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kestra-event-'));
const NOT_JSON = path.join(dir, 'not-json.json');
writeFileSync(NOT_JSON, '{"pull_request": {"number": 7},');
/** Exists but cannot be read as a file. */
const UNREADABLE = dir;

async function runEntry(entry: string, inputs: Record<string, string>, eventPath: string) {
  const runDir = mkdtempSync(path.join(dir, 'run-'));
  const [outputFile, summaryFile] = [path.join(runDir, 'output'), path.join(runDir, 'summary')];
  for (const file of [outputFile, summaryFile]) writeFileSync(file, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_WORKSPACE: repoRoot,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/kestra-flows',
    GITHUB_API_URL: 'http://127.0.0.1:9', // never reached: the event is unreadable
  };
  // The runner fills every input the step leaves out with its action.yml default.
  Object.assign(env, inputVariables(entry.startsWith('validate/') ? 'validate' : 'main', inputs));
  const r = await spawnNode(process.execPath, ['--import', 'tsx', entry], { env, cwd: repoRoot });
  return {
    ...r,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    annotations: parseAnnotations(r.stdout),
  };
}

describe('a bad GITHUB_EVENT_PATH', () => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
  });
  afterAll(() => kestra.close());

  it.each([
    ['not JSON', NOT_JSON],
    ['unreadable', UNREADABLE],
  ])('%s, without comment: validate loads and passes', async (_name, eventPath) => {
    const r = await runEntry('validate/index.ts', { directory: 'examples/flows' }, eventPath);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ valid: 'true', flows: '3' });
    expect(r.annotations).toEqual([]);
  });

  it('not JSON, with comment: validate warns once and goes on', async () => {
    const r = await runEntry(
      'validate/index.ts',
      { directory: 'examples/flows', comment: 'true', 'github-token': 'ghs_x' },
      NOT_JSON,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.outputs.valid).toBe('true');
    expect(r.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/^Cannot comment on the pull request: cannot read the event payload/),
      }),
    ]);
  });

  it('unreadable, with comment: the root action deploys (dry-run), warns once and goes on', async () => {
    const r = await runEntry(
      'index.ts',
      {
        command: 'deploy',
        directory: 'examples/flows',
        server: kestra.url,
        'dry-run': 'true',
        comment: 'true',
        'github-token': 'ghs_x',
      },
      UNREADABLE,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.outputs.created).toBe('3');
    expect(r.annotations.map((a) => a.level)).toEqual(['warning']);
    expect(r.annotations[0]?.message).toMatch(/cannot read the event payload .*EISDIR/);
  });
});

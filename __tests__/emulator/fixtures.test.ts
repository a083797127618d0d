// The in-repo fixtures (always run): every file under valid/ validates cleanly, every file under invalid/
// fails with each `# expect:` text of its header, through POST /api/v1/main/flows/validate.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { fixtures, postYaml, type ValidateJson } from './http.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const read = (dir: string): [string, string][] =>
  readdirSync(path.join(fixtures, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, readFileSync(path.join(fixtures, dir, f), 'utf8')]);

async function validate(source: string): Promise<ValidateJson> {
  const res = await postYaml(emulator, '/api/v1/main/flows/validate', source);
  expect(res.status).toBe(200);
  const results = res.json<ValidateJson[]>();
  expect(results).toHaveLength(1);
  return results[0]!;
}

describe('valid fixtures', () => {
  it.each(read('valid'))('%s validates without constraints', async (_name, source) => {
    const result = await validate(source);
    expect(result.constraints).toBeUndefined();
    expect(result.flow).toBeDefined();
  });
});

describe('invalid fixtures', () => {
  it.each(read('invalid'))('%s fails with its expected messages', async (_name, source) => {
    const expected = [...source.matchAll(/^# expect: (.*)$/gm)].map((m) => m[1]!);
    expect(expected.length).toBeGreaterThan(0);
    const result = await validate(source);
    for (const text of expected) expect(result.constraints).toContain(text);
  });
});

// The import rules of docs/architecture.md#boundaries, as ESLint enforces them: each folder is tried with
// the imports it must refuse and the ones it may make, so a rule that stops firing fails here.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { repoRoot } from '../../scripts/action-runner.js';

/** The lines of `code`, linted as `file`, that no-restricted-imports refuses (each line once). */
function refusedLines(file: string, code: string): number[] {
  let out: string;
  try {
    out = execFileSync(
      'node',
      ['node_modules/eslint/bin/eslint.js', '--format', 'json', '--stdin', '--stdin-filename', file],
      { cwd: repoRoot, input: code, encoding: 'utf8' },
    );
  } catch (error) {
    out = String((error as { stdout?: string }).stdout);
  }
  const [result] = JSON.parse(out) as { messages: { line: number; ruleId: string | null }[] }[];
  const lines = (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.line);
  return [...new Set(lines)];
}

/** Per file: imports it must refuse, then imports it may make (type-only, so nothing else complains). */
const CASES: [file: string, refused: string[], allowed: string[]][] = [
  [
    'src/model/probe.ts',
    [
      '../core/tally.js',
      '../github/log.js',
      '../render/words.js',
      '../kestra/client.js',
      'undici',
      '@actions/core',
    ],
    ['./types.js', '../kestra/api.js'],
  ],
  [
    'src/core/plan/probe.ts',
    [
      '../../github/log.js',
      '../../render/words.js',
      '../../kestra/client.js',
      '../../kestra/connect.js',
      '../../kestra/http.js',
      'undici',
      '@actions/core',
      '@actions/glob',
      '../pipeline.js',
      '../deploy-flows.js',
      '../../cli/main.js',
    ],
    ['./plan-output.js', '../check/tally.js', '../../model/results.js', '../../kestra/api.js'],
  ],
  [
    'src/core/pipeline.ts',
    ['../github/log.js', 'undici', '@actions/core'],
    ['./deploy-flows.js', './check-flows.js', '../model/results.js'],
  ],
  [
    'src/kestra/probe.ts',
    ['../core/tally.js', '../github/log.js', '../render/words.js', '@actions/core'],
    ['undici', './api.js', '../model/types.js'],
  ],
  [
    'src/render/probe.ts',
    [
      '../core/tally.js',
      '../github/log.js',
      '../kestra/client.js',
      '../kestra/http.js',
      '../kestra/index.js',
      'undici',
      '@actions/core',
      '@actions/github',
    ],
    ['./words.js', '../model/results.js'],
  ],
  [
    'src/github/probe.ts',
    ['undici', '../cli/main.js', '../../emulator/index.js', '../../scripts/bench.js'],
    ['@actions/core', '../core/pipeline.js', '../render/words.js', '../kestra/client.js'],
  ],
  [
    'src/cli/probe.ts',
    [
      '@actions/core',
      '@actions/glob',
      'undici',
      '../github/log.js',
      '../../emulator/index.js',
      '../../validate/main.js',
    ],
    [
      '../core/pipeline.js',
      '../model/results.js',
      '../render/words.js',
      '../kestra/client.js',
      '../model/settings-checks.js',
      './terminal.js',
    ],
  ],
  [
    'deploy/probe.ts',
    ['../src/core/pipeline.js', '../src/kestra/client.js', 'undici'],
    ['../src/github/deploy.js'],
  ],
  ['emulator/probe.ts', ['../src/core/rules.js', '../src/kestra/api.js'], ['./store.js']],
];

describe('import boundaries', () => {
  it.each(CASES)('%s refuses what it must and takes what it may', (file, refused, allowed) => {
    const lines = [...refused, ...allowed].map((spec, i) => `import type * as m${i} from '${spec}';`);
    const code = `${lines.join('\n')}\nexport type All = [${lines.map((_, i) => `typeof m${i}`).join(', ')}];\n`;
    expect(refusedLines(file, code)).toEqual(refused.map((_, i) => i + 1));
  });
});

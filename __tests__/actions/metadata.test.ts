// One list of inputs: the action.yml files, the inputs the code reads, and the README must agree.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../scripts/action-runner.js';
import { ACTIONS, readAction, renderReadme, renderRootAction } from '../../scripts/docs.js';

interface CodeInput {
  name: string;
  default?: string;
  required: boolean;
}

/** Inputs read in a source file: `getX('name', …)` calls, their defaults, `required`, and `legacy:` names. */
function inputsReadIn(file: string): CodeInput[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  const found: CodeInput[] = [];
  const call = /get(String|Boolean|Integer|Enum|List|Headers)\(\s*'([\w-]+)'\s*,?\s*([^)]*)\)/g;
  for (const m of text.matchAll(call)) {
    const [, kind, name, rest = ''] = m as unknown as [string, string, string, string];
    let def: string | undefined;
    if (kind === 'Boolean') def = /^\s*(true|false)/.exec(rest)?.[1];
    else
      def = /default:\s*'([^']*)'|default:\s*(\d+)/
        .exec(rest)
        ?.slice(1)
        .find((x) => x !== undefined);
    found.push({ name, default: def, required: /required:\s*true/.test(rest) });
    const legacy = /legacy:\s*'([\w-]+)'/.exec(rest)?.[1];
    if (legacy) found.push({ name: legacy, required: false });
  }
  return found;
}

const readBy: Record<(typeof ACTIONS)[number], string[]> = {
  validate: ['src/github/settings.ts', 'src/github/validate.ts'],
  deploy: ['src/github/settings.ts', 'src/github/deploy.ts'],
};

describe.each(ACTIONS)('%s/action.yml', (name) => {
  const action = readAction(name);
  const declared = action.inputs ?? {};
  const code = readBy[name].flatMap(inputsReadIn);

  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(declared).sort()).toEqual([...new Set(code.map((c) => c.name))].sort());
  });

  it('has the same defaults as the code', () => {
    for (const c of code.filter((x) => x.default !== undefined)) {
      expect({ input: c.name, default: String(declared[c.name]?.default ?? '') }).toEqual({
        input: c.name,
        default: c.default,
      });
    }
  });

  it('marks as required what the code requires', () => {
    for (const c of code.filter((x) => x.required))
      expect({ input: c.name, required: declared[c.name]?.required }).toEqual({
        input: c.name,
        required: true,
      });
  });

  it('runs on node24 from its own bundle', () => {
    expect(action.runs).toEqual({ using: 'node24', main: `../dist/${name}/index.js` });
  });
});

describe('root action.yml and README', () => {
  it('are what `npm run docs` generates from validate/ and deploy/action.yml', () => {
    expect(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')).toBe(renderRootAction());
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toBe(renderReadme(readme));
  });

  it('use one runtime for all three actions', () => {
    const runtimes = new Set(['root', ...ACTIONS].map((a) => readAction(a).runs.using));
    expect([...runtimes]).toEqual(['node24']);
  });

  it('lists every input of both actions, plus command', () => {
    const root = readAction('root');
    const union = new Set(['command', ...ACTIONS.flatMap((a) => Object.keys(readAction(a).inputs ?? {}))]);
    expect(Object.keys(root.inputs ?? {}).sort()).toEqual([...union].sort());
  });
});

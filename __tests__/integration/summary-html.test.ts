// The job summary's HTML is well-formed: every element opened is closed, in order, whatever the cells hold
// (empty cells, file names with markup, a server's error). Real runs against the emulator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { run as deploy } from '../../deploy/main.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { run as validate } from '../../validate/main.js';
import { runMain } from '../helpers/run-main.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

const VOID = new Set(['br', 'hr', 'img']);

/** What is wrong with the HTML's nesting: a tag never closed, or closed out of order. Empty when well-formed. */
function nestingProblems(html: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) {
    const [tag, closing, name] = [m[0], m[1] === '/', (m[2] as string).toLowerCase()];
    if (VOID.has(name)) continue;
    if (!closing) open.push(name);
    else if (open.at(-1) === name) open.pop();
    else problems.push(`${tag} at ${m.index} closes <${open.at(-1) ?? 'nothing'}>`);
  }
  return [...problems, ...open.map((name) => `<${name}> never closed`)];
}

const count = (html: string, re: RegExp): number => html.match(re)?.length ?? 0;

function expectWellFormed(html: string): void {
  expect(html).toContain('<table>');
  expect(nestingProblems(html)).toEqual([]);
  for (const tag of ['table', 'tr', 'th', 'td']) {
    expect(count(html, new RegExp(`<${tag}[ >]`, 'g'))).toBe(count(html, new RegExp(`</${tag}>`, 'g')));
  }
}

it('the nesting check finds an open cell', () => {
  expect(nestingProblems('<table><tr><td>a</td><td></tr></table>')).not.toEqual([]);
  expect(nestingProblems('<table><tr><td>a<br></td></tr></table>')).toEqual([]);
});

describe('job summaries', () => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
  });
  afterAll(() => kestra.close());

  it('validate: a file with no flow and flows with no message leave no cell open', async () => {
    const ws = makeWorkspace({
      'flows/ok.yml': flow('company.team', 'ok'),
      'flows/<td>odd</td>.yml': flow('company.team', 'odd'),
      'flows/broken.yml': 'id: [unclosed\n',
      'flows/bad.yml': flow('company.team', 'bad').replace('core.log.Log', 'core.log.Logg'),
    });
    const r = await runMain(validate, { directory: 'flows', server: kestra.url }, { workspace: ws });
    expect(r.failed).toBe(true);
    expectWellFormed(r.summary);
    expect(r.summary).toContain('&lt;td&gt;odd&lt;/td&gt;.yml');
  });

  it('deploy: a plan, a deploy and a stopped deploy', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('company.team', 'a') });
    const inputs = { directory: 'flows', server: kestra.url };
    const plan = await runMain(deploy, { ...inputs, 'dry-run': 'true' }, { workspace: ws });
    expectWellFormed(plan.summary);
    const done = await runMain(deploy, inputs, { workspace: ws });
    expectWellFormed(done.summary);
    kestra.fault({
      method: 'POST',
      path: /\/flows\/other$/,
      status: 500,
      count: 10,
      body: '{"message":"<b>down"}',
    });
    const stopped = await runMain(deploy, inputs, {
      workspace: makeWorkspace({ 'flows/b.yml': flow('other', 'b') }),
    });
    expect(stopped.failed).toBe(true);
    expectWellFormed(stopped.summary);
  });
});

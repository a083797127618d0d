// The GitLab CI/CD components in templates/: YAML of two documents (the spec, then the job), every input
// they use declared and every declared input used, and the command each job runs, built by its own shell
// script (run here with a stand-in `npx` that records its argv), made of flags the CLI has
// (__tests__/helpers/cli-flags.ts) and of no credential.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../../scripts/action-runner.js';
import { cliFlags, readCliArgs, type Command } from '../helpers/cli-flags.js';

interface Input {
  default?: unknown;
  type?: string;
  options?: unknown[];
  description?: string;
}
interface Job {
  stage: string;
  variables: Record<string, unknown>;
  image: string;
  script: string[];
  rules: unknown[];
  artifacts: { when: string; reports: { codequality: string; junit: string } };
}

const INPUT = /\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g;
/** What must never be on a command line, where `ps` and the job log can read it. */
const CREDENTIAL_FLAGS = ['password', 'api-token', 'user', 'gitlab-token', 'github-token', 'header'];

const read = (command: Command) => readFileSync(path.join(repoRoot, 'templates', `${command}.yml`), 'utf8');

function spec(command: Command): Record<string, Input> {
  const [header] = parseAllDocuments(read(command));
  return (header!.toJS() as { spec: { inputs: Record<string, Input> } }).spec.inputs;
}

/**
 * The jobs with their inputs replaced, as GitLab does: on the parsed YAML, keys included, a value that is one
 * `$[[ … ]]` taking the input's own type (defaults, then `values`).
 */
function interpolate(command: Command, values: Record<string, unknown> = {}): Record<string, Job> {
  const inputs = spec(command);
  const value = (name: string): unknown => (name in values ? values[name] : inputs[name]?.default);
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = /^\$\[\[\s*inputs\.([\w-]+)\s*\]\]$/.exec(node);
      return whole ? value(whole[1]!) : node.replace(INPUT, (_, name: string) => String(value(name)));
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [walk(k) as string, walk(v)]));
    return node;
  };
  const [, jobs] = parseAllDocuments(read(command));
  return walk(jobs!.toJS()) as Record<string, Job>;
}

/** Runs the job's script as the runner would (its variables in the environment), `npx` standing in. */
function runScript(job: Job, env: Record<string, string> = {}): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'kestra-template-'));
  try {
    const argsFile = path.join(dir, 'argv');
    writeFileSync(path.join(dir, 'npx'), `#!/bin/sh\nprintf '%s\\0' "$@" > "${argsFile}"\n`);
    chmodSync(path.join(dir, 'npx'), 0o755);
    for (const [name, v] of Object.entries(job.variables)) expect([name, typeof v]).toEqual([name, 'string']);
    execFileSync('sh', ['-e', '-c', job.script.join('\n')], {
      env: { PATH: `${dir}:${process.env.PATH ?? ''}`, ...(job.variables as Record<string, string>), ...env },
      stdio: 'pipe',
    });
    return readFileSync(argsFile, 'utf8').split('\0').slice(0, -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npx --yes kestra-actions@V COMMAND DIRECTORY …`: the package, then the CLI's own arguments. */
async function readCommand(command: Command, argv: string[]) {
  const [yes, pkg, ...cli] = argv;
  expect(yes).toBe('--yes');
  expect(pkg).toMatch(/^kestra-actions@\S+$/);
  const { directory, values } = await readCliArgs(command, cli);
  return { pkg, directory, values };
}

describe.each<Command>(['validate', 'deploy'])('templates/%s.yml', (command) => {
  it('is two YAML documents, the spec and the job, each input with a default and a description', () => {
    const docs = parseAllDocuments(read(command));
    expect(docs).toHaveLength(2);
    for (const doc of docs) expect(doc.errors).toEqual([]);
    expect(Object.keys(docs[0]!.toJS() as object)).toEqual(['spec']);
    for (const [name, input] of Object.entries(spec(command))) {
      expect([name, input.default !== undefined, typeof input.description]).toEqual([name, true, 'string']);
    }
  });

  it('uses every input it declares and declares every input it uses, in the jobs only', () => {
    const [header, body] = read(command).split(/^---$/m);
    expect([...header!.matchAll(INPUT)]).toEqual([]);
    const used = new Set([...body!.matchAll(INPUT)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(spec(command)).sort());
  });

  it('runs the CLI on node:24-alpine and publishes the reports it writes', async () => {
    const jobs = interpolate(command);
    expect(Object.keys(jobs)).toEqual([`kestra-${command}`]);
    const job = jobs[`kestra-${command}`]!;
    expect(job.image).toBe('node:24-alpine');
    const { pkg, directory, values } = await readCommand(command, runScript(job));
    expect(pkg).toBe('kestra-actions@1');
    expect(directory).toBe('.');
    expect(job.artifacts).toEqual({
      when: 'always',
      reports: { codequality: values.get('codequality'), junit: values.get('junit') },
    });
  });

  it('passes what it is given, leaves out what is empty, and puts no credential on the command line', async () => {
    const flags = await cliFlags(command);
    const given: Record<string, string> = {
      'job-name': 'kestra-prod',
      version: '1.2.3',
      directory: 'infra/my flows',
      server: 'https://kestra.example.com',
      include: 'company/**,shared/*.yml',
      exclude: 'drafts/**',
      'fail-on-warnings': 'true',
      'comment-id': 'prod "plan"',
    };
    if (command === 'deploy')
      Object.assign(given, {
        namespace: 'prod.team',
        resource: 'namespace-files',
        to: '/scripts',
        'dry-run': 'true',
      });
    const job = interpolate(command, given)['kestra-prod']!;
    const env = { KESTRA_PASSWORD: 'Secret-pass1', KESTRA_API_TOKEN: 'tok', GITLAB_TOKEN: 'glpat-x' };
    const argv = runScript(job, env);
    const { pkg, directory, values } = await readCommand(command, argv);
    expect([pkg, directory]).toEqual(['kestra-actions@1.2.3', 'infra/my flows']);
    for (const name of [
      'server',
      'include',
      'exclude',
      'comment-id',
      'namespace',
      'resource',
      'to',
      'dry-run',
    ])
      if (flags.has(name)) expect([name, values.get(name)]).toEqual([name, String(given[name] ?? false)]);
    expect(values.get('fail-on-warnings')).toBe('true');
    for (const secret of Object.values(env)) expect(argv.join(' ')).not.toContain(secret);
    for (const name of CREDENTIAL_FLAGS) expect(values.has(name)).toBe(false);

    const defaults = await readCommand(command, runScript(interpolate(command)[`kestra-${command}`]!));
    for (const name of ['server', 'include', 'exclude', 'comment-id', 'namespace'])
      expect(defaults.values.has(name)).toBe(false);
  });

  it('reads no credential variable itself: the CLI takes them from its environment', () => {
    expect(read(command)).not.toMatch(
      /\$\{?(KESTRA_PASSWORD|KESTRA_API_TOKEN|KESTRA_USER|GITLAB_TOKEN|CI_JOB_TOKEN)\b/,
    );
  });
});

describe('the deploy template', () => {
  it('deploys from the default branch only, one job at a time per environment', () => {
    const job = interpolate('deploy', { environment: 'staging' })['kestra-deploy'] as Job & {
      environment: { name: string };
      resource_group: string;
    };
    expect(job.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
    expect(job.environment).toEqual({ name: 'staging' });
    expect(job.resource_group).toBe('kestra-staging');
  });

  it('offers the resources the CLI deploys', () => {
    expect(spec('deploy').resource?.options).toEqual(['flows', 'namespace-files']);
  });
});

describe('the README', () => {
  it('runs the command line only with flags the CLI has', async () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const lines = [
      ...readme.matchAll(/kestra-actions(?:@\S+)?[ \t]+((?:validate|deploy)(?=[ \t]|$)[^'\n#`]*)/gm),
    ].map((m) => m[1]!.trim());
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const line of lines) {
      const argv = line.split(/\s+/);
      await expect(readCliArgs(argv[0] as Command, argv)).resolves.toBeDefined();
    }
  });
});

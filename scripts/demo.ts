// `npm run demo`: the real bundled actions against the embedded Kestra emulator and the example flows,
// printed the way a user meets them: annotations, the job summary, the outputs; then the `kestra-actions`
// command as a GitLab job runs it, and the Code Quality report it leaves.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmulator } from '../emulator/index.js';
import { renderLog, renderSummary, repoRoot, runAction, type ActionRun } from './action-runner.js';
import { renderGitLabLog, runCli } from './cli-runner.js';

const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const rule = (title: string): void =>
  console.log(`\n${bold(`━━ ${title} ${'━'.repeat(Math.max(0, 70 - title.length))}`)}`);

function show(run: ActionRun, outputs: string[]): void {
  console.log(renderLog(run.stdout).trim());
  if (run.summary) console.log(`\n${bold('Job summary')}\n${renderSummary(run.summary)}`);
  console.log(`\n${bold('Outputs')}`);
  for (const name of outputs) {
    const value = run.outputs[name] ?? '';
    console.log(`  ${name}: ${value.length > 160 ? `${value.slice(0, 160)}…` : value}`);
  }
  console.log(`\nexit code ${run.code}`);
}

async function main(): Promise<void> {
  for (const bundle of ['validate', 'deploy', 'cli']) {
    if (!existsSync(path.join(repoRoot, 'dist', bundle, 'index.js'))) {
      throw new Error(`dist/${bundle}/index.js is missing: run 'npm run package' first`);
    }
  }
  const credentials = { username: 'demo@kestra.io', password: 'Demo-pass1' };
  const kestra = await startEmulator({ version: '1.3.19', basicAuth: credentials });
  const server = { server: kestra.url, user: credentials.username, password: credentials.password };
  console.log(`Kestra API emulator (OSS 1.3.19, basic auth) listening at ${kestra.url}`);
  try {
    rule('1. validate examples/ (four valid flows, one invalid)');
    show(await runAction('validate', { directory: 'examples', ...server }), [
      'valid',
      'flows',
      'errors',
      'warnings',
    ]);

    const flows = { directory: 'examples/flows', ...server, delete: 'true', 'read-only': 'true' };
    rule('2. deploy examples/flows with dry-run: the plan, nothing written');
    show(await runAction('deploy', { ...flows, 'dry-run': 'true' }), [
      'created',
      'updated',
      'unchanged',
      'deleted',
      'plan',
    ]);

    rule('3. deploy examples/flows (delete + read-only)');
    show(await runAction('deploy', flows), ['created', 'updated', 'unchanged', 'deleted', 'plan']);

    rule('4. deploy again: everything unchanged, no new revision');
    show(await runAction('deploy', flows), ['created', 'updated', 'unchanged', 'deleted']);

    rule('5. deploy examples/namespace-files to company.team (.kestraignore honoured)');
    show(
      await runAction('deploy', {
        ...server,
        resource: 'namespace-files',
        directory: 'examples/namespace-files',
        namespace: 'company.team',
        to: '/',
      }),
      ['created', 'updated', 'unchanged', 'deleted', 'results'],
    );
    console.log(
      `\nStored on the emulator: ${kestra
        .listFlows()
        .map((f) => `${f.namespace}.${f.id}@${f.revision}`)
        .join(', ')}`,
    );
    console.log(`Namespace files of company.team: ${kestra.listFiles('company.team').join(', ')}`);

    rule('6. the kestra-actions command in a GitLab job: validate examples/ with --codequality');
    const dir = mkdtempSync(path.join(tmpdir(), 'kestra-demo-'));
    const report = path.join(dir, 'gl-code-quality.json');
    const command = ['validate', 'examples', '--server', kestra.url, '--codequality', report];
    console.log(`$ KESTRA_USER=… KESTRA_PASSWORD=… npx kestra-actions ${command.join(' ')}`);
    const job = await runCli(command, {
      bundle: true,
      env: {
        GITLAB_CI: 'true',
        KESTRA_USER: credentials.username,
        KESTRA_PASSWORD: credentials.password,
      },
    });
    // A GitLab job log holds both streams; the stages fold into collapsed sections (shown as ▸).
    console.log(renderGitLabLog(`${job.stderr}${job.stdout}`).trim());
    console.log(`\nexit code ${job.code}`);
    console.log(
      `\n${bold('Code Quality report')} (${path.basename(report)}, an artifact GitLab shows in the merge request)`,
    );
    console.log(readFileSync(report, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
  } finally {
    await kestra.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

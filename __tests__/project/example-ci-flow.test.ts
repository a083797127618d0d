// examples/kestra-ci-flow.yml, the flow that runs the command line from Kestra itself: it passes our own
// validation (offline and on a server), its commands are command lines the CLI takes, and its credentials
// come from Kestra secrets through the environment, never from a command line.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { validate } from '../../src/core/pipeline.js';
import type { Logger } from '../../src/kestra/api.js';
import { connect } from '../../src/kestra/connect.js';
import type { ValidateSettings } from '../../src/model/settings.js';
import { repoRoot } from '../../scripts/action-runner.js';
import { readCliArgs, type Command } from '../helpers/cli-flags.js';

const FILE = 'kestra-ci-flow.yml';
const silent: Logger = { info: () => undefined, warning: () => undefined, debug: () => undefined };
const settings: ValidateSettings = {
  workspace: repoRoot,
  directory: 'examples',
  include: [FILE],
  exclude: [],
  failOnWarnings: true,
};

interface Task {
  id: string;
  type: string;
  tasks?: Task[];
  env?: Record<string, string>;
  commands?: string[];
}
const flow = parse(readFileSync(path.join(repoRoot, 'examples', FILE), 'utf8')) as {
  tasks: Task[];
  inputs: { id: string; defaults: unknown }[];
};
const all = (tasks: Task[]): Task[] => tasks.flatMap((t) => [t, ...all(t.tasks ?? [])]);
const script = all(flow.tasks).find((t) => t.type === 'io.kestra.plugin.scripts.node.Commands')!;

describe('examples/kestra-ci-flow.yml', () => {
  it('is valid offline, without a warning', async () => {
    const { totals } = await validate(settings, undefined, silent);
    expect(totals).toMatchObject({ valid: true, flows: 1, errors: 0, warnings: 0 });
    expect(totals.results[0]).toMatchObject({
      file: `examples/${FILE}`,
      namespace: 'company.ci',
      id: 'kestra-ci',
    });
  });

  describe('on a Kestra server', () => {
    let kestra: Emulator;
    beforeAll(async () => {
      kestra = await startEmulator({ version: '1.3.19' });
    });
    afterAll(() => kestra.close());

    it('is valid there too', async () => {
      const client = await connect({ server: kestra.url }, silent);
      try {
        const { totals, mode } = await validate(
          { ...settings, connection: { server: kestra.url } },
          client,
          silent,
        );
        expect(mode).toMatch(/server/);
        expect(totals).toMatchObject({ valid: true, errors: 0, warnings: 0 });
      } finally {
        await client.close();
      }
    });
  });

  it('clones in a working directory, then runs validate and deploy with flags the CLI has', async () => {
    const workspace = flow.tasks.find((t) => t.type === 'io.kestra.plugin.core.flow.WorkingDirectory');
    expect(workspace?.tasks?.map((t) => t.type)).toEqual([
      'io.kestra.plugin.git.Clone',
      'io.kestra.plugin.scripts.node.Commands',
    ]);
    // Pebble, as Kestra renders it with the inputs' defaults.
    const defaults = Object.fromEntries(flow.inputs.map((i) => [i.id, i.defaults]));
    const render = (line: string) =>
      line
        .replace(/\{\{\s*not inputs\.(\w+)\s*\}\}/g, (_, id: string) => String(!defaults[id]))
        .replace(/\{\{\s*inputs\.(\w+)\s*\}\}/g, (_, id: string) => String(defaults[id]));
    const commands = script.commands!.map(render);
    expect(commands.map((c) => c.split(/\s+/).slice(0, 4).join(' '))).toEqual([
      'npx --yes kestra-actions validate',
      'npx --yes kestra-actions deploy',
    ]);
    for (const command of commands) {
      const [, , , name, ...rest] = command.split(/\s+/);
      const { directory, values } = await readCliArgs(name as Command, [name!, ...rest]);
      expect(directory).toBe('flows');
      for (const secret of ['password', 'api-token', 'user']) expect(values.has(secret)).toBe(false);
      if (name === 'deploy') expect(values.get('dry-run')).toBe('true');
    }
  });

  it('takes its credentials from Kestra secrets, through the environment', () => {
    expect(script.env?.KESTRA_PASSWORD).toBe("{{ secret('KESTRA_PASSWORD') }}");
    for (const command of script.commands!) expect(command).not.toMatch(/secret\(|PASSWORD|TOKEN/);
  });
});

// The test helpers model the runner: every input a run leaves out reaches the action as its action.yml
// default, so an empty INPUT_ value in a test means what it means on GitHub (written empty in the workflow).
import { describe, expect, it } from '@jest/globals';
import { actionDefaults, inputVariables } from '../../scripts/action-runner.js';
import { run as validate } from '../../validate/main.js';
import { runMain } from '../helpers/run-main.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

describe('action defaults, as the runner fills them in', () => {
  it("come from each action's own action.yml; inputs without a default stay unset", () => {
    const d = actionDefaults('deploy');
    expect(d).toMatchObject({
      'dry-run': 'false',
      delete: 'false',
      tenant: 'main',
      to: '/',
      resource: 'flows',
      timeout: '30',
      include: '**',
      exclude: '',
      // `${{ github.token }}` is the runner's to evaluate: a test passes the token it means.
      'github-token': '',
    });
    expect(d).not.toHaveProperty('directory');
    expect(d).not.toHaveProperty('server');
    expect(actionDefaults('validate')).not.toHaveProperty('dry-run');
    expect(actionDefaults('validate')).toHaveProperty('server', '');
    expect(actionDefaults('main')).toHaveProperty('dry-run', 'false');
    expect(actionDefaults('main')).not.toHaveProperty('command');
  });

  it('given inputs win, named as the runner names the variables', () => {
    const env = inputVariables('deploy', { directory: 'flows', 'dry-run': '' });
    expect(env['INPUT_DIRECTORY']).toBe('flows');
    expect(env['INPUT_DRY-RUN']).toBe('');
    expect(env['INPUT_READ-ONLY']).toBe('false');
    expect(env['INPUT_TENANT']).toBe('main');
  });

  it('runMain fills them in for the action whose run it is, and the action reads them', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a') });
    // Offline validate reads include, fail-on-warnings and comment, each refused when empty.
    const r = await runMain(validate, { directory: 'flows' }, { workspace: ws });
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(r.outputs).toMatchObject({ valid: 'true', flows: '1' });
    const wrapped = await runMain(() => validate(), { directory: 'flows' }, { workspace: ws });
    expect(wrapped.failed).toBe(true); // not an action's own run: no defaults, unless named
    const named = await runMain(
      () => validate(),
      { directory: 'flows' },
      { workspace: ws, action: 'validate' },
    );
    expect(named.failed).toBe(false);
  });
});

// Kestra 2.0 GA over HTTP: problem details on every error, 409 on a duplicate create, the keys and types
// 2.0 removed; and the same requests on 1.3, which keep the JsonError and the 1.x texts.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { call, flow, postYaml, type ErrorJson, type ValidateJson } from './http.js';

let emulator: Emulator | undefined;
const start = async (opts: EmulatorOptions = {}): Promise<Emulator> => (emulator = await startEmulator(opts));
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const FLOWS = '/api/v1/main/flows';
const PROBLEMS = 'https://kestra.io/docs/api-reference/problems/';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: { detail: string; pointer: string; path: string }[];
  traceId?: string;
}

describe('2.0 problem details', () => {
  it('answers a duplicate create with 409 entity-already-exists', async () => {
    const e = await start({ version: '2.0.0' });
    expect((await postYaml(e, FLOWS, flow('a'))).status).toBe(200);
    const res = await postYaml(e, FLOWS, flow('a'));
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json<Problem>()).toEqual({
      type: PROBLEMS + 'entity-already-exists',
      title: 'Entity already exists',
      status: 409,
      detail: "A flow with id 'a' already exists in namespace 'company.team'.",
      instance: FLOWS,
    });
  });

  it('answers a constraint failure with 422 validation-failed and one errors[] entry per violation', async () => {
    const e = await start({ version: '2.0.0' });
    const res = await postYaml(e, FLOWS, 'id: a\nnamespace: company.team\ntasks: []\n');
    expect(res.status).toBe(422);
    const problem = res.json<Problem>();
    expect(problem).toMatchObject({ type: PROBLEMS + 'validation-failed', status: 422, instance: FLOWS });
    expect(problem.detail).toContain('tasks: must not be empty');
    expect(problem.errors).toContainEqual({ detail: 'must not be empty', pointer: '/tasks', path: 'tasks' });
  });

  it('answers a missing flow with 404 not-found and a missing route too', async () => {
    const e = await start({ version: '2.0.0' });
    const res = await call(e, 'GET', `${FLOWS}/company.team/missing`);
    expect(res.status).toBe(404);
    expect(res.json<Problem>()).toMatchObject({ type: PROBLEMS + 'not-found', title: 'Resource not found' });
    expect((await call(e, 'GET', '/api/v1/main/nothing-here')).json<Problem>().type).toBe(
      PROBLEMS + 'not-found',
    );
  });

  it('answers 401 with an unauthenticated problem body (1.x sent none)', async () => {
    const creds = { username: 'u@example.com', password: 'Secret123' };
    const e = await start({ version: '2.0.0', basicAuth: creds });
    const res = await call(e, 'GET', `${FLOWS}/company.team`);
    expect(res.status).toBe(401);
    expect(res.json<Problem>()).toMatchObject({ type: PROBLEMS + 'unauthenticated', status: 401 });
  });

  it('hides a server error behind a fixed detail and a traceId', async () => {
    const e = await start({ version: '2.0.0' });
    // A flow without namespace makes the bulk update's namespace check throw (a 500 on 1.x and 2.0).
    const res = await postYaml(e, `${FLOWS}/company.team?delete=false`, 'id: a\ntasks: []\n');
    expect(res.status).toBe(500);
    const problem = res.json<Problem>();
    expect(problem.type).toBe(PROBLEMS + 'internal-error');
    expect(problem.traceId).toBeDefined();
    expect(problem.detail).not.toMatch(/null|exception/i);
  });

  it('answers an injected server fault as a problem too, and a proxy fault as HTML', async () => {
    const e = await start({ version: '2.0.0' });
    e.fault({ path: `${FLOWS}/company.team`, status: 503, count: 1 });
    const res = await call(e, 'GET', `${FLOWS}/company.team`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json<Problem>()).toMatchObject({ status: 503, instance: `${FLOWS}/company.team` });
    e.fault({ path: `${FLOWS}/company.team`, html: true });
    expect((await call(e, 'GET', `${FLOWS}/company.team`)).headers.get('content-type')).toContain(
      'text/html',
    );
  });

  it('refuses a namespace-file name over 255 characters with a 422 (1.3 stores it)', async () => {
    const path = `/${'n'.repeat(256)}.txt`;
    const get = (e: Emulator) => call(e, 'GET', `/api/v1/main/namespaces/company.team/files?path=${path}`);
    const e = await start({ version: '2.0.0' });
    const res = await get(e);
    expect(res.status).toBe(422);
    expect(res.json<Problem>().detail).toBe(
      'A file or folder name exceeds the maximum length of 255 characters.',
    );
    await e.close();
    expect((await get(await start({ version: '1.3.19' }))).status).toBe(404);
  });

  it('keeps the 1.x JsonError and the 422 duplicate on 1.3', async () => {
    const e = await start({ version: '1.3.19' });
    await postYaml(e, FLOWS, flow('a'));
    const res = await postYaml(e, FLOWS, flow('a'));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.json<ErrorJson>().message).toBe('Invalid entity: flow.id: Flow id already exists');
  });
});

describe('flow syntax removed in 2.0', () => {
  const validate = async (e: Emulator, source: string): Promise<string | undefined> => {
    const res = await postYaml(e, `${FLOWS}/validate`, source);
    return res.json<ValidateJson[]>()[0]!.constraints;
  };
  const task = (type: string, extra = ''): string =>
    `id: a\nnamespace: company.team\ntasks:\n  - id: t\n    type: ${type}\n${extra}`;
  const cases: [string, string, string][] = [
    [
      'pluginDefaults',
      flow('a', 'company.team', 'pluginDefaults:\n  - type: io.kestra.plugin.core.log.Log\n    values: {}\n'),
      'Unrecognized field "pluginDefaults"',
    ],
    ['taskDefaults', flow('a', 'company.team', 'taskDefaults: []\n'), 'Unrecognized field "taskDefaults"'],
    ['listeners', flow('a', 'company.team', 'listeners: []\n'), 'Unrecognized field "listeners"'],
    [
      'ForEach',
      task(
        'io.kestra.plugin.core.flow.ForEach',
        '    values: [1]\n    tasks:\n      - id: l\n        type: io.kestra.plugin.core.log.Log\n        message: x\n',
      ),
      'Invalid type: io.kestra.plugin.core.flow.ForEach',
    ],
    [
      'ForEachItem',
      task('io.kestra.plugin.core.flow.ForEachItem'),
      'Invalid type: io.kestra.plugin.core.flow.ForEachItem',
    ],
    [
      'debug.Echo',
      task('io.kestra.plugin.core.debug.Echo', '    format: x\n'),
      'Invalid type: io.kestra.plugin.core.debug.Echo',
    ],
    [
      'an alias',
      task('io.kestra.core.tasks.log.Log', '    message: x\n'),
      'Invalid type: io.kestra.core.tasks.log.Log',
    ],
    [
      'trigger conditions',
      flow(
        'a',
        'company.team',
        'triggers:\n  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "0 * * * *"\n    conditions:\n      - type: io.kestra.plugin.core.condition.Expression\n        expression: "true"\n',
      ),
      'Unrecognized field "conditions"',
    ],
    [
      'Flow trigger preconditions',
      flow(
        'a',
        'company.team',
        'triggers:\n  - id: f\n    type: io.kestra.plugin.core.trigger.Flow\n    preconditions:\n      id: up\n      flows:\n        - namespace: company.team\n          flowId: other\n',
      ),
      'Unrecognized field "preconditions"',
    ],
  ];

  it.each(cases)('rejects %s on 2.0 and accepts it on 1.3', async (_, source, text) => {
    const e20 = await start({ version: '2.0.0' });
    expect(await validate(e20, source)).toContain(text);
    const create = await postYaml(e20, FLOWS, source);
    expect(create.status).toBe(422);
    expect(create.json<Problem>().detail).toContain(text);
    await e20.close();
    const e13 = await start({ version: '1.3.19' });
    expect(await validate(e13, source)).toBeUndefined();
  });

  it('knows Loop on 2.0 only', async () => {
    const loop = task('io.kestra.plugin.core.flow.Loop');
    const e20 = await start({ version: '2.0.0' });
    expect(await validate(e20, loop)).toBeUndefined();
    await e20.close();
    const e13 = await start({ version: '1.3.19' });
    expect(await validate(e13, loop)).toContain('Invalid type: io.kestra.plugin.core.flow.Loop');
  });
});

describe('flow search on 2.0', () => {
  it('reads filters[namespace][EQUALS] and ignores the removed legacy namespace=', async () => {
    const e = await start({ version: '2.0.0' });
    e.seedFlow(flow('a', 'company.team'));
    e.seedFlow(flow('b', 'company.other'));
    const ids = async (query: string): Promise<string[]> =>
      (await call(e, 'GET', `${FLOWS}/search?${query}`))
        .json<{ results: { id: string }[] }>()
        .results.map((r) => r.id);
    expect(await ids(`${encodeURIComponent('filters[namespace][EQUALS]')}=company.team`)).toEqual(['a']);
    expect(await ids('namespace=company.team')).toEqual(['a', 'b']);
  });
});

// Both error shapes the client reads (docs/kestra-api.md#errors): 1.x JsonError and 2.x problem details,
// as parsed bodies, as messages, and over real HTTP against the emulator at 2.0.0.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { connect } from '../../src/kestra/index.js';
import type { ClientOptions, KestraClient } from '../../src/kestra/index.js';
import {
  ALREADY_EXISTS,
  httpError,
  isAlreadyExists,
  parseErrorBody,
  type ErrorContext,
} from '../../src/kestra/errors.js';
import { failure, fastRetry } from './helpers.js';

const P = 'https://kestra.io/docs/api-reference/problems/';
const ctx: ErrorContext = { auth: 'none', tenant: 'main', tenantInPath: true, timeoutSeconds: 5 };
const problem = (status: number, slug: string, extra: object = {}): string =>
  JSON.stringify({ type: P + slug, title: 'T', status, instance: '/api/v1/main/flows', ...extra });

describe('parseErrorBody', () => {
  it('reads a problem document: detail, errors[] with path (else pointer), type and traceId', () => {
    const body = problem(422, 'validation-failed', {
      detail: 'tasks: must not be empty',
      errors: [
        { detail: 'must not be empty', pointer: '/tasks', path: 'tasks' },
        { detail: 'must match', pointer: '/id' },
        { detail: 'general' },
        { pointer: '/no-detail' },
      ],
    });
    expect(parseErrorBody(body)).toEqual({
      message: 'tasks: must not be empty',
      type: P + 'validation-failed',
      details: [
        { message: 'must not be empty', path: 'tasks' },
        { message: 'must match', path: '/id' },
        { message: 'general' },
      ],
    });
    expect(parseErrorBody(problem(500, 'internal-error', { detail: 'd', traceId: 'abc' }))).toMatchObject({
      traceId: 'abc',
    });
  });

  it('falls back to the title when a problem has no detail, and takes no errors[] as none', () => {
    expect(parseErrorBody(JSON.stringify({ type: P + 'not-found', title: 'Resource not found' }))).toEqual({
      message: 'Resource not found',
      type: P + 'not-found',
      details: [],
    });
  });

  it('still reads the 1.x JsonError, and has no type there', () => {
    expect(parseErrorBody('{"message":"m","_embedded":{"errors":[{"message":"e","path":"p"}]}}')).toEqual({
      message: 'm',
      details: [{ message: 'e', path: 'p' }],
    });
  });
});

describe('httpError with a problem document', () => {
  const url = 'http://k/api/v1/main/flows';
  const err = (status: number, body: string) =>
    httpError('POST', url, status, 'application/problem+json', body, ctx);

  it('shows detail and the field errors it does not already say, on one line', () => {
    const e = err(
      422,
      problem(422, 'validation-failed', {
        detail: 'tasks: must not be empty',
        errors: [
          { detail: 'must not be empty', path: 'tasks' },
          { detail: 'must match "^[a-z]+$"', path: 'id' },
        ],
      }),
    );
    expect(e.message).toBe(
      `422 Unprocessable Entity from POST ${url}: tasks: must not be empty; id: must match "^[a-z]+$"`,
    );
    expect(e.problemType).toBe(P + 'validation-failed');
    expect(e.serverMessage).toBe('tasks: must not be empty');
  });

  it('knows "already exists" by type on 2.x and by the 422 text on 1.x, never by 2.x wording', () => {
    const exists = err(409, problem(409, 'entity-already-exists', { detail: "A flow with id 'a' exists." }));
    expect(exists.problemType).toBe(ALREADY_EXISTS);
    expect(isAlreadyExists(exists)).toBe(true);
    // A 409 of another type, even worded alike, is not "already exists".
    expect(isAlreadyExists(err(409, problem(409, 'conflict', { detail: 'already exists' })))).toBe(false);
    expect(isAlreadyExists(err(422, problem(422, 'validation-failed', { detail: 'already exists' })))).toBe(
      false,
    );
    const v1 = httpError(
      'POST',
      url,
      422,
      'application/json',
      '{"message":"Invalid entity: flow.id: Flow id already exists"}',
      ctx,
    );
    expect(isAlreadyExists(v1)).toBe(true);
    expect(
      isAlreadyExists(httpError('POST', url, 409, 'application/json', '{"message":"Illegal state: x"}', ctx)),
    ).toBe(false);
  });

  it('gives the OSS tenant hint on a 400 whatever its detail says', () => {
    const oss = { ...ctx, edition: 'OSS' as const, tenant: 'prod' };
    const e = httpError(
      'GET',
      url,
      400,
      'application/problem+json',
      problem(400, 'bad-request', { detail: '?' }),
      oss,
    );
    expect(e.message).toContain("open-source Kestra only knows the tenant 'main'");
    expect(err(400, problem(400, 'bad-request', { detail: '?' })).message).not.toContain('tenant');
  });

  it('gives the 401 hint after the detail, and the traceId of a 5xx', () => {
    expect(err(401, problem(401, 'unauthenticated', { detail: 'Authentication required.' })).message).toBe(
      `401 Unauthorized from POST ${url}: Authentication required.: the server requires authentication: set 'user'/'password' or 'api-token'`,
    );
    expect(
      err(500, problem(500, 'internal-error', { detail: 'Unexpected error.', traceId: 't-1' })).message,
    ).toBe(
      `500 Internal Server Error from POST ${url}: Unexpected error.: server error, the request may be fine; see the Kestra server logs (traceId t-1)`,
    );
  });
});

describe('the client against Kestra 2.0.0 over HTTP', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });
  const emulator = async (opts: EmulatorOptions = {}): Promise<Emulator> => {
    const e = await startEmulator({ version: '2.0.0', ...opts });
    open.push(e);
    return e;
  };
  const client = async (e: Emulator, extra: Partial<ClientOptions> = {}): Promise<KestraClient> => {
    const c = await connect({ server: e.url, retry: fastRetry, ...extra });
    open.push(c);
    return c;
  };
  const flow = (id: string, extra = '') =>
    `id: ${id}\nnamespace: team\n${extra}tasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`;

  it('a create of an existing flow is a 409 with the server detail on one line', async () => {
    const e = await emulator();
    e.seedFlow(flow('a'));
    const err = await failure((await client(e)).createFlow(flow('a')));
    expect(err.status).toBe(409);
    expect(err.problemType).toBe(ALREADY_EXISTS);
    expect(err.message).toBe(
      `409 Conflict from POST ${e.url}/api/v1/main/flows: A flow with id 'a' already exists in namespace 'team'.`,
    );
  });

  it('a retried create whose flow is there with our source succeeds (409 read as "already exists")', async () => {
    const e = await emulator();
    // The first attempt's answer is lost; the flow is there (as if that attempt had landed).
    e.seedFlow(flow('a'));
    e.fault({ method: 'POST', path: '/api/v1/main/flows', drop: true });
    const created = await (await client(e)).createFlow(flow('a'));
    expect(created).toMatchObject({ id: 'a', namespace: 'team', revision: 1 });
  });

  it('a retried create that finds another source still fails with the 409', async () => {
    const e = await emulator();
    e.seedFlow(flow('a', 'description: theirs\n'));
    e.fault({ method: 'POST', path: '/api/v1/main/flows', drop: true });
    expect((await failure((await client(e)).createFlow(flow('a')))).status).toBe(409);
  });

  it('a rejected flow reads as detail and paths on one line', async () => {
    const e = await emulator();
    const err = await failure((await client(e)).createFlow('id: a\nnamespace: team\ntasks: []\n'));
    expect(err.status).toBe(422);
    expect(err.message).not.toContain('\n');
    expect(err.message).toContain('tasks: must not be empty');
  });

  it('a removed key is refused at create with the 2.0 text', async () => {
    const e = await emulator();
    const err = await failure((await client(e)).createFlow(flow('a', 'taskDefaults: []\n')));
    expect(err.message).toContain('Unrecognized field "taskDefaults"');
  });

  it('a 401 with a problem body still gets the credentials hint', async () => {
    const e = await emulator({ basicAuth: { username: 'u@example.com', password: 'Secret123' } });
    const c = await client(e, { user: 'u@example.com', password: 'wrong' });
    const err = await failure(c.listFlows('team'));
    expect(err.status).toBe(401);
    expect(err.message).toContain('check both');
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { call } from './http.js';

let emulator: Emulator | undefined;
const start = async (opts: EmulatorOptions = {}): Promise<Emulator> => (emulator = await startEmulator(opts));
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const creds = { username: 'admin@kestra.io', password: 'Secret123' };
const basic = (user: string, password: string): Record<string, string> => ({
  authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64'),
});
const LIST = '/api/v1/main/flows/company.team';

describe('no credentials configured', () => {
  it('is open', async () => {
    const e = await start();
    expect((await call(e, 'GET', LIST)).status).toBe(200);
  });
});

describe('OSS basic auth', () => {
  it('from 0.24: 401 with an empty body and `WWW-Authenticate: Basic`; /configs stays open', async () => {
    const e = await start({ version: '0.24.0', basicAuth: creds });
    const res = await call(e, 'GET', LIST);
    expect(res.status).toBe(401);
    expect(res.text).toBe('');
    expect(res.headers.get('www-authenticate')).toBe('Basic');
    expect((await call(e, 'GET', '/api/v1/configs')).status).toBe(200);
    expect((await call(e, 'GET', LIST, { headers: basic(creds.username, creds.password) })).status).toBe(200);
    expect((await call(e, 'GET', LIST, { headers: basic(creds.username, 'wrong') })).status).toBe(401);
  });

  it('up to 0.23: the challenge has a realm and /configs is protected too', async () => {
    const e = await start({ version: '0.23.0', basicAuth: creds });
    const res = await call(e, 'GET', LIST);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm=Kestra');
    expect((await call(e, 'GET', '/api/v1/configs')).status).toBe(401);
    const headers = basic(creds.username, creds.password);
    expect((await call(e, 'GET', '/api/v1/configs', { headers })).status).toBe(200);
  });

  it('ignores Bearer tokens on OSS', async () => {
    const e = await start({ basicAuth: creds, tokens: ['t0k3n'] });
    expect((await call(e, 'GET', LIST, { headers: { authorization: 'Bearer t0k3n' } })).status).toBe(401);
  });

  it('accepts the BASIC_AUTH cookie from 0.24, and omits the challenge for the login page', async () => {
    const e = await start({ basicAuth: creds });
    const cookie = 'BASIC_AUTH=' + Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
    expect((await call(e, 'GET', LIST, { headers: { cookie } })).status).toBe(200);
    const res = await call(e, 'GET', LIST, { headers: { referer: 'http://localhost:8080/ui/login' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBeNull();
  });

  it('leaves webhooks open', async () => {
    const e = await start({ basicAuth: creds });
    // No such route in the emulator: reaching the router (404) proves the filter let it through.
    expect((await call(e, 'POST', '/api/v1/main/executions/webhook/ns/flow/key')).status).toBe(404);
  });
});

describe('EE', () => {
  it('accepts a configured bearer token, or the user basic auth, and answers 401 otherwise', async () => {
    const e = await start({ edition: 'EE', tokens: ['t0k3n'], basicAuth: creds });
    expect((await call(e, 'GET', LIST, { headers: { authorization: 'Bearer t0k3n' } })).status).toBe(200);
    expect((await call(e, 'GET', LIST, { headers: basic(creds.username, creds.password) })).status).toBe(200);
    expect((await call(e, 'GET', LIST, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await call(e, 'GET', LIST)).status).toBe(401);
    expect((await call(e, 'GET', '/api/v1/configs')).status).toBe(200);
  });

  it('with tokens only, basic credentials are refused', async () => {
    const e = await start({ edition: 'EE', tokens: ['t0k3n'] });
    expect((await call(e, 'GET', LIST, { headers: basic('a', 'b') })).status).toBe(401);
  });
});

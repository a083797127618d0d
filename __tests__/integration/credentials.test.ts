// Which credentials go out, per edition, and what a 401 then says: the action end to end over real HTTP
// against the emulator's OSS and EE authentication.
import { describe, expect, it } from '@jest/globals';
import { run as deploy } from '../../deploy/main.js';
import { startEmulator } from '../../emulator/index.js';
import { run as validate } from '../../validate/main.js';
import { runMain, type MainRun } from '../helpers/run-main.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

const credentials = { username: 'ci@kestra.io', password: 'Secret-pass1' };
const TOKEN = 'tok-Abcdef123456';

const errors = (r: MainRun): string[] =>
  r.annotations.filter((a) => a.level === 'error').map((a) => a.message);

describe('credentials per edition', () => {
  const ws = (): string => makeWorkspace({ 'flows/one.yml': flow('team', 'one') });

  it('OSS: with a token and user/password, basic auth is sent and a notice says the token is ignored', async () => {
    const kestra = await startEmulator({ version: '1.3.19', basicAuth: credentials });
    try {
      const r = await runMain(
        deploy,
        {
          directory: 'flows',
          server: kestra.url,
          'api-token': TOKEN,
          user: credentials.username,
          password: credentials.password,
        },
        { workspace: ws() },
      );
      expect(errors(r)).toEqual([]);
      expect(r.failed).toBe(false);
      expect(kestra.getFlow('team', 'one')).toBeDefined();
      const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
      // /configs is asked with the token (it does not know the edition yet); every request after it with basic.
      expect(kestra.requests.slice(1).map((q) => q.headers.authorization)).toEqual(
        kestra.requests.slice(1).map(() => basic),
      );
      expect(r.annotations).toContainEqual(
        expect.objectContaining({
          level: 'notice',
          message:
            "open-source Kestra has no API tokens: 'api-token' is ignored, and 'user'/'password' are sent (basic auth)",
        }),
      );
    } finally {
      await kestra.close();
    }
  });

  it('OSS 0.22, /configs protected: a 401 to the token is asked again with user/password', async () => {
    const kestra = await startEmulator({ version: '0.22.0', basicAuth: credentials });
    try {
      const r = await runMain(
        validate,
        {
          directory: 'flows',
          server: kestra.url,
          'api-token': TOKEN,
          user: credentials.username,
          password: credentials.password,
        },
        { workspace: ws() },
      );
      expect(errors(r)).toEqual([]);
      expect(
        kestra.requests.map((q) => `${q.method} ${q.path} ${String(q.headers.authorization).split(' ')[0]}`),
      ).toEqual([
        'GET /api/v1/configs Bearer',
        'GET /api/v1/configs Basic',
        'POST /api/v1/flows/validate Basic',
      ]);
    } finally {
      await kestra.close();
    }
  });

  it('OSS: a wrong password with a token given too: the 401 names the basic auth sent, and the token as not sent', async () => {
    const kestra = await startEmulator({ version: '1.3.19', basicAuth: credentials });
    try {
      const r = await runMain(
        deploy,
        {
          directory: 'flows',
          server: kestra.url,
          'api-token': TOKEN,
          user: credentials.username,
          password: 'Wrong-pass1',
        },
        { workspace: ws() },
      );
      expect(r.failed).toBe(true);
      expect(errors(r).join('\n')).toContain(
        "the server refused the basic auth sent from 'user'/'password': check both ('api-token' was not sent: open-source Kestra has no API tokens)",
      );
      expect(kestra.writes()).toEqual([]);
    } finally {
      await kestra.close();
    }
  });

  it('EE: the token wins, and its 401 names the token sent and user/password as not sent', async () => {
    const kestra = await startEmulator({
      version: '1.3.0',
      edition: 'EE',
      tokens: [TOKEN],
      basicAuth: credentials,
    });
    try {
      const r = await runMain(
        deploy,
        {
          directory: 'flows',
          server: kestra.url,
          'api-token': 'tok-Revoked-000000',
          user: credentials.username,
          password: credentials.password,
        },
        { workspace: ws() },
      );
      expect(r.failed).toBe(true);
      expect(errors(r).join('\n')).toContain(
        "the server refused the API token sent from 'api-token': check it is current and not revoked; 'user'/'password' were not sent (the token wins when both are given): remove 'api-token' to use them",
      );
      expect(kestra.writes()).toEqual([]);
      // Only the runner's mask commands carry it.
      const shown = r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
      expect(shown.join('\n')).not.toContain('tok-Revoked-000000');
    } finally {
      await kestra.close();
    }
  });

  it.each(['Bearer ', 'bearer ', '  BEARER   '])(
    "EE: a token pasted with '%s' in front is sent once as Bearer, with a notice",
    async (prefix) => {
      const kestra = await startEmulator({ version: '1.3.0', edition: 'EE', tokens: [TOKEN] });
      try {
        const r = await runMain(
          deploy,
          { directory: 'flows', server: kestra.url, 'api-token': `${prefix}${TOKEN}` },
          { workspace: ws() },
        );
        expect(errors(r)).toEqual([]);
        expect(kestra.getFlow('team', 'one')).toBeDefined();
        expect(new Set(kestra.requests.map((q) => q.headers.authorization))).toEqual(
          new Set([`Bearer ${TOKEN}`]),
        );
        expect(r.annotations).toContainEqual({
          level: 'notice',
          message: "'api-token' starts with 'Bearer ': the prefix is dropped (the action adds it itself)",
        });
        expect(r.stdout).toContain(`::add-mask::${TOKEN}`);
      } finally {
        await kestra.close();
      }
    },
  );
});

// The client's pure parts: URL normalisation, version detection, auth header, body splitting rules.
import { describe, expect, it } from '@jest/globals';
import { flowsMultipart } from '../../src/kestra/bodies.js';
import {
  joinYaml,
  splitsInBulk,
  splitsInValidate,
  uploadPartName,
  validateBatches,
} from '../../src/kestra/bodies.js';
import { parseErrorBody, textSnippet } from '../../src/kestra/errors.js';
import { retryAfterMs } from '../../src/kestra/http.js';
import { filePath, normaliseServer, parseVersion, serverInfo } from '../../src/kestra/paths.js';
import { authorizationValue, connect } from '../../src/kestra/index.js';

describe('normaliseServer', () => {
  it.each([
    ['https://kestra.example.com', 'https://kestra.example.com'],
    ['https://kestra.example.com/', 'https://kestra.example.com'],
    ['  https://kestra.example.com//  ', 'https://kestra.example.com'],
    ['https://kestra.example.com/api/v1', 'https://kestra.example.com'],
    ['https://kestra.example.com/api/v1/', 'https://kestra.example.com'],
    ['https://kestra.example.com/api/v1/main/flows', 'https://kestra.example.com'],
    ['https://kestra.example.com/ui', 'https://kestra.example.com'],
    ['https://kestra.example.com/ui/main/flows/edit/a/b', 'https://kestra.example.com'],
    ['https://example.com/kestra/ui/', 'https://example.com/kestra'],
    ['http://localhost:8080', 'http://localhost:8080'],
  ])('%s → %s', (given, expected) => {
    expect(normaliseServer(given)).toBe(expected);
  });

  it('refuses what is not an http(s) URL, and credentials in the URL (without echoing them)', () => {
    expect(() => normaliseServer('kestra.example.com')).toThrow("'server' is not a URL");
    expect(() => normaliseServer('ftp://kestra.example.com')).toThrow(
      "must be an http:// or https:// URL, not 'ftp:'",
    );
    let message = '';
    try {
      normaliseServer('https://me:hunter2@kestra.example.com');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe("'server' must not contain credentials; use 'user'/'password' or 'api-token'");
  });
});

describe('version detection', () => {
  it.each([
    ['1.3.19', [1, 3, 19]],
    ['v0.22.0', [0, 22, 0]],
    ['2.0.0-SNAPSHOT', [2, 0, 0]],
    ['1.3', [1, 3, 0]],
  ])('parses %s', (v, expected) => {
    expect(parseVersion(v)).toEqual(expected);
  });

  it('reads nothing from a non-version', () => {
    expect(parseVersion('develop')).toBeUndefined();
  });

  it.each([
    [{ version: '0.22.0' }, { edition: 'OSS', tenantInPath: false, multipart: false }],
    [{ version: '0.23.0' }, { edition: 'OSS', tenantInPath: true, multipart: false }],
    [
      { version: '1.2.5', edition: 'OSS' },
      { edition: 'OSS', tenantInPath: true, multipart: false },
    ],
    [
      { version: '1.3.0', edition: 'OSS' },
      { edition: 'OSS', tenantInPath: true, multipart: true },
    ],
    [
      { version: '2.0.0-SNAPSHOT', edition: 'EE' },
      { edition: 'EE', tenantInPath: true, multipart: true },
    ],
    [
      { version: '0.22.1', edition: 'EE' },
      { edition: 'EE', tenantInPath: true, multipart: false },
    ],
    [{}, { version: 'unknown', edition: 'OSS', tenantInPath: true, multipart: false, known: false }],
  ])('%j → %j', (configs, expected) => {
    expect(serverInfo(configs)).toMatchObject(expected);
  });
});

describe('authorizationValue', () => {
  it('prefers the token, then basic, else nothing', () => {
    expect(authorizationValue({ apiToken: 'tok', user: 'u', password: 'p' })).toBe('Bearer tok');
    expect(authorizationValue({ user: 'me@x.io', password: 'pä:ss' })).toBe(
      `Basic ${Buffer.from('me@x.io:pä:ss', 'utf8').toString('base64')}`,
    );
    expect(authorizationValue({ apiToken: '  ', user: 'u', password: 'p' })).toBe('Basic dTpw');
    expect(authorizationValue({ user: 'u' })).toBeUndefined();
    expect(authorizationValue({})).toBeUndefined();
  });

  it('connect refuses half a basic-auth pair and bad headers before any request', async () => {
    // Port 9 (discard) is never contacted: these fail before the first request.
    await expect(connect({ server: 'http://127.0.0.1:9', user: 'u' })).rejects.toThrow(
      "'password' is missing",
    );
    await expect(connect({ server: 'http://127.0.0.1:9', password: 'p' })).rejects.toThrow(
      "'user' is missing",
    );
    await expect(
      connect({ server: 'http://127.0.0.1:9', headers: { 'x-a': 'v\r\nx-b: w' } }),
    ).rejects.toThrow("header 'x-a' has a line break in its value");
    await expect(connect({ server: 'http://127.0.0.1:9', headers: { 'bad name': 'v' } })).rejects.toThrow(
      "header name 'bad name' is not valid",
    );
    await expect(connect({ server: 'http://127.0.0.1:9', timeoutSeconds: 0 })).rejects.toThrow(
      "'timeout' must be a positive number of seconds, got 0",
    );
  });
});

describe('YAML bodies', () => {
  const f = (source: string, filename = 'f.yml') => ({ source, filename });

  it('knows which flows the validate split would cut (a line starting with ---)', () => {
    expect(splitsInValidate('id: a\nnamespace: b\n')).toBe(false);
    expect(splitsInValidate('id: a\ndescription: "x---y"\n')).toBe(false);
    expect(splitsInValidate('id: a\nscript: |\n  ---\n')).toBe(false);
    expect(splitsInValidate('---\nid: a\n')).toBe(true);
    expect(splitsInValidate('id: a\n---\nid: b\n')).toBe(true);
    expect(splitsInValidate('id: a\r\n--- # c\r\n')).toBe(true);
  });

  it('knows which flows the bulk split would cut (any ---)', () => {
    expect(splitsInBulk('id: a\n')).toBe(false);
    expect(splitsInBulk('id: a\ndescription: "x---y"\n')).toBe(true);
  });

  it('batches by 100 in multipart mode and isolates cut-prone flows in YAML mode', () => {
    const many = Array.from({ length: 250 }, (_, i) => f(`id: f${i}\n`));
    expect(validateBatches(many, true).map((b) => b.length)).toEqual([100, 100, 50]);
    const mixed = [f('id: a\n'), f('---\nid: b\n'), f('id: c\n')];
    expect(validateBatches(mixed, false)).toEqual([[1], [0, 2]]);
    expect(validateBatches(mixed, true)).toEqual([[0, 1, 2]]);
    expect(validateBatches([], false)).toEqual([]);
  });

  it('joins flows with a --- line the server splits on exactly there', () => {
    const joined = joinYaml([f('id: a\n'), f('id: b'), f('id: c\n\n')]);
    expect(joined).toBe('id: a\n\n---\nid: b\n---\nid: c\n\n');
    // The server's split (Java regex \n+---\n*? on the trimmed body) gives the three flows back.
    expect(joined.trim().split(/\n+---\n*?/)).toEqual(['id: a', '\nid: b', '\nid: c']);
  });

  it('never gives an upload part a name ending in .zip (the server would extract it)', () => {
    expect(uploadPartName('/scripts/a.py')).toBe('a.py');
    expect(uploadPartName('/data/archive.zip')).toBe('archive.zip.bin');
    expect(uploadPartName('/data/ARCHIVE.ZIP')).toBe('ARCHIVE.ZIP.bin');
    expect(uploadPartName('/')).toBe('file');
  });

  it('normalises namespace-file paths', () => {
    expect(filePath('a/b.txt')).toBe('/a/b.txt');
    expect(filePath('/a//b/')).toBe('/a/b');
    expect(filePath('')).toBe('/');
    expect(filePath('/')).toBe('/');
  });
});

describe('error bodies', () => {
  it('reads message and _embedded.errors as a list or a single object', () => {
    expect(
      parseErrorBody('{"message":"m","_embedded":{"errors":[{"message":"e","path":"p"},{"message":"f"}]}}'),
    ).toEqual({ message: 'm', details: [{ message: 'e', path: 'p' }, { message: 'f' }] });
    expect(parseErrorBody('{"message":"m","_embedded":{"errors":{"message":"e","path":""}}}')).toEqual({
      message: 'm',
      details: [{ message: 'e' }],
    });
    expect(parseErrorBody('<html>')).toBeUndefined();
    expect(parseErrorBody('[1]')).toBeUndefined();
  });

  it('strips tags, scripts and entities from text and cuts it', () => {
    expect(textSnippet('<p>a&amp;b</p><script>x()</script>\n\n c')).toBe('a&b c');
    expect(textSnippet('x'.repeat(300))).toBe(`${'x'.repeat(200)}…`);
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    const ms = retryAfterMs(new Date(Date.now() + 5000).toUTCString()) ?? 0;
    expect(ms).toBeGreaterThan(3000);
    expect(ms).toBeLessThanOrEqual(5000);
  });
});

describe('multipart bodies', () => {
  it('round-trip through a standard multipart parser: one `flows` part per flow, exact text, safe filenames', async () => {
    const flows = [
      { source: 'id: a\nnamespace: n\n# émoji 🚀\n', filename: 'flows/a.yml' },
      { source: 'id: b\r\nnamespace: n\r\n', filename: 'we"ird\nname.yml' },
    ];
    const { contentType, body } = flowsMultipart(flows);
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    const parts = form.getAll('flows') as File[];
    // Quotes and line breaks travel percent-encoded, as browsers send them, and come back decoded.
    expect(body.toString()).toContain('filename="we%22ird%0Aname.yml"');
    expect(parts.map((p) => p.name)).toEqual(['flows/a.yml', 'we"ird\nname.yml']);
    expect(await Promise.all(parts.map((p) => p.text()))).toEqual(flows.map((f) => f.source));
    expect(parts.every((p) => p.type === 'application/x-yaml')).toBe(true);
  });
});

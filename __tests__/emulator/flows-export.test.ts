// GET …/flows/export/by-query as each emulated version answers it: which query selects the flows, the entry
// names, deleted flows left out, and the archive laid out as Java's ZipOutputStream writes it.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { readZip as emulatorReadZip } from '../../emulator/zip.js';
import { readZip } from '../../src/kestra/zip.js';
import { call, flow } from './http.js';

let emulator: Emulator | undefined;
let base = '/api/v1/main';
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** team.a (two flows, one deleted), its child team.a.sub, and team.b. */
async function seeded(version: string): Promise<Emulator> {
  const e = (emulator = await startEmulator({ version }));
  base = version.startsWith('0.') ? '/api/v1' : '/api/v1/main';
  e.seedFlow(flow('one', 'team.a'));
  e.seedFlow(flow('gone', 'team.a'));
  e.seedFlow(flow('kid', 'team.a.sub'));
  e.seedFlow(flow('other', 'team.b'));
  expect((await call(e, 'DELETE', `${base}/flows/team.a/gone`)).status).toBe(204);
  return e;
}

const exported = async (e: Emulator, query: string): Promise<string[]> => {
  const res = await call(e, 'GET', `${base}/flows/export/by-query?${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toBe('attachment; filename="flows.zip"');
  return readZip(res.bytes).map((z) => z.name);
};

const EQUALS = `${encodeURIComponent('filters[namespace][EQUALS]')}=team.a`;
const PREFIX = `${encodeURIComponent('filters[namespace][PREFIX]')}=team.a`;
const EVERY = ['team.a-one.yml', 'team.a.sub-kid.yml', 'team.b-other.yml'];

describe('flow export by query', () => {
  it.each(['0.22.0', '1.2.0'])('%s: the legacy namespace is a prefix; filters[…] are ignored', async (v) => {
    const e = await seeded(v);
    expect(await exported(e, 'namespace=team.a')).toEqual(['team.a-one.yml', 'team.a.sub-kid.yml']);
    expect(await exported(e, EQUALS)).toEqual(EVERY);
  });

  it('1.3: filters[namespace][EQUALS] is exact, PREFIX takes the children, the legacy prefix still works', async () => {
    const e = await seeded('1.3.19');
    expect(await exported(e, EQUALS)).toEqual(['team.a-one.yml']);
    expect(await exported(e, PREFIX)).toEqual(['team.a-one.yml', 'team.a.sub-kid.yml']);
    expect(await exported(e, 'namespace=team.a')).toEqual(['team.a-one.yml', 'team.a.sub-kid.yml']);
  });

  it('2.0: filters[…] only; a stray legacy namespace is ignored, so the whole tenant comes', async () => {
    const e = await seeded('2.0.8');
    expect(await exported(e, EQUALS)).toEqual(['team.a-one.yml']);
    expect(await exported(e, 'namespace=team.a')).toEqual(EVERY);
  });

  it('holds each flow source as stored, its latest revision, in an archive with sizes in data descriptors', async () => {
    const e = (emulator = await startEmulator({ version: '1.3.19' }));
    base = '/api/v1/main';
    e.seedFlow(flow('one', 'team.a'));
    const revised = `# revised: é\n${flow('one', 'team.a', 'description: two\n')}`;
    const put = await call(e, 'PUT', '/api/v1/main/flows/team.a/one', {
      body: revised,
      contentType: 'application/x-yaml',
    });
    expect(put.status).toBe(200);
    const res = await call(e, 'GET', `/api/v1/main/flows/export/by-query?${EQUALS}`);
    const zip = res.bytes;
    // Local header: flag bit 3 set, checksum and sizes left 0; a descriptor follows the data.
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt16LE(6) & 0x0008).toBe(0x0008);
    expect([zip.readUInt32LE(14), zip.readUInt32LE(18), zip.readUInt32LE(22)]).toEqual([0, 0, 0]);
    expect(zip.includes(Buffer.from([0x50, 0x4b, 0x07, 0x08]))).toBe(true);
    // Both readers (the client's and the emulator's, by the central directory) get the stored source.
    expect(readZip(zip).map((z) => z.data.toString('utf8'))).toEqual([revised]);
    expect(emulatorReadZip(zip).map((z) => z.data.toString('utf8'))).toEqual([revised]);
  });

  it('answers an empty archive when nothing matches', async () => {
    const e = (emulator = await startEmulator({ version: '1.3.19' }));
    base = '/api/v1/main';
    expect(await exported(e, EQUALS)).toEqual([]);
  });
});

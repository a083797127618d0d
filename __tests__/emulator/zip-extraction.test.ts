// The emulator's zip handling as Kestra's java.util.zip code does it (docs/kestra-api.md#zip-uploads):
// ZipOutputStream's data descriptors in exports, ZipInputStream's walk of local headers on uploads, and how
// each version turns an entry's name into a path.
import { afterEach, describe, expect, it } from '@jest/globals';
import { readZip, startEmulator, writeZip, type Emulator } from '../../emulator/index.js';
import { readZip as clientRead, writeZip as clientWrite } from '../../src/kestra/zip.js';
import { call, form, type ErrorJson } from './http.js';

let emulator: Emulator | undefined;
const start = async (version: string): Promise<Emulator> => (emulator = await startEmulator({ version }));
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const NS = 'company.team';
const FILES = `/api/v1/main/namespaces/${NS}/files`;
const uploadZip = (e: Emulator, zip: Buffer) =>
  call(e, 'POST', `${FILES}?path=/`, {
    body: form([{ name: 'fileContent', content: zip, filename: 'batch.zip', type: 'application/zip' }]),
  });
const zip = (...names: string[]) => clientWrite(names.map((name) => ({ name, data: Buffer.from(name) })));

describe('the codec, as java.util.zip', () => {
  it('writes sizes in a data descriptor after each entry, which a central-directory reader still reads', () => {
    const archive = writeZip([{ name: 'd/' }, { name: 'd/a.txt', data: 'hello '.repeat(50) }]);
    // Local header of d/a.txt: flag bit 3 set, checksum and sizes zero.
    const at = archive.indexOf('PK\x03\x04', 4, 'latin1');
    expect(archive.readUInt16LE(at + 6) & 0x0808).toBe(0x0808);
    expect([14, 18, 22].map((o) => archive.readUInt32LE(at + o))).toEqual([0, 0, 0]);
    expect(archive.includes(Buffer.from('PK\x07\x08', 'latin1'))).toBe(true);
    expect(clientRead(archive).map((e) => [e.name, e.data.toString()])).toEqual([
      ['d/a.txt', 'hello '.repeat(50)],
    ]);
  });

  it('reads by walking local headers: a damaged central directory does not matter, garbage gives nothing', () => {
    const archive = clientWrite([{ name: 'a.txt', data: Buffer.from('a') }]);
    const central = archive.indexOf('PK\x01\x02', 0, 'latin1');
    archive.fill(0, central);
    expect(readZip(archive).map((e) => e.name)).toEqual(['a.txt']);
    expect(readZip(Buffer.from('not a zip at all'))).toEqual([]);
  });
});

describe.each(['1.3.19', '1.2.0'])('zip upload entry names on Kestra %s (URI.create)', (version) => {
  it('refuses an entry with a space with a 422, keeping the entries before it and not those after', async () => {
    const e = await start(version);
    const res = await uploadZip(e, zip('first.txt', 'a b.txt', 'last.txt'));
    expect(res.status).toBe(422);
    expect(res.json<ErrorJson>().message).toBe(
      'Illegal argument: Illegal character in path at index 2: /a b.txt',
    );
    expect(e.listFiles(NS)).toEqual(['/first.txt']);
  });

  it('decodes %XX, ends the path at ? or #, refuses a lone %, and keeps + and non-ASCII letters', async () => {
    const e = await start(version);
    expect((await uploadZip(e, zip('100%41.txt', 'q?x.txt', 'h#x.txt', 'é+(1).txt'))).status).toBe(200);
    expect(e.listFiles(NS)).toEqual(['/100A.txt', '/h', '/q', '/é+(1).txt']);
    expect((await uploadZip(e, zip('100%.txt'))).status).toBe(422);
  });

  it('skips folder entries and imports _flows/<id>.yml as a flow', async () => {
    const e = await start(version);
    const flow = `id: zipped\nnamespace: other\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`;
    const archive = writeZip([
      { name: 'empty/' },
      { name: 'x/y.txt', data: 'y' },
      { name: '_flows/zipped.yml', data: flow },
    ]);
    expect((await uploadZip(e, archive)).status).toBe(200);
    expect(e.listFiles(NS)).toEqual(['/x/y.txt']);
    expect((await call(e, 'GET', `${FILES}/directory?path=/empty`)).status).toBe(404);
    expect(e.getFlow(NS, 'zipped')).toBeDefined();
  });
});

describe('zip upload entry names on Kestra 2.0.8 (read as path is)', () => {
  it('keeps spaces, %, ? and # literally', async () => {
    const e = await start('2.0.8');
    expect((await uploadZip(e, zip('a b.txt', '100%.txt', 'q?x.txt', 'h#x.txt'))).status).toBe(200);
    expect(e.listFiles(NS)).toEqual(['/100%.txt', '/a b.txt', '/h#x.txt', '/q?x.txt']);
  });
});

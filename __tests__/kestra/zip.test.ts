import { describe, expect, it } from '@jest/globals';
import { readZip as emulatorRead, writeZip as emulatorWrite } from '../../emulator/zip.js';
import { readZip, writeZip } from '../../src/kestra/zip.js';

const entries = [
  { name: 'scripts/a.py', data: Buffer.from('print("hi")\n'.repeat(50)) },
  { name: 'b b+c.txt', data: Buffer.from('é — ünïcode') },
  { name: 'empty.txt', data: Buffer.alloc(0) },
  { name: 'noise.bin', data: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)) },
];

describe('the client zip codec', () => {
  it('writes archives another reader extracts byte for byte', () => {
    const read = emulatorRead(writeZip(entries));
    expect(read.map((e) => [e.name, e.data.toString('hex')])).toEqual(
      entries.map((e) => [e.name, e.data.toString('hex')]),
    );
  });

  it('reads archives another writer made, skipping folders', () => {
    const archive = emulatorWrite([{ name: 'dir/' }, ...entries]);
    expect(readZip(archive).map((e) => [e.name, e.data.toString('hex')])).toEqual(
      entries.map((e) => [e.name, e.data.toString('hex')]),
    );
  });

  it('gives equal archives for equal entries', () => {
    expect(writeZip(entries).equals(writeZip(entries))).toBe(true);
  });

  it('stores what deflate would not shrink', () => {
    const random = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 131 + 17) % 256));
    const archive = writeZip([{ name: 'r', data: random }]);
    expect(archive.readUInt16LE(8)).toBe(0);
    expect(readZip(archive)[0]?.data.equals(random)).toBe(true);
  });

  it('refuses a cut or damaged archive instead of reading fewer entries', () => {
    const archive = writeZip(entries);
    expect(() => readZip(archive.subarray(0, archive.length - 30))).toThrow(/zip/);
    expect(() => readZip(Buffer.from('not a zip at all, just text'))).toThrow('not a zip archive');
    const damaged = Buffer.from(archive);
    damaged[50] = damaged[50]! ^ 0xff; // inside the first entry's data (30-byte header, 12-byte name)
    expect(() => readZip(damaged)).toThrow('corrupt zip: scripts/a.py');
  });
});

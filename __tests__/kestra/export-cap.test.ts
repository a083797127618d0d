// The namespace export is read within a cap (EXPORT_MAX_BYTES in the plan): a server that streams more, or
// an archive whose files inflate past it, gives `unusable`, and the plan lists instead. Over real HTTP.
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import { connect } from '../../src/kestra/connect.js';
import type { KestraClient } from '../../src/kestra/api.js';
import { readZip, writeZip, ZipTooLarge } from '../../src/kestra/zip.js';

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

/** A stand-in that answers `/configs` and streams `chunks` of the export without a Content-Length. */
async function streaming(
  chunks: number,
  chunk: Buffer,
): Promise<{ client: KestraClient; sent: () => number }> {
  let sent = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/api/v1/configs') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ version: '1.3.19', edition: 'OSS' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const next = (): void => {
      if (sent >= chunks || res.destroyed) return void res.end();
      sent++;
      res.write(chunk, () => setImmediate(next));
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  const { port } = server.address() as AddressInfo;
  const client = await connect({ server: `http://127.0.0.1:${port}`, retry: { attempts: 1 } });
  open.push(client);
  return { client, sent: () => sent };
}

describe('the export cap', () => {
  it('stops reading a streamed export past maxBytes, long before its end', async () => {
    const { client, sent } = await streaming(1000, Buffer.alloc(64 * 1024, 1));
    expect(await client.exportFiles('team', 1024 * 1024)).toEqual({ unusable: 'its export is over 1 MiB' });
    expect(sent()).toBeLessThan(1000);
  });

  it('refuses an archive whose files inflate past the cap, from the declared sizes, before inflating', () => {
    const archive = writeZip([
      { name: 'a.txt', data: Buffer.alloc(600, 'a') },
      { name: 'b.txt', data: Buffer.alloc(600, 'b') },
    ]);
    expect(archive.length).toBeLessThan(1000);
    expect(() => readZip(archive, 1000)).toThrow(ZipTooLarge);
    expect(readZip(archive, 1200).map((e) => e.data.length)).toEqual([600, 600]);
  });

  it('never inflates an entry past its declared size', () => {
    const archive = writeZip([{ name: 'bomb.txt', data: Buffer.alloc(10, 'x') }]);
    // The same archive with a deflate stream of 1 MiB in place of the 10 bytes: its declared size is a lie.
    const bomb = deflateRawSync(Buffer.alloc(2 ** 20));
    const local = archive.subarray(0, 30 + 'bomb.txt'.length);
    const body = archive.subarray(local.length, archive.indexOf('PK\x01\x02', 0, 'latin1'));
    const forged = Buffer.concat([local, bomb, archive.subarray(local.length + body.length)]);
    forged.writeUInt32LE(bomb.length, 18);
    const central = forged.indexOf('PK\x01\x02', 0, 'latin1');
    forged.writeUInt32LE(bomb.length, central + 20);
    forged.writeUInt32LE(central, forged.length - 22 + 16);
    expect(() => readZip(forged)).toThrow('corrupt zip: bomb.txt does not inflate');
  });
});

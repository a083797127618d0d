// ZIP as Java's java.util.zip does it, which is what Kestra uses: the writer is ZipOutputStream's (deflated
// entries, sizes and checksum in a data descriptor after each entry, the UTF-8 flag), the reader is
// ZipInputStream's (local headers walked in order, the central directory never read). The client's codec
// (src/kestra/zip.ts) is a different one, so each side is tested against the other's way of doing it.
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Entry name as stored, `/`-separated; folders end with `/`. */
  name: string;
  directory: boolean;
  data: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const DESCRIPTOR_FLAG = 0x0008;
const UTF8_FLAG = 0x0800;

/** Java's ZipException: the server answers it as an error, having stored the entries read before it. */
export class ZipFormatError extends Error {}

/**
 * Every entry, in the order of the local headers, as ZipInputStream reads them: an entry whose sizes follow
 * in a data descriptor is inflated to the end of its deflate stream. Like ZipInputStream on bytes that do not
 * start with a local header, garbage yields no entries rather than an error.
 */
export function readZip(buf: Buffer): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let at = 0;
  while (at + 30 <= buf.length && buf.readUInt32LE(at) === LOCAL) {
    const flags = buf.readUInt16LE(at + 6);
    const method = buf.readUInt16LE(at + 8);
    const crc = buf.readUInt32LE(at + 14);
    const packed = buf.readUInt32LE(at + 18);
    const size = buf.readUInt32LE(at + 22);
    const nameLength = buf.readUInt16LE(at + 26);
    const start = at + 30 + nameLength + buf.readUInt16LE(at + 28);
    const name = buf.toString('utf8', at + 30, at + 30 + nameLength);
    let data: Buffer;
    if (flags & DESCRIPTOR_FLAG) {
      if (method !== 8) throw new ZipFormatError('only DEFLATED entries can have EXT descriptor');
      const { buffer, engine } = inflateRawSync(buf.subarray(start), { info: true }) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      data = buffer;
      at = start + engine.bytesWritten;
      const signed = at + 4 <= buf.length && buf.readUInt32LE(at) === DESCRIPTOR;
      const base = signed ? at + 4 : at;
      if (base + 12 > buf.length) throw new ZipFormatError(`truncated data descriptor for ${name}`);
      check(name, data, buf.readUInt32LE(base), buf.readUInt32LE(base + 8));
      at = base + 12;
    } else {
      if (start + packed > buf.length) throw new ZipFormatError(`unexpected end of ZLIB input for ${name}`);
      const raw = buf.subarray(start, start + packed);
      if (method === 0) data = Buffer.from(raw);
      else if (method === 8) data = inflateRawSync(raw);
      else throw new ZipFormatError(`invalid compression method ${method} for ${name}`);
      check(name, data, crc, size);
      at = start + packed;
    }
    entries.push({ name, directory: name.endsWith('/'), data });
  }
  return entries;
}

function check(name: string, data: Buffer, crc: number, size: number): void {
  if (data.length !== size) throw new ZipFormatError(`invalid entry size for ${name}`);
  if (crc32(data) !== crc) throw new ZipFormatError(`invalid entry CRC for ${name}`);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buf) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Builds an archive as ZipOutputStream does by default: file entries deflated, with zeros in the local
 * header and the real checksum and sizes in a data descriptor after the data (and in the central directory).
 * Names ending in `/` are folders, stored empty with their sizes in the header.
 */
export function writeZip(files: { name: string; data?: Buffer | string }[]): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const data = Buffer.isBuffer(file.data) ? file.data : Buffer.from(file.data ?? '', 'utf8');
    const directory = file.name.endsWith('/');
    const body = directory ? Buffer.alloc(0) : deflateRawSync(data);
    const crc = directory ? 0 : crc32(data);
    const size = directory ? 0 : data.length;
    const method = directory ? 0 : 8;
    const flags = UTF8_FLAG | (directory ? 0 : DESCRIPTOR_FLAG);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(directory ? 10 : 20, 4); // version needed
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    // With a data descriptor, the checksum and sizes (at 14, 18, 22) stay zero here.
    if (directory) local.writeUInt32LE(0, 14);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, body);
    if (!directory) {
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(DESCRIPTOR, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(body.length, 8);
      descriptor.writeUInt32LE(size, 12);
      parts.push(descriptor);
    }

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(directory ? 10 : 20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length + (directory ? 0 : 16);
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...centrals, end]);
}

// The client's ZIP codec: reads the server's exports (flows, namespace files) and writes the archives that
// upload many namespace files in one request (docs/kestra-api.md#namespace-files). No ZIP64: an archive
// past 4 GiB or 65,535 entries is refused, and callers keep batches far below that.
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** The entry's name as stored: `/`-separated, no leading `/`. Folders are skipped. */
  name: string;
  data: Buffer;
}

const END = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const UTF8_NAMES = 0x0800;

/**
 * Reads an archive by its central directory, which is right even when entries carry their sizes in data
 * descriptors after the data (as Java's ZipOutputStream writes them). Throws on anything malformed: a
 * half-read export must not look like a namespace with fewer files.
 */
export function readZip(archive: Buffer, maxBytes = Infinity): ZipEntry[] {
  const end = findEnd(archive);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > archive.length || archive.readUInt32LE(at) !== CENTRAL)
      throw new Error('corrupt zip: central directory');
    const method = archive.readUInt16LE(at + 10);
    const expectedCrc = archive.readUInt32LE(at + 16);
    const packed = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const skip = nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + skip;
    if (name.endsWith('/')) continue;
    if (local + 30 > archive.length || archive.readUInt32LE(local) !== LOCAL)
      throw new Error(`corrupt zip: ${name}`);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    if (start + packed > archive.length) throw new Error(`corrupt zip: ${name} is cut short`);
    // Declared sizes bound what is inflated: a few compressed bytes can claim gigabytes.
    total += size;
    if (total > maxBytes) throw new ZipTooLarge(maxBytes);
    const raw = archive.subarray(start, start + packed);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflate(raw, name, size) : undefined;
    if (!data) throw new Error(`zip entry ${name} uses compression method ${method}, which is not supported`);
    if (data.length !== size || crc32(data) !== expectedCrc)
      throw new Error(`corrupt zip: ${name} fails its check`);
    entries.push({ name, data });
  }
  return entries;
}

/** The files of an archive hold more than the reader's `maxBytes` once inflated. */
export class ZipTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the archive's files are over ${maxBytes} bytes`);
  }
}

function inflate(raw: Buffer, name: string, size: number): Buffer {
  try {
    return inflateRawSync(raw, { maxOutputLength: Math.max(1, size) });
  } catch {
    throw new Error(`corrupt zip: ${name} does not inflate`);
  }
}

function findEnd(archive: Buffer): number {
  // The end record is the last 22 bytes, unless an archive comment (≤ 65,535 bytes) follows it.
  const last = archive.length - 22;
  for (let i = last; i >= 0 && i >= last - 0xffff; i--) {
    if (archive.readUInt32LE(i) === END) return i;
  }
  throw new Error('not a zip archive');
}

/**
 * Writes an archive with sizes and checksums in each local header (no data descriptors), so that a reader
 * walking entries in order, as the server's upload extraction does, needs nothing from the end. Entries are
 * deflated unless that does not make them smaller.
 */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  if (entries.length > 0xffff) throw new Error(`a zip holds at most 65,535 entries, not ${entries.length}`);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const deflated = deflateRawSync(entry.data);
    const method = deflated.length < entry.data.length ? 8 : 0;
    const body = method === 8 ? deflated : entry.data;
    const fields = { method, crc: crc32(entry.data), packed: body.length, size: entry.data.length };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL, 0);
    writeCommon(header, 4, fields, name.length);
    parts.push(header, name, body);

    const record = Buffer.alloc(46);
    record.writeUInt32LE(CENTRAL, 0);
    record.writeUInt16LE(20, 4); // made by: version 2.0
    writeCommon(record, 6, fields, name.length);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += header.length + name.length + body.length;
    if (offset > 0xffffffff) throw new Error('a zip batch past 4 GiB is not supported');
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}

/** The fields a local header and a central record share, from "version needed" to the name's length. */
function writeCommon(
  into: Buffer,
  at: number,
  f: { method: number; crc: number; packed: number; size: number },
  nameLength: number,
): void {
  into.writeUInt16LE(20, at); // version needed: 2.0
  into.writeUInt16LE(UTF8_NAMES, at + 2);
  into.writeUInt16LE(f.method, at + 4);
  // Time 0 and date 1980-01-01 (at + 6, + 8) for every entry: equal trees give equal archives.
  into.writeUInt16LE(0x21, at + 8);
  into.writeUInt32LE(f.crc, at + 10);
  into.writeUInt32LE(f.packed, at + 14);
  into.writeUInt32LE(f.size, at + 18);
  into.writeUInt16LE(nameLength, at + 22);
}

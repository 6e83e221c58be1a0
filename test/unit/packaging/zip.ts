// Reads the entries of a zip file (a VSIX) through its central directory: enough to list and inflate what vsce wrote.
import * as zlib from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

export interface ZipEntry {
  readonly name: string;
  /** What the entry takes in the zip file. */
  readonly compressedSize: number;
  /** The entry's uncompressed bytes. */
  content(): Buffer;
}

export function readZipEntries(zip: Buffer): ZipEntry[] {
  // The end record sits at the end, after a comment of at most 65535 bytes.
  let end = -1;
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset--) {
    if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file: no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`bad central directory entry ${index}`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, compressedSize, content: () => inflate(zip, localHeader, compressedSize, method, name) });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function inflate(zip: Buffer, localHeader: number, compressedSize: number, method: number, name: string): Buffer {
  if (zip.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) throw new Error(`bad local header for ${name}`);
  const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
  const data = zip.subarray(dataStart, dataStart + compressedSize);
  if (method === STORED) return Buffer.from(data);
  if (method === DEFLATED) return zlib.inflateRawSync(data);
  throw new Error(`${name}: unsupported compression method ${method}`);
}

/**
 * Which text encoding a CSV file is in (FORMATS.md): a BOM decides (UTF-8, UTF-16 LE/BE); without one
 * the whole file is checked as strict UTF-8 — streamed, with `buffer.isUtf8`, stopping at the first
 * invalid byte — and read as Windows-1252 when it is not. Checking only a sample would misread a file
 * whose first umlaut comes after the sample; the full check costs one fast pass over the bytes.
 */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { ByteSource } from './byte-source.js';
import type { Encoding } from './file-type.js';

const BOMS: readonly (readonly [Encoding, readonly number[]])[] = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/** The encoding a BOM at the start of `head` announces. */
export function encodingByBom(head: Uint8Array): Encoding | undefined {
  return BOMS.find(([, bom]) => bom.every((byte, i) => head[i] === byte))?.[0];
}

export async function detectEncoding(source: ByteSource): Promise<Encoding> {
  const byBom = encodingByBom(await source.slice(0, 4));
  if (byBom) return byBom;
  return (await isUtf8Throughout(source.scan())) ? 'utf-8' : 'windows-1252';
}

async function isUtf8Throughout(chunks: AsyncIterable<Buffer>): Promise<boolean> {
  let carry: Buffer | undefined;
  for await (const chunk of chunks) {
    const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
    const cut = completeLength(bytes);
    if (!isUtf8(bytes.subarray(0, cut))) return false;
    carry = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : undefined;
  }
  return carry === undefined;
}

/** The length of `bytes` that ends on a character boundary (a multi-byte sequence may span chunks). */
function completeLength(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0xc0) return bytes.length;
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

const ICONV_NAMES: Readonly<Record<Encoding, string>> = {
  'utf-8': 'utf8',
  'utf-16le': 'utf16le',
  'utf-16be': 'utf16be',
  'windows-1252': 'win1252',
};

/** Decode a stream of bytes to text; a leading BOM is dropped. */
export async function* decodeChunks(
  chunks: AsyncIterable<Buffer>,
  encoding: Encoding,
): AsyncGenerator<string> {
  if (encoding === 'utf-8') {
    yield* decodeUtf8(chunks);
    return;
  }
  const decoder = iconv.getDecoder(ICONV_NAMES[encoding], { stripBOM: true });
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** WHATWG's decoder: about 40% faster than iconv-lite's (Node's StringDecoder) on UTF-8 here. */
async function* decodeUtf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8'); // drops a BOM; invalid bytes become U+FFFD
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Encode text for writing; Windows-1252 writes `?` for what it cannot hold. */
export function encodeText(text: string, encoding: Encoding): Buffer {
  return iconv.encode(text, ICONV_NAMES[encoding]);
}

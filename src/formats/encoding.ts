/**
 * Which text encoding a CSV file is in (FORMATS.md): a BOM decides (UTF-8, UTF-16 LE/BE); without one
 * the whole file is checked as strict UTF-8 — streamed, with `buffer.isUtf8` — and read as
 * Windows-1252 when it is not. Checking only a sample would misread a file whose first umlaut comes after
 * the sample; the full check costs one fast pass over the bytes.
 *
 * A file that is evidently UTF-8 (a UTF-8 BOM, or valid multi-byte sequences such as `C3 BC` "ü") but
 * holds bytes that are not UTF-8 mixes encodings: a row pasted from a Windows-1252 file into a UTF-8
 * one. Read either way, part of it would be garbled ("Ã¼" or "�") and go into the registry unseen, so
 * the check reports where the first such byte lies and the reader refuses the file. A Windows-1252
 * file (no valid multi-byte sequence at all) still reads as Windows-1252: its umlauts are single bytes
 * that never form one, bar unlikely pairs such as "Ü" followed by "–".
 */
import { isAscii, isUtf8 } from 'node:buffer';
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

/** What the encoding check found. */
export interface EncodingCheck {
  readonly encoding: Encoding;
  /** A UTF-8 file with bytes that are not UTF-8: the first of them (its offset in the file, and its value). */
  readonly stray?: { readonly offset: number; readonly byte: number };
}

/** The encoding of the file; a file that mixes encodings gives UTF-8 (see `checkEncoding` to tell). */
export async function detectEncoding(source: ByteSource): Promise<Encoding> {
  return (await checkEncoding(source)).encoding;
}

/** The encoding of the file, and the first stray byte of a UTF-8 file that mixes encodings. */
export async function checkEncoding(source: ByteSource): Promise<EncodingCheck> {
  const byBom = encodingByBom(await source.slice(0, 4));
  if (byBom && byBom !== 'utf-8') return { encoding: byBom };
  const found = await scanUtf8(source.scan(), byBom === 'utf-8');
  if (found.invalid < 0) return { encoding: 'utf-8' };
  if (!found.multibyte) return { encoding: 'windows-1252' };
  return { encoding: 'utf-8', stray: { offset: found.invalid, byte: found.invalidByte } };
}

interface Utf8Scan {
  /** The offset of the first byte that is not UTF-8, or -1. */
  invalid: number;
  invalidByte: number;
  /** Whether a valid multi-byte sequence occurs (or a BOM said UTF-8). */
  multibyte: boolean;
}

/**
 * One pass over the bytes. Chunks that are valid UTF-8 (nearly all of a UTF-8 file) are checked by
 * `isUtf8`/`isAscii` natively; only a chunk that fails is walked byte by byte, and once a stray byte is
 * known the walk goes on only until a valid multi-byte sequence shows the file to be UTF-8. A
 * Windows-1252 file is walked to its end (a few hundred MB a second).
 */
async function scanUtf8(chunks: AsyncIterable<Buffer>, bom: boolean): Promise<Utf8Scan> {
  const scan: Utf8Scan = { invalid: -1, invalidByte: 0, multibyte: bom };
  let carry: Buffer | undefined;
  let base = 0; // the file offset of `bytes[0]`
  for await (const chunk of chunks) {
    const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
    const cut = completeLength(bytes);
    const part = bytes.subarray(0, cut);
    if (scan.invalid < 0 && isUtf8(part)) {
      if (!scan.multibyte && !isAscii(part)) scan.multibyte = true;
    } else {
      walkUtf8(part, base, scan);
      if (scan.invalid >= 0 && scan.multibyte) return scan;
    }
    carry = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : undefined;
    base += cut;
  }
  if (carry && scan.invalid < 0) {
    scan.invalid = base; // a sequence cut off by the end of the file
    scan.invalidByte = carry[0]!;
  }
  return scan;
}

/** Walk `bytes` (at file offset `base`) as UTF-8, noting in `scan` the first stray byte and any valid multi-byte sequence. */
function walkUtf8(bytes: Uint8Array, base: number, scan: Utf8Scan): void {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      scan.multibyte = true;
      if (scan.invalid >= 0) return;
      i += length;
      continue;
    }
    if (scan.invalid < 0) {
      scan.invalid = base + i;
      scan.invalidByte = b;
      if (scan.multibyte) return;
    }
    i++;
  }
}

const isContinuation = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/** The length of the valid UTF-8 multi-byte sequence at `i` (Unicode's table 3-7), or 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  const second = bytes[i + 1];
  if (b >= 0xc2 && b <= 0xdf) return isContinuation(second) ? 2 : 0;
  if (second === undefined) return 0;
  let low = 0x80;
  let high = 0xbf;
  if (b === 0xe0) low = 0xa0;
  else if (b === 0xed) high = 0x9f;
  else if (b === 0xf0) low = 0x90;
  else if (b === 0xf4) high = 0x8f;
  if (second < low || second > high) return 0;
  if (b >= 0xe0 && b <= 0xef) return isContinuation(bytes[i + 2]) ? 3 : 0;
  if (b >= 0xf0 && b <= 0xf4) return isContinuation(bytes[i + 2]) && isContinuation(bytes[i + 3]) ? 4 : 0;
  return 0;
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

/**
 * The zip container of an XLSX file: its central directory, and its entries in the order exceljs's
 * streaming reader needs them.
 *
 * That reader takes the zip's entries as they come. A worksheet that comes before the shared strings
 * (Excel writes them so) goes to a temporary file first, and one that comes before `xl/workbook.xml` (some
 * writers put it last) loses its name — or, now and then under load, the reader fails with "cannot read
 * properties of undefined (reading 'sheets')". The file is at hand, not a network stream, so the reader is
 * given the entries in its order instead: the workbook's relations, the workbook, the shared strings and
 * the styles first, then the rest as written. Every entry is copied as the bytes it occupies (local
 * header, data, data descriptor); the reader never looks at the central directory's offsets.
 */
import type { ByteSource } from './byte-source.js';
import { FileReadError } from './file-error.js';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
/** The end-of-central-directory record is 22 bytes plus a comment of up to 64 KiB. */
const EOCD_SEARCH = 22 + 0xffff;
/** The directory is read whole; an XLSX's is a few KB (this allows some 10,000 entries). */
const DIRECTORY_MAX = 1 << 20;

export interface ZipEntry {
  readonly name: string;
  /** Where its local header begins, and where the next entry (or the central directory) begins. */
  readonly start: number;
  readonly end: number;
}

export interface ZipLayout {
  /** In the order of the file. */
  readonly entries: readonly ZipEntry[];
  /** Where the central directory begins: from there to the end of the file. */
  readonly directoryStart: number;
}

/**
 * The entries of the zip in `source`. Refuses a file without an end-of-central-directory record
 * (truncated, or no zip); returns undefined for a layout read some other way (ZIP64, a directory
 * that does not add up): the caller then streams the file as it is.
 */
export async function readZipLayout(source: ByteSource): Promise<ZipLayout | undefined> {
  const tail = await source.slice(source.size - EOCD_SEARCH, EOCD_SEARCH);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    const message =
      'the XLSX file is truncated or damaged (its zip directory is missing); save it again from Excel';
    throw new FileReadError('corrupt_xlsx', { file: source.name }, message);
  }
  const count = tail.readUInt16LE(eocd + 10);
  const directorySize = tail.readUInt32LE(eocd + 12);
  const directoryStart = tail.readUInt32LE(eocd + 16);
  const eocdAt = source.size - tail.length + eocd;
  if (
    count === 0xffff ||
    directoryStart === 0xffffffff ||
    directorySize > DIRECTORY_MAX ||
    directoryStart + directorySize > eocdAt
  )
    return undefined;
  const directory = await source.slice(directoryStart, directorySize);
  const found: { name: string; start: number }[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) return undefined;
    const nameLength = directory.readUInt16LE(at + 28);
    const skip = nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
    const start = directory.readUInt32LE(at + 42);
    if (start === 0xffffffff) return undefined;
    found.push({ name: directory.toString('utf8', at + 46, at + 46 + nameLength), start });
    at += 46 + skip;
  }
  found.sort((a, b) => a.start - b.start);
  const entries: ZipEntry[] = [];
  for (const [i, e] of found.entries()) {
    const end = found[i + 1]?.start ?? directoryStart;
    if (end <= e.start) return undefined; // two entries at one place, or one inside the directory
    entries.push({ name: e.name, start: e.start, end });
  }
  return { entries, directoryStart };
}

/** What the streaming reader must have seen before a worksheet, in this order. */
const FIRST = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml'];

/** The byte ranges of `layout` in the reader's order (see above), the central directory last. */
export function readerOrder(layout: ZipLayout, size: number): [number, number][] {
  const rank = (e: ZipEntry) => {
    const i = FIRST.indexOf(e.name);
    return i < 0 ? FIRST.length : i;
  };
  // Array.prototype.sort is stable: entries of equal rank keep the file's order.
  const ordered = [...layout.entries].sort((a, b) => rank(a) - rank(b));
  return [...ordered.map((e): [number, number] => [e.start, e.end]), [layout.directoryStart, size]];
}

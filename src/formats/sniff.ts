/**
 * What a file is, by its first bytes rather than its name: an export saved as ".csv" that is really
 * XLSX still reads, and a PDF, an image, an archive or a Word document chosen by mistake is refused as
 * what it is instead of as a CSV without a number column or an empty file.
 */
import type { ByteSource } from './byte-source.js';
import { FileReadError } from './file-error.js';
import type { Encoding } from './file-type.js';
import type { ZipLayout } from './zip.js';

export const FILE_FORMATS = ['csv', 'xlsx'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** Files people pick by mistake, by their signature: no CSV starts so. */
const NOT_TABLES: readonly (readonly [string, readonly number[]])[] = [
  ['a PDF document', ascii('%PDF-')],
  ['a PNG image', [0x89, ...ascii('PNG\r\n'), 0x1a, 0x0a]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', ascii('GIF8')],
  ['a gzip archive', [0x1f, 0x8b]],
  ['a RAR archive', ascii('Rar!')],
  ['a 7-Zip archive', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['an SQLite database', ascii('SQLite format 3\0')],
  ['an RTF document', ascii('{\\rtf')],
];

/** HTML (web apps save it as ".xls"), after a BOM and blank space. */
const HTML = /^(?:\xEF\xBB\xBF)?\s*<(?:!doctype html|html)[\s>]/i;

export function notATableError(
  file: string,
  what: string,
  advice = 'export the data as CSV or XLSX',
): FileReadError {
  return new FileReadError(
    'unsupported_format',
    { file },
    `this is ${what}, neither CSV nor XLSX; ${advice}`,
  );
}

/** CSV or XLSX, by the file's first bytes; anything else is refused (`unsupported_format`). */
export async function sniffFormat(source: ByteSource, encoding: Encoding | undefined): Promise<FileFormat> {
  const head = await source.slice(0, 4096);
  const starts = (magic: readonly number[]): boolean => magic.every((byte, i) => head[i] === byte);
  if (starts(ZIP_MAGIC)) return 'xlsx';
  if (starts(OLE_MAGIC)) {
    const message = 'this is an old Excel .xls file (or encrypted XLSX); save it as .xlsx or CSV';
    throw new FileReadError('unsupported_format', { file: source.name }, message);
  }
  const known = NOT_TABLES.find(([, magic]) => starts(magic));
  if (known) throw notATableError(source.name, known[0]);
  if (HTML.test(head.toString('latin1', 0, 256))) throw notATableError(source.name, 'an HTML page');
  // A NUL byte in text is UTF-16, read with its BOM or when a file type says so; otherwise this is no
  // text (a database file, a program chosen by mistake) and "has no number column" would mislead.
  const utf16 = starts([0xff, 0xfe]) || starts([0xfe, 0xff]) || encoding?.startsWith('utf-16') === true;
  if (!utf16 && head.includes(0)) throw notATableError(source.name, 'not a text file');
  return 'csv';
}

/**
 * A zip without a workbook in it: what it is, by its entries — an OpenDocument file (its `mimetype`
 * entry comes first, stored as it is), a Word or PowerPoint file, or some archive.
 */
export async function notWorkbookError(
  source: ByteSource,
  layout: ZipLayout | undefined,
): Promise<FileReadError> {
  const names = new Set(layout?.entries.map((e) => e.name) ?? []);
  const mimetype = layout?.entries.find((e) => e.name === 'mimetype');
  if (mimetype) {
    const kind = /opendocument\.(\w+)/.exec(await storedText(source, mimetype.start))?.[1];
    if (kind === 'spreadsheet')
      return notATableError(source.name, 'an OpenDocument spreadsheet (.ods)', 'save it as .xlsx or CSV');
    if (kind) return notATableError(source.name, `an OpenDocument ${kind} file`);
  }
  if (names.has('word/document.xml')) return notATableError(source.name, 'a Word document (.docx)');
  if (names.has('ppt/presentation.xml'))
    return notATableError(source.name, 'a PowerPoint presentation (.pptx)');
  return notATableError(source.name, 'a ZIP archive without a workbook in it');
}

/** The data of the zip entry whose local header is at `start`, taken as stored (the mimetype is never compressed). */
async function storedText(source: ByteSource, start: number): Promise<string> {
  const header = await source.slice(start, 30);
  if (header.length < 30) return '';
  const size = Math.min(header.readUInt32LE(18), 200);
  const data = await source.slice(start + 30 + header.readUInt16LE(26) + header.readUInt16LE(28), size);
  return data.toString('latin1');
}

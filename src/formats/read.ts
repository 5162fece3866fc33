/**
 * Reading an Abgleich file (FORMATS.md): open it, read and check the header, then stream the rows —
 * one at a time, never the whole file in memory.
 *
 *   const file = await readRecords('staff.csv', { fileType: standardFileType('employee') });
 *   file.header.fields;                     // what the file carries
 *   for await (const row of file.rows()) …  // { row, values, problems, warnings }
 *
 * A file that cannot be read at all throws a `FileReadError` (code `file_unreadable`, a `reason`, and
 * file/row/column in its message); bad rows come back as problems on their row.
 */
import type { NumberOptions } from '../core/compare.js';
import { ByteSource } from './byte-source.js';
import type { ReadInput } from './byte-source.js';
import type { HeaderResult, HeaderWarning } from './columns.js';
import { resolveHeader } from './columns.js';
import type { CsvFormat } from './csv.js';
import { csvRows } from './csv.js';
import { checkEncoding } from './encoding.js';
import { digest, digestSeed } from './digest.js';
import { emptyFileError, FileReadError } from './file-error.js';
import type { Encoding, FileType } from './file-type.js';
import type { FileFormat } from './sniff.js';
import type { RawRow, ReadRow } from './rows.js';
import type { EmptyAsNo } from './rows.js';
import { RowChecker } from './rows.js';
import { sniffFormat } from './sniff.js';
import { strayByteError } from './stray-byte.js';
import type { SheetsRead } from './xlsx.js';
import { xlsxRows } from './xlsx.js';

export type { ReadInput } from './byte-source.js';

export { FILE_FORMATS } from './sniff.js';
export type { FileFormat } from './sniff.js';

export interface ReadOptions {
  readonly fileType: FileType;
  /** SYNC.md §3 number comparison, used for "unique in the file". Default: leading zeros ignored. */
  readonly numbers?: NumberOptions;
  /** The name shown in messages; default: the path's base name, or "upload" for a buffer. */
  readonly name?: string;
}

export interface RecordFile {
  readonly name: string;
  readonly format: FileFormat;
  /** CSV only: the encoding read. */
  readonly encoding?: Encoding;
  readonly header: HeaderResult;
  /** The data rows after the header, one by one. Either this or `batches()`, once. */
  rows(): AsyncIterable<ReadRow>;
  /** The same rows in batches of a few hundred to a few thousand: less overhead for bulk readers. */
  batches(): AsyncIterable<readonly ReadRow[]>;
  /**
   * The same rows unchecked: each with a fingerprint of its cells and its number cell, checked only
   * when asked. A reader that already knows a row by its fingerprint can skip checking it.
   */
  lazyRows(): AsyncIterable<LazyRow>;
  /** `lazyRows()` in the reader's batches (a few hundred to a few thousand rows). */
  lazyBatches(): AsyncIterable<readonly LazyRow[]>;
  /** How much of the file has been read, 0 … 1. */
  progress(): number;
  /** The totals rows passed over so far ("Summe", "I alt" …; see `isTotalsRow`): complete once the rows are read. */
  readonly totals: readonly TotalsRow[];
  /** Empty yes/no cells read as "no" in a column that says yes/no in words (`RowChecker.emptyAsNo`). */
  emptyAsNo(): EmptyAsNo | undefined;
}

/** A row that sums up the rows above it instead of holding a record; it is not read. */
export interface TotalsRow {
  readonly row: number;
  /** Its first non-empty cell, as written ("Summe: 3"). */
  readonly text: string;
}

/** A row not yet checked. */
export interface LazyRow {
  readonly row: number;
  /** A digest of the row's cells under this file's header and file type: equal digests, equal values. */
  readonly fingerprint: string;
  /** The number cell as written, trimmed (unchecked). */
  readonly number: string;
  /** Parse and check the row (values, problems, the duplicate check): call once. */
  check(): ReadRow;
}

const DEFAULT_NUMBERS: NumberOptions = { ignoreLeadingZeros: true };

/** Open `input`, read its header and return the file, ready to stream its rows. */
export async function readRecords(input: ReadInput, options: ReadOptions): Promise<RecordFile> {
  const file = await openRecords(input, options);
  const take = (): AsyncGenerator<ReadRow[]> => checkedBatches(file.raw(), file.checker);
  return {
    name: file.name,
    format: file.format,
    ...(file.encoding ? { encoding: file.encoding } : {}),
    header: file.header,
    rows: () => oneByOne(take()),
    batches: take,
    lazyRows: () => oneByOne(lazily(file)),
    lazyBatches: () => lazily(file),
    progress: file.progress,
    totals: file.totals,
    emptyAsNo: () => file.checker.emptyAsNo(),
  };
}

/** A file opened and its header read; its raw rows can be taken once. */
interface OpenedFile {
  readonly name: string;
  readonly format: FileFormat;
  readonly encoding?: Encoding;
  readonly header: HeaderResult;
  readonly checker: RowChecker;
  /** What a fingerprint covers besides the cells (the header's fields and the date format), as a seed. */
  readonly signature: bigint;
  readonly numberIndex: number;
  raw(): AsyncGenerator<RawRow[]>;
  progress(): number;
  readonly totals: TotalsRow[];
}

async function openRecords(input: ReadInput, options: ReadOptions): Promise<OpenedFile> {
  const source = await ByteSource.open(input, options.name);
  const { fileType } = options;
  const format = await sniffFormat(source, fileType.encoding);
  const checked = format === 'csv' && !fileType.encoding ? await checkEncoding(source) : undefined;
  const encoding = format === 'csv' ? (fileType.encoding ?? checked!.encoding) : undefined;
  const sheets: SheetsRead = {};
  const known: { header?: HeaderResult } = {};
  const columnName = (cell: number): string | undefined => known.header?.columns[cell]?.header || undefined;
  const raw =
    format === 'csv'
      ? csvRows(source.chunks(), csvFormat(encoding!, fileType), source.name, columnName)
      : xlsxRows(source, fileType.sheet, sheets);
  const first = await raw.next();
  const batch = first.done ? [] : first.value;
  if (batch.length === 0) {
    throw emptyFileError(source.name);
  }
  if (checked?.stray) {
    await raw.return(undefined);
    throw await strayByteError(source, checked.stray, batch, (row, cell) => {
      const header = findHeaderOrNone(source.name, batch, fileType);
      return header && header.row < row ? header.columns[cell]?.header || undefined : undefined;
    });
  }
  const { header, at } = inSheet(sheets, () => findHeader(source.name, batch, fileType));
  known.header = header;
  let taken = false;
  const totals: TotalsRow[] = [];
  const numberIndex = header.columns.findIndex((c) => c.field === 'number');
  return {
    name: source.name,
    format,
    ...(encoding ? { encoding } : {}),
    header,
    checker: checkerFor(header, options, format),
    signature: digestSeed(
      `${JSON.stringify(header.columns.map((c) => (c.part ? `${c.field}:${c.part}` : c.field)))}|${fileType.dateFormat ?? ''}`,
    ),
    numberIndex,
    raw: () => {
      if (taken) throw new Error(`the rows of ${source.name} can be read once only`);
      taken = true;
      return withoutTotals(withRest(batch.slice(at + 1), raw), numberIndex, totals);
    },
    progress: () => source.progress(),
    totals,
  };
}

/** How far down a header row is looked for when the first row is not one (title lines above it). */
export const TITLE_ROWS = 10;

/**
 * The header: the first row, or — when that lacks the number or name column — the first of the next
 * rows that has both, with the title lines above it ignored and said so ("Mitarbeiterliste",
 * "Stand: 01.11.2026"). Otherwise the first row's error stands — unless one of those rows is the header
 * of the other kind's file (a customer list chosen for employees), which is the likelier mistake.
 */
function findHeader(
  file: string,
  rows: readonly RawRow[],
  fileType: FileType,
): { header: HeaderResult; at: number } {
  const [top] = rows;
  try {
    return { header: resolveHeader(file, top!.row, top!.cells, fileType), at: 0 };
  } catch (error) {
    if (!(error instanceof FileReadError) || error.reason !== 'missing_column') throw error;
    let otherKind = error.facts.otherKind ? error : undefined;
    for (let at = 1; at < Math.min(rows.length, TITLE_ROWS); at++) {
      const row = rows[at]!;
      let header: HeaderResult;
      try {
        header = resolveHeader(file, row.row, row.cells, fileType);
      } catch (later) {
        if (later instanceof FileReadError && later.facts.otherKind) otherKind ??= later;
        continue;
      }
      const above = row.row - 1 === 1 ? 'row 1 above it is' : `rows 1–${row.row - 1} above it are`;
      const title: HeaderWarning = {
        code: 'title_rows',
        column: '',
        message: `the header is row ${row.row}; ${above} ignored`,
      };
      return { header: { ...header, warnings: [title, ...header.warnings] }, at };
    }
    // A header of the other kind below title lines says more than row 1's "no number column".
    throw otherKind ?? error;
  }
}

function findHeaderOrNone(
  file: string,
  rows: readonly RawRow[],
  fileType: FileType,
): HeaderResult | undefined {
  try {
    return findHeader(file, rows, fileType).header;
  } catch {
    return undefined;
  }
}

/**
 * A workbook whose tab read has no number or name column: say which tab that was and which others there
 * are. The first tab is often a cover sheet ("Export of 28.11.") and the records are on the second.
 */
function inSheet<T>(sheets: SheetsRead, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (!(error instanceof FileReadError) || error.reason !== 'missing_column' || !sheets.sheet) throw error;
    const others = sheets.others?.length
      ? `; the workbook's other worksheets: ${sheets.others.map((n) => `"${n}"`).join(', ')}`
      : '';
    const detail = `${error.detail.replace(/^the file has/, `the worksheet "${sheets.sheet}" has`)}${others}`;
    throw new FileReadError('missing_column', error.place, detail, {
      facts: { ...error.facts, sheet: sheets.sheet, sheets: sheets.others ?? [] },
    });
  }
}

/** The row checker of a file with `header`. */
function checkerFor(header: HeaderResult, options: ReadOptions, format: FileFormat): RowChecker {
  const { fileType } = options;
  return new RowChecker(fileType.entity, header, {
    numbers: options.numbers ?? DEFAULT_NUMBERS,
    strictCellCount: format === 'csv',
    ...(fileType.dateFormat ? { dateFormat: fileType.dateFormat } : {}),
  });
}

/** A row's fingerprint (see `LazyRow`). */
function fingerprintOf(signature: bigint, r: RawRow): string {
  // A CSV record by its text: the same cells written with other quotes only count as changed (and are
  // then checked and found equal); its cells are not split for it.
  if (r.text !== undefined) return digest(r.text, signature);
  const errors =
    (r.errorCells?.length ? `|${r.errorCells.join(',')}` : '') +
    (r.formulaCells?.length ? `=${r.formulaCells.join(',')}` : '');
  return digest(`${errors}\u001e${r.cells.join('\u001f')}`, signature);
}

/** The number cell of a raw row as written, trimmed. */
const numberCell = (r: RawRow, numberIndex: number): string =>
  (r.cell ? r.cell(numberIndex) : (r.cells[numberIndex] ?? '')).trim();

async function* withRest(rest: RawRow[], raw: AsyncGenerator<RawRow[]>): AsyncGenerator<RawRow[]> {
  if (rest.length > 0) yield rest;
  for await (const batch of { [Symbol.asyncIterator]: () => raw }) yield batch;
}

/**
 * A totals row: its first non-empty cell starts with a word that sums up ("Summe", "Gesamt", "Total",
 * "I alt", "Anzahl", "Antal" …) and its number cell is empty or that very cell. Payroll exports end with
 * one ("Summe: 48 Mitarbeiter") or put one under each department; it holds no record, so it is passed
 * over with a warning instead of refusing the file for a missing number or name.
 */
const TOTALS =
  /^(?:summe|zwischensumme|gesamt|gesamtsumme|insgesamt|total|totals|subtotal|sum|i alt|ialt|anzahl|antal)(?![\p{L}\p{N}])/iu;

function isTotalsRow(r: RawRow, numberIndex: number): boolean {
  const number = (r.cell ? r.cell(numberIndex) : (r.cells[numberIndex] ?? '')).trim();
  const first = number.charCodeAt(0);
  if (first >= 48 && first <= 57) return false; // a number starts with a digit: the common case
  // A number that is no totals word is a record's: the cells need not be split to know.
  if (number !== '' && !TOTALS.test(number)) return false;
  const text = firstCell(r);
  return TOTALS.test(text) && (number === '' || number === text);
}

const firstCell = (r: RawRow): string => r.cells.find((c) => c.trim() !== '')?.trim() ?? '';

async function* withoutTotals(
  rows: AsyncGenerator<RawRow[]>,
  numberIndex: number,
  totals: TotalsRow[],
): AsyncGenerator<RawRow[]> {
  for await (const batch of { [Symbol.asyncIterator]: () => rows }) {
    if (!batch.some((r) => isTotalsRow(r, numberIndex))) {
      yield batch;
      continue;
    }
    const kept: RawRow[] = [];
    for (const r of batch) {
      if (isTotalsRow(r, numberIndex)) totals.push({ row: r.row, text: firstCell(r) });
      else kept.push(r);
    }
    if (kept.length > 0) yield kept;
  }
}

async function* checkedBatches(
  raw: AsyncGenerator<RawRow[]>,
  checker: RowChecker,
): AsyncGenerator<ReadRow[]> {
  for await (const batch of { [Symbol.asyncIterator]: () => raw })
    yield batch.map((row) => checker.check(row));
}

async function* lazily(file: OpenedFile): AsyncGenerator<LazyRow[]> {
  for await (const batch of { [Symbol.asyncIterator]: () => file.raw() }) {
    yield batch.map((r) => ({
      row: r.row,
      fingerprint: fingerprintOf(file.signature, r),
      number: numberCell(r, file.numberIndex),
      check: () => file.checker.check(r),
    }));
  }
}

async function* oneByOne<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

function csvFormat(encoding: Encoding, fileType: FileType): CsvFormat {
  return fileType.delimiter ? { encoding, delimiter: fileType.delimiter } : { encoding };
}

/**
 * CSV records, streamed: bytes → text (see `encoding.ts`) → records → cells, split when asked for.
 *
 * A record is kept as the text it was written as (`CsvRecord.text`) and split into cells only when its
 * cells are read: a re-import fingerprints that text (`read.ts`) and reads the cells of the few records
 * that changed, so most of a million records are never split (papaparse, which made a string of every
 * cell of every record, took two thirds of an unchanged re-import's reading). Quoting is RFC 4180: a
 * field that starts with `"` runs to the next `"` not doubled; a `"` inside an unquoted field is text.
 *
 * Row numbers count records, not lines: a quoted newline inside an address keeps the record on one
 * row, as Excel shows it. Blank records (an empty line, or only delimiters) are skipped but counted, so
 * the numbers still match what Excel shows when it opens the file.
 *
 * A first line `sep=;` (which Excel writes and reads to name the delimiter) names the delimiter and is
 * not a record; Excel does not show it, so the header after it is row 1.
 */
import type { Delimiter, Encoding } from './file-type.js';
import { DELIMITERS } from './file-type.js';
import { recordEnd, splitRecord } from './csv-split.js';
export { splitRecord } from './csv-split.js';
import { detectDelimiter, SAMPLE_RECORDS } from './delimiter.js';
import { decodeChunks } from './encoding.js';
import { FileReadError } from './file-error.js';
import type { RawRow } from './rows.js';

export interface CsvFormat {
  readonly encoding: Encoding;
  /** Absent: detected from the first records (`delimiter.ts`). */
  readonly delimiter?: Delimiter;
}

/**
 * A record longer than this is no master data (no field comes near it): a quote that was never closed,
 * or a cell that is not what it should be (a document pasted in, a file that is no export). Without the
 * limit, a stray `"` early in a large file made the reader carry (and parse again at every chunk) the
 * whole rest of the file as one unfinished record.
 */
export const MAX_RECORD_CHARS = 1 << 20;

/** Raised inside the reader where a quote opened in a record is never closed. */
class UnclosedQuote extends Error {}

/** Raised inside the reader for a record past the limit with no quote open in it. */
class RecordTooLong extends Error {
  constructor(
    /** Its longest cell (0-based) and that cell's length so far. */
    readonly cell: number,
    readonly cellChars: number,
  ) {
    super('record too long');
  }
}

/** Names a column by its 0-based index once the header is known. */
export type ColumnName = (cell: number) => string | undefined;

/**
 * The records of a CSV text stream with their row numbers, in batches (one per chunk of text, so a
 * million rows cost a few hundred awaits, not a million); blank records are left out. A quote that is
 * never closed fails the file (`unclosed_quote`) at the row where it opens: everything after it would
 * be one cell.
 */
export async function* csvRows(
  chunks: AsyncIterable<Buffer>,
  format: CsvFormat,
  file = 'the file',
  columnName: ColumnName = () => undefined,
): AsyncGenerator<RawRow[]> {
  const text = decodeChunks(chunks, format.encoding);
  let first = await readFirstLine(text);
  const named = excelSeparator(first.line);
  if (named)
    first = await readFirstLine(text, first.buffered.slice(first.line.length + first.newline.length));
  if (first.buffered === '') return;
  if (!format.delimiter && !named) first = await readSample(text, first);
  const delimiter = format.delimiter ?? named ?? detectDelimiter(first.buffered, first.newline);
  // Only whitespace, delimiters and quotes; with quotes, only when its cells are blank too (a cell `""""` is `"`).
  const maybeBlank = new RegExp(`^[\\s"${delimiter}]*$`);
  const blank = (record: string): boolean =>
    maybeBlank.test(record) &&
    (!record.includes('"') || (splitRecord(record, delimiter)?.every((c) => c.trim() === '') ?? false));
  let row = 0;
  try {
    for await (const records of recordBatches(prepend(first.buffered, text), delimiter, first.newline)) {
      const batch: RawRow[] = [];
      for (const record of records) {
        row++;
        if (!blank(record)) batch.push(new CsvRecord(row, record, delimiter));
      }
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    if (error instanceof RecordTooLong) throw tooLongError(file, row + 1, error, columnName);
    if (!(error instanceof UnclosedQuote)) throw error;
    const message =
      'a quote (") opened in this row is never closed, so the rest of the file would be one cell; ' +
      'close it, or remove it if it belongs to the text';
    throw new FileReadError('unclosed_quote', { file, row: row + 1 }, message);
  }
}

function tooLongError(
  file: string,
  row: number,
  error: RecordTooLong,
  columnName: ColumnName,
): FileReadError {
  const limit = MAX_RECORD_CHARS.toLocaleString('en');
  const refused = 'more than any field of a record holds; the file is not read';
  if (error.cellChars <= MAX_RECORD_CHARS / 2)
    return new FileReadError(
      'cell_too_long',
      { file, row },
      `the row is longer than ${limit} characters, ${refused}`,
    );
  const column = columnName(error.cell);
  const cell = column === undefined ? `the cell in column ${error.cell + 1}` : 'the cell';
  const chars = (Math.floor(error.cellChars / 1000) * 1000).toLocaleString('en');
  const detail = `${cell} is longer than ${chars} characters, ${refused}`;
  return new FileReadError('cell_too_long', { file, row, ...(column ? { column } : {}) }, detail);
}

/**
 * Where the character at byte `offset` lies, as `csvRows` numbers rows: its row and the 0-based index
 * of its cell. The text before it is read as records; a sentinel closes the unfinished last one (and a
 * quote open in it), so that record is the one the byte is in.
 */
export async function locateByte(
  chunks: AsyncIterable<Buffer>,
  offset: number,
  format: CsvFormat,
): Promise<{ row: number; cell: number }> {
  async function* before(): AsyncGenerator<Buffer> {
    let at = 0;
    for await (const chunk of chunks) {
      if (at + chunk.length >= offset) {
        yield chunk.subarray(0, offset - at);
        break;
      }
      at += chunk.length;
      yield chunk;
    }
    yield Buffer.from('X"');
  }
  let last: RawRow | undefined;
  for await (const batch of csvRows(before(), format)) last = batch.at(-1) ?? last;
  return { row: last?.row ?? 1, cell: Math.max(0, (last?.cells.length ?? 1) - 1) };
}

/** A CSV record: its text as written, and its cells once asked for. */
export class CsvRecord implements RawRow {
  private split: readonly string[] | undefined;

  constructor(
    readonly row: number,
    /** The record as written, without its line break. */
    readonly text: string,
    /** The file's delimiter. */
    readonly delimiter: Delimiter,
  ) {}

  get cells(): readonly string[] {
    return (this.split ??= splitRecord(this.text, this.delimiter) ?? [this.text]);
  }

  /** One cell, without splitting the record when it holds no quote (the number column of a re-import). */
  cell(index: number): string {
    if (this.split || this.text.includes('"')) return this.cells[index] ?? '';
    let start = 0;
    for (let i = 0; i < index; i++) {
      const next = this.text.indexOf(this.delimiter, start);
      if (next < 0) return '';
      start = next + 1;
    }
    const end = this.text.indexOf(this.delimiter, start);
    return this.text.slice(start, end < 0 ? undefined : end);
  }
}

/**
 * The records of the text, chunk by chunk, each without its line break; the unfinished last record of a
 * chunk is finished with the next. A record that never ends (a quote never closed) fails the file.
 */
async function* recordBatches(
  text: AsyncIterable<string>,
  delimiter: string,
  newline: string,
): AsyncGenerator<string[]> {
  let partial = '';
  for await (const chunk of text) {
    const input = partial + chunk;
    const records: string[] = [];
    let start = 0;
    let quote = input.indexOf('"');
    for (;;) {
      if (quote >= 0 && quote < start) quote = input.indexOf('"', start);
      const end = recordEnd(input, start, quote, delimiter, newline);
      if (end < 0) break;
      records.push(input.slice(start, end));
      start = end + newline.length;
    }
    partial = input.slice(start);
    if (records.length > 0) yield records;
    if (partial.length > MAX_RECORD_CHARS) throw tooLong(partial, delimiter);
  }
  if (partial !== '') {
    if (splitRecord(partial, delimiter) === undefined) throw new UnclosedQuote();
    yield [partial];
  }
}

/** Why the unfinished record `partial` is past the limit: a quote open in it, or a cell that long. */
function tooLong(partial: string, delimiter: string): Error {
  const cells = splitRecord(partial, delimiter);
  if (!cells) return new UnclosedQuote();
  let longest = 0;
  for (let i = 1; i < cells.length; i++) if (cells[i]!.length > cells[longest]!.length) longest = i;
  return new RecordTooLong(longest, cells[longest]!.length);
}

interface FirstLine {
  /** The header line, without its line break (quoted line breaks inside it kept). */
  readonly line: string;
  /** The line break that ends it; "\r\n" when the file has one line only. */
  readonly newline: '\r\n' | '\n' | '\r';
  /** Everything read so far, to be parsed again from the start. */
  readonly buffered: string;
}

/** The delimiter an Excel `sep=` line names, if `line` is one and names one of ours. */
function excelSeparator(line: string): Delimiter | undefined {
  const m = /^"?sep=(.)"?$/i.exec(line);
  return m && (DELIMITERS as readonly string[]).includes(m[1]!) ? (m[1] as Delimiter) : undefined;
}

/** Read text until the first line break outside quotes (or the end), after what is `buffered` already. */
async function readFirstLine(text: AsyncIterator<string>, buffered = ''): Promise<FirstLine> {
  for (;;) {
    const end = lineEnd(buffered);
    if (end) return { line: buffered.slice(0, end.at), newline: end.newline, buffered };
    const next = await text.next();
    if (next.done) return { line: buffered, newline: '\r\n', buffered };
    buffered += next.value;
  }
}

/** How much text the delimiter guess gets at most, besides what is read already. */
const SAMPLE_CHARS = 1 << 16;

/** Read on until `first.buffered` holds the records the delimiter guess looks at (or the file ends). */
async function readSample(text: AsyncIterator<string>, first: FirstLine): Promise<FirstLine> {
  let buffered = first.buffered;
  const enough = (): boolean => {
    if (buffered.length >= SAMPLE_CHARS) return true;
    let at = -1;
    for (let n = 0; n <= SAMPLE_RECORDS; n++) if ((at = buffered.indexOf('\n', at + 1)) < 0) return false;
    return true;
  };
  while (!enough()) {
    const next = await text.next();
    if (next.done) break;
    buffered += next.value;
  }
  return { ...first, buffered };
}

function lineEnd(text: string): { at: number; newline: FirstLine['newline'] } | undefined {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (ch === '\n') return { at: i, newline: '\n' };
      if (i + 1 >= text.length) return undefined; // "\r" at the end of a chunk: "\r\n" or "\r"?
      return { at: i, newline: text[i + 1] === '\n' ? '\r\n' : '\r' };
    }
  }
  return undefined;
}

async function* prepend(head: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  try {
    yield head;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await rest.return?.(undefined); // closes the file when the reader stops early
  }
}

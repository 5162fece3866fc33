/**
 * CSV records, streamed: bytes → text (see `encoding.ts`) → papaparse → one cell array per record.
 *
 * Row numbers count records, not lines: a quoted newline inside an address keeps the record on one
 * row, as Excel shows it. Blank records (an empty line, or only delimiters) are skipped but counted, so
 * the numbers still match what Excel shows when it opens the file.
 *
 * A first line `sep=;` (which Excel writes and reads to name the delimiter) names the delimiter and is
 * not a record; Excel does not show it, so the header after it is row 1.
 */
import Papa from 'papaparse';
import type { Delimiter, Encoding } from './file-type.js';
import { DELIMITERS } from './file-type.js';
import { decodeChunks } from './encoding.js';
import { FileReadError } from './file-error.js';
import type { RawRow } from './rows.js';

export interface CsvFormat {
  readonly encoding: Encoding;
  /** Absent: detected from the header line. */
  readonly delimiter?: Delimiter;
}

/**
 * A record longer than this is a quote that was never closed, not data: no field of master data comes
 * near it. Without the limit, a stray `"` early in a large file made the reader carry (and parse again
 * at every chunk) the whole rest of the file as one unfinished record.
 */
export const MAX_RECORD_CHARS = 1 << 20;

/** Raised inside the reader where a quote opened in a record is never closed. */
class UnclosedQuote extends Error {}

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
): AsyncGenerator<RawRow[]> {
  const text = decodeChunks(chunks, format.encoding);
  let first = await readFirstLine(text);
  const named = excelSeparator(first.line);
  if (named)
    first = await readFirstLine(text, first.buffered.slice(first.line.length + first.newline.length));
  if (first.buffered === '') return;
  const parser = new Papa.Parser({
    delimiter: format.delimiter ?? named ?? detectDelimiter(first.line),
    newline: first.newline,
    quoteChar: '"',
    escapeChar: '"',
  });
  let row = 0;
  try {
    for await (const records of recordBatches(parser, prepend(first.buffered, text))) {
      const batch: RawRow[] = [];
      for (const cells of records) {
        row++;
        if (!isBlank(cells)) batch.push({ row, cells });
      }
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    if (!(error instanceof UnclosedQuote)) throw error;
    const message =
      'a quote (") opened in this row is never closed, so the rest of the file would be one cell; ' +
      'close it, or remove it if it belongs to the text';
    throw new FileReadError('unclosed_quote', { file, row: row + 1 }, message);
  }
}

/**
 * Papa's core parser, chunk by chunk: each chunk is parsed with the unfinished last record of the one
 * before. (Papa's own Node stream re-scans its whole 1 MB chunk at every pause, which made a million
 * rows take minutes; this keeps one pass over the text.)
 */
async function* recordBatches(parser: Papa.Parser, text: AsyncIterable<string>): AsyncGenerator<string[][]> {
  let partial = '';
  for await (const chunk of text) {
    const input = partial + chunk;
    const result = parser.parse(input, 0, true) as { data: string[][]; meta: { cursor: number } };
    partial = input.slice(result.meta.cursor);
    if (result.data.length > 0) yield result.data;
    if (partial.length > MAX_RECORD_CHARS) throw new UnclosedQuote();
  }
  if (partial !== '') {
    const last = parser.parse(partial, 0, false) as {
      data: string[][];
      errors: readonly { code: string; row?: number }[];
    };
    const missing = last.errors.find((e) => e.code === 'MissingQuotes');
    if (missing) {
      const complete = last.data.slice(0, missing.row ?? 0);
      if (complete.length > 0) yield complete;
      throw new UnclosedQuote();
    }
    yield last.data;
  }
}

function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
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

/** The delimiter among `,` `;` TAB that occurs most often (outside quotes) in the header line. */
export function detectDelimiter(line: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch as Delimiter))
      counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1);
  }
  let best: Delimiter = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
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

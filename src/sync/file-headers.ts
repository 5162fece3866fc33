/**
 * The header row and a few data rows of a sample file, each header with the standard field it names:
 * what the screen that maps a custom file type (FORMATS.md "Custom file types") starts from.
 */
import type { EntityKind } from '../core/fields.js';
import { ByteSource } from '../formats/byte-source.js';
import { csvRows } from '../formats/csv.js';
import { detectEncoding } from '../formats/encoding.js';
import { FileReadError } from '../formats/file-error.js';
import { findStandardField } from '../formats/headers.js';
import { TITLE_ROWS } from '../formats/read.js';
import type { RawRow } from '../formats/rows.js';
import { xlsxRows } from '../formats/xlsx.js';

export interface FileHeaders {
  readonly format: 'csv' | 'xlsx';
  readonly encoding: string | null;
  readonly headers: readonly { readonly header: string; readonly field: string | null }[];
  readonly sample: readonly (readonly string[])[];
}

const SAMPLE_ROWS = 5;

export async function readFileHeaders(
  path: string,
  name: string,
  entity: EntityKind,
  sheet?: string,
): Promise<FileHeaders> {
  const source = await ByteSource.open(path, name);
  const head = await source.slice(0, 4);
  const xlsx = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const encoding = xlsx ? undefined : await detectEncoding(source);
  const rows: AsyncGenerator<RawRow[]> = xlsx
    ? xlsxRows(source, sheet)
    : csvRows((await ByteSource.open(path, name)).chunks(), { encoding: encoding! }, name);
  const taken: RawRow[] = [];
  for await (const batch of rows) {
    taken.push(...batch);
    if (taken.length > TITLE_ROWS + SAMPLE_ROWS) break;
  }
  await rows.return(undefined);
  const at = headerRowOf(taken);
  const [header, ...sample] = taken.slice(at);
  if (!header)
    throw new FileReadError('empty_file', { file: name }, 'the file is empty: it has no header row');
  return {
    format: xlsx ? 'xlsx' : 'csv',
    encoding: encoding ?? null,
    headers: header.cells.map((cell) => {
      const text = cell.trim();
      return { header: text, field: text ? (findStandardField(entity, text) ?? null) : null };
    }),
    sample: sample.slice(0, SAMPLE_ROWS).map((r) => [...r.cells]),
  };
}

/**
 * Which of the first rows is the header: the first that fills more than one cell. Title lines above it
 * ("Lohnexport", "Stand: 01.11.2026") fill one; a header names its columns.
 */
function headerRowOf(rows: readonly RawRow[]): number {
  const at = rows
    .slice(0, TITLE_ROWS)
    .findIndex((row) => row.cells.filter((c) => c.trim() !== '').length > 1);
  return Math.max(at, 0);
}

/**
 * The error for a UTF-8 file that holds bytes that are not UTF-8 (`checkEncoding`): it names the row
 * and column of the first such byte, so the user can find the character pasted in from elsewhere.
 */
import iconv from 'iconv-lite';
import type { ByteSource } from './byte-source.js';
import type { CsvFormat } from './csv.js';
import { CsvRecord, locateByte } from './csv.js';
import type { EncodingCheck } from './encoding.js';
import { FileReadError } from './file-error.js';
import type { RawRow } from './rows.js';

/**
 * `first` are the file's first records read as UTF-8 (for its delimiter); `columnName` names a cell
 * index by its header when the header is known and lies above the byte.
 */
export async function strayByteError(
  source: ByteSource,
  stray: NonNullable<EncodingCheck['stray']>,
  first: readonly RawRow[],
  columnName: (row: number, cell: number) => string | undefined,
): Promise<FileReadError> {
  const record = first[0];
  const delimiter = record instanceof CsvRecord ? record.delimiter : undefined;
  const format: CsvFormat = delimiter ? { encoding: 'utf-8', delimiter } : { encoding: 'utf-8' };
  const { row, cell } = await locateByte(source.scan(), stray.offset, format);
  const column = columnName(row, cell);
  const hex = stray.byte.toString(16).toUpperCase().padStart(2, '0');
  const as1252 = iconv.decode(Buffer.from([stray.byte]), 'win1252');
  const detail =
    `the file mixes encodings: it is UTF-8, but byte 0x${hex}${column === undefined ? ` in cell ${cell + 1}` : ''} ` +
    `is not (in Windows-1252 it is "${as1252}"); correct that character and save the file as UTF-8 again`;
  return new FileReadError('encoding', { file: source.name, row, ...(column ? { column } : {}) }, detail);
}

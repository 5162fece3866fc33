/** Helpers for the format tests: fixture paths and reading a whole (small) file. */
import { fileURLToPath } from 'node:url';
import type { EntityKind } from '../core/fields.js';
import type { FileType } from './file-type.js';
import { standardFileType } from './file-type.js';
import type { ReadInput, RecordFile } from './read.js';
import { readRecords } from './read.js';
import type { ReadRow } from './rows.js';

export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../test/fixtures/formats/${name}`, import.meta.url));

export async function readAll(
  input: ReadInput,
  kindOrType: EntityKind | FileType = 'employee',
): Promise<{ file: RecordFile; rows: ReadRow[] }> {
  const fileType = typeof kindOrType === 'string' ? standardFileType(kindOrType) : kindOrType;
  const file = await readRecords(input, { fileType });
  const rows: ReadRow[] = [];
  for await (const row of file.rows()) rows.push(row);
  return { file, rows };
}

/** The FileReadError a read fails with (or a failure of the test when it does not fail). */
export async function readError(input: ReadInput, fileType: FileType): Promise<unknown> {
  try {
    await readAll(input, fileType);
  } catch (error) {
    return error;
  }
  throw new Error('expected the read to fail');
}

import { describe, expect, it } from 'vitest';
import { MAX_RECORD_CHARS } from './csv.js';
import { standardFileType } from './file-type.js';
import { clipValue, SHOWN_CHARS } from './rows.js';
import { readAll, readError } from './test-support.js';

const employees = standardFileType('employee');

describe('a cell too long for master data', () => {
  it('refuses the file naming row and column, not as a quote never closed', async () => {
    const csv = `P.-Nr.;Name;Ort\n1;Anna;Köln\n2;${'x'.repeat(2_000_000)};Bonn\n3;Cem;Ulm\n`;
    const error = await readError(Buffer.from(csv), employees);
    expect(error).toMatchObject({
      code: 'file_unreadable',
      reason: 'cell_too_long',
      place: { row: 3, column: 'Name' },
    });
    expect((error as Error).message).toMatch(
      /^upload, row 3, column "Name": the cell is longer than 1,\d{3},000 characters, more than any field of a record holds; the file is not read$/,
    );
  });

  it('refuses a row made long by many cells as a row too long', async () => {
    const cell = 'y'.repeat(100_000);
    const csv = `P.-Nr.;Name\n1;${Array.from({ length: 12 }, () => cell).join(';')}\n`;
    await expect(readError(Buffer.from(csv), employees)).resolves.toMatchObject({
      reason: 'cell_too_long',
      place: { row: 2 },
      message:
        'upload, row 2: the row is longer than 1,048,576 characters, more than any field of a record holds; the file is not read',
    });
  });

  it('still says a quote is never closed when one is open past the limit', async () => {
    const csv = `P.-Nr.;Name\n1;"Anna\n${'2;Bob\n'.repeat(MAX_RECORD_CHARS / 5)}`;
    await expect(readError(Buffer.from(csv), employees)).resolves.toMatchObject({
      reason: 'unclosed_quote',
      place: { row: 2 },
    });
  });
});

describe('values echoed in problems', () => {
  it('are cut to a few hundred characters', async () => {
    const long = `Anna ${'ä'.repeat(300_000)}`;
    const csv = `P.-Nr.;Name;Ort\n1;${long};Köln;${'z'.repeat(5000)}\n${'n'.repeat(400)};Bob;Bonn\n`;
    const { rows } = await readAll(Buffer.from(csv));
    const shown = rows.flatMap((r) => r.problems.map((p) => [p.code, p.value]));
    expect(shown).toEqual([
      ['too_long', `${long.slice(0, SHOWN_CHARS)}…`],
      ['too_many_cells', `${'z'.repeat(SHOWN_CHARS)}…`],
      [expect.any(String), `${'n'.repeat(SHOWN_CHARS)}…`],
    ]);
  });

  it('are not cut inside a character written as two UTF-16 units', () => {
    const value = `${'a'.repeat(SHOWN_CHARS - 1)}😀${'b'.repeat(10)}`;
    expect(clipValue(value)).toBe(`${'a'.repeat(SHOWN_CHARS - 1)}…`);
    expect(clipValue('kurz')).toBe('kurz');
  });
});

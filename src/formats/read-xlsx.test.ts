import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FileReadError } from './file-error.js';
import { standardFileType } from './file-type.js';
import { displayNumber } from './number-format.js';
import { fixture, readAll, readError } from './test-support.js';

describe('reading XLSX files', () => {
  it('reads date cells as dates and keeps text numbers with their leading zeros', async () => {
    const { file, rows } = await readAll(fixture('employees.xlsx'));
    expect(file.format).toBe('xlsx');
    expect(file.header.fields).toEqual([
      'number',
      'name',
      'zip',
      'employedSince',
      'employedUntil',
      'salaryNumber',
      'active',
    ]);
    expect(rows[0]).toEqual({
      row: 2,
      values: {
        number: '00123',
        name: 'Anna Schmidt',
        zip: '01067',
        employedSince: '2018-04-01',
        employedUntil: '',
        salaryNumber: 'G1',
        active: 'true',
      },
      problems: [],
      warnings: [],
    });
  });

  it('shows a number cell as its "00000" number format does, and reads rich text and a serial date', async () => {
    const { rows } = await readAll(fixture('employees.xlsx'));
    expect(rows[1]?.values).toEqual({
      number: '00042',
      name: 'Bernd Becker',
      zip: '01067',
      employedSince: '2019-01-01',
      employedUntil: '',
      salaryNumber: '7',
      active: 'true',
    });
  });

  it('reads the result of a formula and checks it like any value', async () => {
    const { rows } = await readAll(fixture('employees.xlsx'));
    expect(rows[2]).toMatchObject({ row: 4, values: { name: 'Carla Coe' } });
    expect(rows[2]?.problems).toEqual([
      {
        row: 4,
        column: 'Austrittsdatum',
        field: 'employedUntil',
        value: '2019-01-01',
        code: 'until_before_since',
        reason: 'lies before "employed since"',
      },
    ]);
  });

  it('skips a blank row but keeps the sheet’s row numbers, and refuses an error cell', async () => {
    const { rows } = await readAll(fixture('employees.xlsx'));
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 6]);
    expect(rows[3]?.values.name).toBeUndefined();
    expect(rows[3]?.problems).toEqual([
      {
        row: 6,
        column: 'Name',
        field: 'name',
        value: '#N/A',
        code: 'cell_error',
        reason: 'holds the spreadsheet error #N/A',
      },
    ]);
  });

  it('reads a worksheet named by the file type', async () => {
    const { rows } = await readAll(fixture('employees.xlsx'), {
      ...standardFileType('customer'),
      sheet: 'kunden',
    });
    expect(rows).toEqual([
      { row: 2, values: { number: 'K1', name: 'Firma Eins', type: 'business' }, problems: [], warnings: [] },
    ]);
  });

  it('names the worksheets there are when the named one is missing', async () => {
    const error = await readError(fixture('employees.xlsx'), {
      ...standardFileType('employee'),
      sheet: 'Personal',
    });
    expect(error).toMatchObject({
      reason: 'sheet_not_found',
      message: 'employees.xlsx: has no worksheet "Personal" (worksheets: "Mitarbeiter", "Kunden")',
    });
  });

  it('names the worksheet read and the others when it lacks the number column', async () => {
    // The customers' tab read as employees: as a cover sheet in front of the records would be.
    const error = await readError(fixture('employees.xlsx'), {
      ...standardFileType('employee'),
      sheet: 'Kunden',
    });
    expect(error).toMatchObject({
      reason: 'missing_column',
      message:
        'employees.xlsx, row 1: the worksheet "Kunden" has no number column (expected a header such as ' +
        '"Employee no.", "P.-Nr.", "Medarbejdernr."); it looks like a list of customers ("Kundennr.", ' +
        '"Kundenname"): import it into an integration of customers; the workbook\'s other worksheets: "Mitarbeiter"',
      details: {
        reason: 'missing_column',
        field: 'number',
        expected: ['Employee no.', 'P.-Nr.', 'Medarbejdernr.'],
        expectedIn: { en: 'Employee no.', de: 'P.-Nr.', da: 'Medarbejdernr.' },
        sheet: 'Kunden',
        sheets: ['Mitarbeiter'],
        otherKind: 'customer',
      },
    });
  });

  it('reads a workbook with several worksheets again and again without a spurious failure', async () => {
    // This workbook has its worksheets before its shared strings and workbook.xml. Read in that order,
    // exceljs's streaming reader failed now and then ("reading 'sheets'", about one read in a hundred
    // alone and nearly every run beside the database tests), or threw an uncaught ENOENT for a temporary
    // file; the reader now gets the entries in the order it needs (`zip.ts`).
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const sheet = i % 2 === 0 ? undefined : 'Kunden';
      const fileType = sheet ? { ...standardFileType('customer'), sheet } : standardFileType('employee');
      const { rows } = await readAll(fixture('employees.xlsx'), fileType).catch((e: Error) => {
        failures.push(`read ${i}: ${e.message}`);
        return { rows: [] };
      });
      if (rows.length !== (sheet ? 1 : 4)) failures.push(`read ${i}: ${rows.length} rows`);
    }
    expect(failures).toEqual([]);
  });

  it('reads an upload given as a buffer', async () => {
    const { rows } = await readAll(readFileSync(fixture('employees.xlsx')));
    expect(rows).toHaveLength(4);
  });

  it('refuses a truncated file with a clear error instead of crashing', async () => {
    const error = await readError(fixture('broken-truncated.xlsx'), standardFileType('employee'));
    expect(error).toBeInstanceOf(FileReadError);
    expect(error).toMatchObject({
      reason: 'corrupt_xlsx',
      message:
        'broken-truncated.xlsx: the XLSX file is truncated or damaged (its zip directory is missing); save it again from Excel',
    });
  });

  it('refuses a file with damaged contents as corrupt', async () => {
    const error = await readError(fixture('broken-garbled.xlsx'), standardFileType('employee'));
    expect(error).toBeInstanceOf(FileReadError);
    expect(error).toMatchObject({
      code: 'file_unreadable',
      reason: 'corrupt_xlsx',
      place: { file: 'broken-garbled.xlsx' },
    });
  });
});

describe('a totals row under the records', () => {
  it('is passed over: a label in the number column and a SUM formula beside it', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Personal');
    sheet.addRow(['P.-Nr.', 'Name', 'Stunden']);
    sheet.addRow(['0101', 'Jürgen Müller', 160]);
    sheet.addRow(['0102', 'Anna Schmidt', 120]);
    sheet.addRow(['Gesamt', null, { formula: 'SUM(C2:C3)', result: 280 }]);
    const { file, rows } = await readAll(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(rows.map((r) => [r.row, r.values.number, r.problems])).toEqual([
      [2, '0101', []],
      [3, '0102', []],
    ]);
    expect(file.totals).toEqual([{ row: 4, text: 'Gesamt' }]);
  });
});

describe('formula cells', () => {
  it('are read by their saved result; one the file holds no result for is refused, not read as empty', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Customers');
    sheet.addRow(['Customer no.', 'Customer name', 'City']);
    sheet.addRow(['8001', 'Calculated Ltd', { formula: 'UPPER("dublin")', result: 'DUBLIN' }]);
    sheet.addRow(['8002', 'Uncalculated Ltd', { formula: 'UPPER("cork")' }]);
    sheet.addRow(['8003', 'Empty Result Ltd', { formula: 'IF(1=1,"","x")', result: '' }]);
    // A result of 0 is a result (exceljs's cell value drops it).
    sheet.addRow([{ formula: '8000+4', result: 8004 }, 'Zero Ltd', { formula: 'A2*0', result: 0 }]);
    const { rows } = await readAll(
      Buffer.from(await workbook.xlsx.writeBuffer()),
      standardFileType('customer'),
    );
    expect(rows.map((r) => [r.row, r.values.city, r.problems])).toEqual([
      [2, 'DUBLIN', []],
      [
        3,
        undefined,
        [
          expect.objectContaining({
            column: 'City',
            value: '=UPPER("cork")',
            code: 'formula_without_result',
          }),
        ],
      ],
      [4, '', []],
      [5, '0', []],
    ]);
  });
});

describe('a customer workbook chosen for employees', () => {
  it('says it looks like a customer list when a title line sits above its header', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Kunden');
    sheet.addRow(['Kundenliste Stand 01.11.2026']);
    sheet.addRow(['Kundennr.', 'Kundenname', 'Ort']);
    sheet.addRow(['K1', 'Bäckerei Sonnenschein', 'Köln']);
    const error = await readError(
      Buffer.from(await workbook.xlsx.writeBuffer()),
      standardFileType('employee'),
    );
    expect(error).toMatchObject({
      reason: 'missing_column',
      place: { row: 2 },
      details: { field: 'number', otherKind: 'customer', sheet: 'Kunden' },
    });
    expect((error as Error).message).toContain(
      'it looks like a list of customers ("Kundennr.", "Kundenname")',
    );
  });
});

describe('characters split between two chunks of the unzipped XML', () => {
  // exceljs decodes each chunk of a worksheet or of the shared strings on its own: a character cut by a
  // chunk boundary came back as two U+FFFD, in a row here and there of a large sheet (`exceljs-load.ts`).
  // Text that is mostly two- and four-byte characters puts many of the ~16 KB boundaries inside one.
  const texts = [
    'Jürgen Größer-Weiß',
    'Søren Kærgård-Ødegård',
    'Ærø Åbenrå Æblegård',
    'Zoë 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🧹 Straße',
  ];
  const cities = ['Köln', 'Århus', 'Næstved', 'Øster Ørsted 𝔘🧹'];
  const expected = (i: number) => ({
    number: String(i),
    name: `${texts[i % texts.length]} ${i}`,
    city: cities[i % cities.length],
  });

  it.each([
    ['inline strings', false],
    ['shared strings', true],
  ])('are read whole from %s', async (_kind, useSharedStrings) => {
    const rowCount = 20_000;
    const { rows } = await readAll(await streamedWorkbook(rowCount, useSharedStrings, expected));
    const wrong = rows.flatMap((r, i) => {
      const want = expected(i + 1);
      return r.row === i + 2 && JSON.stringify(r.values) === JSON.stringify(want) ? [] : [{ ...r, want }];
    });
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(rows).toHaveLength(rowCount);
    expect(JSON.stringify(rows)).not.toContain('\uFFFD');
  });
});

/** A workbook of `rowCount` employees, written by exceljs's streaming writer as a user's export is. */
async function streamedWorkbook(
  rowCount: number,
  useSharedStrings: boolean,
  row: (i: number) => Record<'number' | 'name' | 'city', string | undefined>,
): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings });
  const sheet = workbook.addWorksheet('Personal');
  sheet.addRow(['P.-Nr.', 'Name', 'Ort']).commit();
  for (let i = 1; i <= rowCount; i++) {
    const { number, name, city } = row(i);
    sheet.addRow([number, name, city]).commit();
  }
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

describe('number formats', () => {
  it.each([
    [123, '00000', '00123'],
    [123, 'General', '123'],
    [7, '"DK-"0000', 'DK-0007'],
    [12.5, '0.00', '12.50'],
    [1234, '#,##0', '1234'],
    [5790001234560, '0', '5790001234560'],
    [42, '0;[Red]-0', '42'],
    // Phone numbers kept with their leading zero by a pattern (an Irish office's mobiles).
    [871234567, '000 000 0000', '087 123 4567'],
    [871234567, '0## ### ####', '087 123 4567'],
    [871234567, '000-000-0000', '087-123-4567'],
    [871234567, '(000) 000 0000', '(087) 123 4567'],
    [4930123456, '"+"00 00 000000', '+49 30 123456'],
    [1234567, '0000\\-000', '1234-567'],
    [12345678901, '000 000 0000', '1234 567 8901'],
    [12.5, '000 000', '12.5'],
    [1234, '0 "kr."', '1234 kr.'],
    [12, '0.00 "€"', '12'],
    [5, '# ?/?', '5'],
    [301234567, '0000/000000', '0301/234567'],
  ])('%d with format %s shows as %s', (value, format, shown) => {
    expect(displayNumber(value, format)).toBe(shown);
  });
});

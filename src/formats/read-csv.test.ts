import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvRows, MAX_RECORD_CHARS } from './csv.js';
import { FileReadError } from './file-error.js';
import { standardFileType } from './file-type.js';
import type { FileType } from './file-type.js';
import { readRecords } from './read.js';
import { fixture, readAll, readError } from './test-support.js';

const MUELLER = {
  number: '00101',
  name: 'Müller, Hans',
  address: 'Hauptstraße 5 Hinterhaus',
  zip: '10115',
  city: 'Berlin',
  country: 'DE',
  email: 'hans.mueller@example.de',
  privatePhone: '+49 170 1234567',
  employedSince: '2015-03-01',
  employedUntil: '',
  active: 'true',
};

describe('reading CSV files', () => {
  it.each([
    ['employees-de-1252.csv', 'windows-1252'],
    ['employees-de-utf8-bom.csv', 'utf-8'],
    ['employees-de-utf16le.txt', 'utf-16le'],
  ])('a German export in %s reads with umlauts, ß and Ø intact', async (name, encoding) => {
    const { file, rows } = await readAll(fixture(name));
    expect(file.encoding).toBe(encoding);
    expect(file.header.warnings).toEqual([]);
    expect(rows.map((r) => r.values.name)).toEqual(['Müller, Hans', 'Weiß, Anna', 'Jørgensen, Søren']);
    expect(rows[0]).toEqual({ row: 2, values: MUELLER, problems: [], warnings: [] });
    expect(rows[2]?.values.city).toBe('København K');
  });

  it('counts a record with a quoted line break as one row, as Excel shows it', async () => {
    const { rows } = await readAll(fixture('employees-de-1252.csv'));
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4]);
  });

  it('reads a tab-delimited Danish file and skips its trailing blank lines', async () => {
    const { file, rows } = await readAll(fixture('employees-da.tsv'));
    expect(file.header.fields).toContain('ssn');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({
      row: 3,
      values: {
        number: '8',
        name: 'Lars Østergård',
        address: 'Vestergade 1',
        zip: '8000',
        city: 'Aarhus C',
        country: 'DK',
        ssn: '020285-4321',
        bankRegNo: '5678',
        accountNo: '87654321',
        phoneCode: '+45',
        privatePhone: '+45 21 22 23 24',
        email: 'lars@example.dk',
        employedSince: '2018-06-15',
        employedUntil: '2022-06-30',
        active: 'false',
      },
      problems: [],
      warnings: [],
    });
  });

  it('reads English customers with a comma and warns when UK is read as GB', async () => {
    const { rows } = await readAll(fixture('customers-en.csv'), 'customer');
    expect(rows[0]?.values).toMatchObject({ number: 'C1', type: 'business', ean: '5790001234560' });
    expect(rows[1]?.values).toMatchObject({ name: 'Smith, John', type: 'private', country: 'GB' });
    expect(rows[1]?.problems).toEqual([]);
    expect(rows[1]?.warnings).toEqual([
      {
        row: 3,
        column: 'Country',
        field: 'country',
        value: 'UK',
        code: 'country_alias',
        reason: 'was read as GB',
        readAs: 'GB',
      },
    ]);
  });

  it('counts blank lines in the middle of the file as rows, but yields none for them', async () => {
    const csv = 'Employee no.;Employee name\r\n1;Ann\r\n\r\n;;\r\n2;Bob\r\n';
    const { rows } = await readAll(Buffer.from(csv));
    expect(rows.map((r) => [r.row, r.values.name])).toEqual([
      [2, 'Ann'],
      [5, 'Bob'],
    ]);
  });

  it('takes the delimiter from an Excel "sep=" line and counts the header after it as row 1', async () => {
    // The header has more commas than semicolons: without the sep line the comma would be taken.
    const csv =
      '\uFEFFsep=;\r\nEmployee no.;Employee name;Remarks, if any, e.g., leave\r\n1;Ann;x\r\n2;Bob;\r\n';
    const { file, rows } = await readAll(Buffer.from(csv));
    expect(file.header.fields).toEqual(['number', 'name']);
    expect(rows.map((r) => [r.row, r.values.number])).toEqual([
      [2, '1'],
      [3, '2'],
    ]);
    const named = await readAll(Buffer.from('SEP=\t\nEmployee no.\tEmployee name\n1\tAnn, B.\n'));
    expect(named.rows.map((r) => [r.row, r.values.name])).toEqual([[2, 'Ann, B.']]);
  });

  it('keeps row numbers right when quoted line breaks straddle the reader’s chunks', async () => {
    const line = (i: number): string => `${i},"Person ${i}","Street ${i}\nFloor ${i % 7}"\n`;
    const csv =
      'Employee no.,Employee name,Address\n' + Array.from({ length: 5000 }, (_, i) => line(i + 1)).join('');
    expect(csv.length).toBeGreaterThan(3 * 65536);
    const { rows } = await readAll(Buffer.from(csv));
    expect(rows).toHaveLength(5000);
    expect(
      rows.every((r, i) => r.row === i + 2 && r.values.address === `Street ${i + 1} Floor ${(i + 1) % 7}`),
    ).toBe(true);
  });

  it('reads a Windows-1252 file whose first umlaut lies far beyond the first chunk', async () => {
    const ascii = Array.from({ length: 3000 }, (_, i) => `${i + 1};Person ${i + 1}`).join('\r\n');
    const bytes = Buffer.concat([
      Buffer.from(`P.-Nr.;Name\r\n${ascii}\r\n`),
      Buffer.from([0x39, 0x39, 0x39, 0x39, 0x3b, 0x47, 0xfc, 0x6c]),
    ]);
    const { file, rows } = await readAll(bytes);
    expect(file.encoding).toBe('windows-1252');
    expect(rows.at(-1)?.values.name).toBe('Gül');
  });
});

describe('title lines above the header', () => {
  it('finds the header below them, says so, and keeps the row numbers Excel shows', async () => {
    const csv =
      'Mitarbeiterliste;;\r\nStand: 01.11.2026;;\r\n;;\r\nP.-Nr.;Name;Ort\r\n7;Jürgen Müller;Köln\r\n';
    const { file, rows } = await readAll(Buffer.from(csv));
    expect(file.header.row).toBe(4);
    expect(file.header.warnings).toEqual([
      { code: 'title_rows', column: '', message: 'the header is row 4; rows 1–3 above it are ignored' },
    ]);
    expect(rows).toEqual([
      { row: 5, values: { number: '7', name: 'Jürgen Müller', city: 'Köln' }, problems: [], warnings: [] },
    ]);
  });

  it('still refuses a file without a header in its first rows, naming row 1', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `Zeile ${i};x`);
    const error = await readError(
      Buffer.from([...lines, 'P.-Nr.;Name', '1;A', ''].join('\r\n')),
      standardFileType('employee'),
    );
    expect(error).toMatchObject({ reason: 'missing_column', place: { row: 1 } });
  });
});

describe('a file of the other kind', () => {
  it('a customer file chosen for employees is refused saying it looks like one', async () => {
    const error = await readError(
      Buffer.from('Kundennr.;Kundenname;Ort\r\n10001;Bäckerei Sonnenschein;Köln\r\n'),
      standardFileType('employee'),
    );
    expect(error).toMatchObject({
      reason: 'missing_column',
      details: { field: 'number', otherKind: 'customer' },
    });
    expect((error as Error).message).toContain(
      'it looks like a list of customers ("Kundennr.", "Kundenname"): import it into an integration of customers',
    );
  });

  it('says so too when title lines sit above the header', async () => {
    const csv = 'Kundenliste Stand 01.11.2026;;\r\nKundennr.;Kundenname;Ort\r\nK1;Bäckerei;Köln\r\n';
    const error = await readError(Buffer.from(csv), standardFileType('employee'));
    expect(error).toMatchObject({
      reason: 'missing_column',
      place: { row: 2 },
      details: { field: 'number', otherKind: 'customer' },
    });
  });

  it('says nothing of the kind when only the number would fit the other kind', async () => {
    const error = await readError(Buffer.from('Kundennr.;Ort\r\n1;Köln\r\n'), standardFileType('employee'));
    expect(error).toMatchObject({ reason: 'missing_column' });
    expect((error as { details: object }).details).not.toHaveProperty('otherKind');
  });
});

describe('totals rows', () => {
  it('passes over the rows that sum up the others, under each department and at the end', async () => {
    const csv = [
      'P.-Nr.;Name;Ort;Stunden',
      '1;Jürgen Müller;Köln;160',
      'Zwischensumme Reinigung;;;160',
      '2;Anna Schmidt;Bonn;120',
      ';Summe: 2 Mitarbeiter;;280',
      'I alt;;;280',
      '',
    ].join('\r\n');
    const { file, rows } = await readAll(Buffer.from(csv));
    expect(rows.map((r) => [r.row, r.values.number, r.problems])).toEqual([
      [2, '1', []],
      [4, '2', []],
    ]);
    expect(file.totals).toEqual([
      { row: 3, text: 'Zwischensumme Reinigung' },
      { row: 5, text: 'Summe: 2 Mitarbeiter' },
      { row: 6, text: 'I alt' },
    ]);
  });

  it('still refuses a record without its number, and a name that only begins like a totals word', async () => {
    const csv = 'P.-Nr.;Name\r\n;Sumatra Reinigung\r\nSummer;\r\n3;Total Clean GmbH\r\n';
    const { file, rows } = await readAll(Buffer.from(csv));
    expect(file.totals).toEqual([]);
    expect(rows.map((r) => [r.row, r.problems.map((p) => p.field)])).toEqual([
      [2, ['number']],
      [3, ['name']],
      [4, []],
    ]);
  });
});

describe('a name written in two columns', () => {
  it('reads "Vorname" and "Nachname" as one name, first then last', async () => {
    const csv = 'Personalnummer;Nachname;Vorname;Ort\r\n7;Müller;Jürgen;Köln\r\n8;Østergård;;Aarhus\r\n';
    const { file, rows } = await readAll(Buffer.from(csv));
    expect(file.header.warnings).toEqual([]);
    expect(file.header.fields).toContain('name');
    expect(rows.map((r) => r.values.name)).toEqual(['Jürgen Müller', 'Østergård']);
    expect(rows.every((r) => r.problems.length === 0)).toBe(true);
  });

  it('reads Danish and English parts (a last name alone is refused: name-columns.test.ts)', async () => {
    const danish = await readAll(Buffer.from('Kundenr.;Fornavn;Efternavn\r\n1;Lars;Hansen\r\n'), 'customer');
    expect(danish.rows[0]?.values.name).toBe('Lars Hansen');
    const english = await readAll(Buffer.from('Employee no.,Surname,First name\r\n1,Berg,Ida\r\n'));
    expect(english.rows[0]?.values.name).toBe('Ida Berg');
  });

  it('names both columns when the name is missing or too long', async () => {
    const csv = `P.-Nr.;Vorname;Nachname\r\n1;;\r\n2;${'A'.repeat(60)};${'B'.repeat(60)}\r\n`;
    const { rows } = await readAll(Buffer.from(csv));
    expect(rows[0]?.problems).toMatchObject([
      { column: 'Vorname + Nachname', field: 'name', code: 'required' },
    ]);
    expect(rows[1]?.problems).toMatchObject([
      { column: 'Vorname + Nachname', field: 'name', code: 'too_long' },
    ]);
  });

  it('ignores the parts, with a warning, in a file that has a name column', async () => {
    const { file, rows } = await readAll(Buffer.from('P.-Nr.;Name;Vorname\r\n1;Jürgen Müller;Jürgen\r\n'));
    expect(file.header.warnings).toEqual([
      {
        code: 'unknown_header',
        column: 'Vorname',
        message: 'column "Vorname" is ignored: the file has a name column',
      },
    ]);
    expect(rows[0]?.values.name).toBe('Jürgen Müller');
  });

  it('refuses a file with two first-name columns', async () => {
    const error = await readError(
      Buffer.from('P.-Nr.;Vorname;Rufname;Vorname\r\n1;a;b;c\r\n'),
      standardFileType('employee'),
    );
    expect(error).toBeInstanceOf(FileReadError);
    expect((error as FileReadError).reason).toBe('duplicate_header');
  });
});

describe('rows that break the rules of FORMATS.md', () => {
  const read = async () => (await readAll(fixture('broken-rows-employees.csv'))).rows;
  /** What a reason says beyond its code, for its wording in German and Danish. */
  const PARAMS: Record<string, Record<string, string>> = {
    duplicate_in_file: { rows: '2' },
    too_long: { max: '100', unit: 'characters' },
    too_few_cells: { cells: '2', columns: '7' },
  };

  it('warns about an unknown header and ignores its column', async () => {
    const { file, rows } = await readAll(fixture('broken-rows-employees.csv'));
    expect(file.header.warnings).toEqual([
      { code: 'unknown_header', column: 'Shoe size', message: 'unknown column "Shoe size" is ignored' },
    ]);
    expect(file.header.fields).not.toContain('shoe');
    expect(rows[0]).toMatchObject({ row: 2, problems: [] });
  });

  it.each([
    [
      3,
      'Employed since',
      'employedSince',
      '31.02.2020',
      'date',
      'is not a date (DD.MM.YYYY, DD/MM/YYYY or YYYY-MM-DD)',
    ],
    [4, 'E-mail', 'email', 'not-an-email', 'email', 'is not a valid e-mail address'],
    [
      5,
      'Employed until',
      'employedUntil',
      '31.05.2020',
      'until_before_since',
      'lies before "employed since"',
    ],
    [
      6,
      'Employee no.',
      'number',
      '001',
      'duplicate_in_file',
      'is the same number as row 2 (numbers are unique in the file)',
    ],
    [7, 'Employee name', 'name', 'N'.repeat(101), 'too_long', 'is longer than 100 characters'],
    [8, '', null, 'surplus', 'too_many_cells', 'lies in column 8, beyond the 7 columns the header names'],
    [9, 'Country', 'country', 'Germany-West', 'country', 'is not an ISO 3166-1 alpha-2 country code'],
    [10, '', null, '', 'too_few_cells', 'has 2 cells but the header has 7 columns'],
  ])('row %i: column "%s" (%s) with %j is refused as %s', async (row, column, field, value, code, reason) => {
    const found = (await read()).find((r) => r.row === row);
    expect(found?.problems).toEqual([
      { row, column, field, value, code, reason, ...(PARAMS[code] ? { params: PARAMS[code] } : {}) },
    ]);
  });

  it('compares numbers with leading zeros only when asked to', async () => {
    const csv = 'Employee no.,Employee name\n1,Ann\n001,Bob\n';
    const file = await readRecords(Buffer.from(csv), {
      fileType: standardFileType('employee'),
      numbers: { ignoreLeadingZeros: false },
    });
    const problems = [];
    for await (const row of file.rows()) problems.push(...row.problems);
    expect(problems).toEqual([]);
  });

  it('refuses an EAN with a wrong check digit and an EAN on a private customer', async () => {
    const { rows } = await readAll(fixture('broken-rows-customers.csv'), 'customer');
    expect(rows.map((r) => r.problems)).toEqual([
      [],
      [
        {
          row: 3,
          column: 'GLN/EAN',
          field: 'ean',
          value: '5790001234567',
          code: 'ean_check_digit',
          reason: 'has a wrong check digit',
        },
      ],
      [
        {
          row: 4,
          column: 'GLN/EAN',
          field: 'ean',
          value: '5790001234560',
          code: 'business_only',
          reason: 'is only allowed for business customers',
        },
      ],
    ]);
  });
});

describe('files that cannot be read', () => {
  const employees = standardFileType('employee');

  it.each([
    ['broken-empty.csv', 'empty_file', 'broken-empty.csv: the file is empty: it has no header row'],
    [
      'broken-blank-lines.csv',
      'empty_file',
      'broken-blank-lines.csv: the file is empty: it has no header row',
    ],
    [
      'broken-missing-number.csv',
      'missing_column',
      'broken-missing-number.csv, row 1: the file has no number column (expected a header such as "Employee no.", "P.-Nr.", "Medarbejdernr.")',
    ],
    [
      'broken-duplicate-header.csv',
      'duplicate_header',
      'broken-duplicate-header.csv, row 1, column "Email": columns "E-mail" and "Email" both hold email',
    ],
    [
      'broken-old-excel.xls',
      'unsupported_format',
      'broken-old-excel.xls: this is an old Excel .xls file (or encrypted XLSX); save it as .xlsx or CSV',
    ],
  ])('%s fails as %s', async (name, reason, message) => {
    const error = await readError(fixture(name), employees);
    expect(error).toBeInstanceOf(FileReadError);
    expect(error).toMatchObject({ code: 'file_unreadable', reason, message });
  });

  it('masks a sensitive value in the problems it reports', async () => {
    const csv = 'P.-Nr.;Name;Steuer-ID;Kontonr.\n1;Anna;12/345/678;DE00 1234 5678 9012 3456 78\n';
    const { rows } = await readAll(Buffer.from(csv));
    expect(rows[0]?.problems.map((p) => [p.field, p.value])).toEqual([
      ['ssn', '••••••••78'],
      ['accountNo', '••••••••78'],
    ]);
  });

  it('refuses a binary file as neither CSV nor XLSX instead of looking for its headers', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n%'), Buffer.from([0xe2, 0xe3, 0, 1, 0xff])]);
    await expect(readError(pdf, employees)).resolves.toMatchObject({
      reason: 'unsupported_format',
      message: 'upload: this is a PDF document, neither CSV nor XLSX; export the data as CSV or XLSX',
    });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    await expect(readError(png, employees)).resolves.toMatchObject({ reason: 'unsupported_format' });
  });

  it('refuses a quote that is never closed at the row where it opens', async () => {
    const csv = 'P.-Nr.;Name;Ort\n1;Anna;Berlin\n2;"Bob;Köln\n3;Cem;Bonn\n';
    const error = await readError(Buffer.from(csv), employees);
    expect(error).toMatchObject({
      reason: 'unclosed_quote',
      place: { row: 3 },
      message: expect.stringMatching(/^upload, row 3: a quote \("\) opened in this row is never closed/),
    });
  });

  it('refuses a stray quote early in a large file without reading the rest as one record', async () => {
    // An endless file: the reader must give up once the open record passes the limit, not at the end.
    let sent = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('P.-Nr.;Name;Ort\n1;Anna;Berlin\n2;"Bob;Köln\n');
      for (let i = 3; ; i++) {
        const chunk = Buffer.from(`${i};Person ${i};Stadt\n`.repeat(1000));
        sent += chunk.length;
        yield chunk;
      }
    }
    const rows: number[] = [];
    const read = async () => {
      for await (const batch of csvRows(endless(), { encoding: 'utf-8' }, 'endless.csv'))
        rows.push(...batch.map((r) => r.row));
    };
    await expect(read()).rejects.toMatchObject({ reason: 'unclosed_quote', place: { row: 3 } });
    expect(rows).toEqual([1, 2]);
    expect(sent).toBeLessThan(2 * MAX_RECORD_CHARS);
  });

  it('a missing file fails with reason io and names the file', async () => {
    const error = await readError('/nonexistent/staff.csv', employees);
    expect(error).toMatchObject({ code: 'file_unreadable', reason: 'io', place: { file: 'staff.csv' } });
  });

  it('a file with a header only is readable and has no rows', async () => {
    const { file, rows } = await readAll(fixture('broken-header-only.csv'));
    expect(file.header.fields).toEqual(['number', 'name', 'email']);
    expect(rows).toEqual([]);
  });

  it('reports a missing name column of a customer file', async () => {
    const error = await readError(Buffer.from('Kundennr.;Typ\n1;Firma\n'), standardFileType('customer'));
    expect((error as Error).message).toBe(
      'upload, row 1: the file has no name column (expected a header such as "Customer name", "Kundenname", "Kundenavn")',
    );
  });
});

describe('custom file types', () => {
  const payroll: FileType = {
    name: 'Payroll US',
    entity: 'employee',
    columns: {
      EmpID: 'number',
      'Full Name': 'name',
      'Hire Date': 'employedSince',
      'Term Date': 'employedUntil',
    },
    dateFormat: 'MM/DD/YYYY',
  };

  it('map their own headers and read dates in their own format first', async () => {
    const { file, rows } = await readAll(fixture('custom-payroll.csv'), payroll);
    expect(file.header.warnings).toEqual([
      { code: 'unknown_header', column: 'Cost Center', message: 'unknown column "Cost Center" is ignored' },
    ]);
    expect(rows[0]).toEqual({
      row: 2,
      values: { number: '501', name: 'Jane Roe', employedSince: '2019-03-14', employedUntil: '2024-12-31' },
      problems: [],
      warnings: [],
    });
    expect(rows[1]?.values.employedSince).toBe('2020-07-01');
    expect(rows[1]?.problems).toEqual([
      {
        row: 3,
        column: 'Term Date',
        field: 'employedUntil',
        value: '02/30/2021',
        code: 'date',
        reason: 'is not a date (MM/DD/YYYY)',
      },
    ]);
  });

  it('use their delimiter and encoding instead of detecting them', async () => {
    const bytes = readFileSync(fixture('employees-de-1252.csv'));
    const { rows } = await readAll(bytes, {
      ...standardFileType('employee'),
      encoding: 'windows-1252',
      delimiter: ';',
    });
    expect(rows[1]?.values.name).toBe('Weiß, Anna');
  });

  it('read UTF-16 without a BOM when they say so (its NUL bytes do not make it binary)', async () => {
    const bytes = Buffer.from('P.-Nr.;Name\r\n7;Jørgen Weiß\r\n', 'utf16le');
    const { rows } = await readAll(bytes, { ...standardFileType('employee'), encoding: 'utf-16le' });
    expect(rows.map((r) => r.values.name)).toEqual(['Jørgen Weiß']);
    await expect(readError(bytes, standardFileType('employee'))).resolves.toMatchObject({
      reason: 'unsupported_format',
    });
  });
});

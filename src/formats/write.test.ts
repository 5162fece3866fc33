import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { FieldName, FieldValues } from '../core/fields.js';
import { neutraliseFormula, unneutraliseFormula } from '../core/csv-text.js';
import type { FileType } from './file-type.js';
import { standardFileType } from './file-type.js';
import { readAll } from './test-support.js';
import { writeRecords } from './write.js';

const dir = mkdtempSync(join(tmpdir(), 'abgleich-write-'));
const employees = standardFileType('employee');
const FIELDS: readonly FieldName[] = ['number', 'name', 'address', 'privatePhone', 'employedSince', 'active'];
const RECORDS: readonly FieldValues[] = [
  {
    number: '00101',
    name: 'Müller, Hans',
    address: 'Hauptstraße 5 "Hinterhaus"',
    privatePhone: '+49 170 1234567',
    employedSince: '2015-03-01',
    active: 'true',
  },
  {
    number: '00102',
    name: '=HYPERLINK("http://evil.example","Weiß")',
    address: '',
    privatePhone: '',
    employedSince: '',
    active: 'false',
  },
];

async function* slowly(records: readonly FieldValues[]): AsyncGenerator<FieldValues> {
  for (const record of records) yield record;
}

describe('writing export files', () => {
  it('writes German CSV with ;, a BOM, CRLF, German headers, words and dates, quoting where needed', async () => {
    const path = join(dir, 'de.csv');
    const result = await writeRecords(path, RECORDS, { fileType: employees, language: 'de', fields: FIELDS });
    expect(result).toEqual({ rows: 2, fields: FIELDS });
    expect(readFileSync(path, 'utf8')).toBe(
      '\uFEFFP.-Nr.;Name;Adresse;Telefon-Nr.;Eintrittsdatum;Aktiv\r\n' +
        '00101;Müller, Hans;"Hauptstraße 5 ""Hinterhaus""";+49 170 1234567;01.03.2015;ja\r\n' +
        `00102;"'=HYPERLINK(""http://evil.example"",""Weiß"")";;;;nein\r\n`,
    );
  });

  it('writes English CSV with a comma, from an async iterable', async () => {
    const path = join(dir, 'en.csv');
    await writeRecords(path, slowly(RECORDS.slice(0, 1)), {
      fileType: employees,
      language: 'en',
      fields: ['number', 'name', 'active'],
    });
    expect(readFileSync(path, 'utf8')).toBe(
      '\uFEFFEmployee no.,Employee name,Active\r\n00101,"Müller, Hans",yes\r\n',
    );
  });

  it('reads back what it wrote, in every language', async () => {
    for (const language of ['en', 'de', 'da'] as const) {
      const path = join(dir, `round-${language}.csv`);
      await writeRecords(path, RECORDS.slice(0, 1), { fileType: employees, language, fields: FIELDS });
      const { rows } = await readAll(path);
      expect(rows[0]?.values).toEqual({ ...RECORDS[0], address: 'Hauptstraße 5 "Hinterhaus"' });
    }
  });

  it('reads back a value it guarded against formulas as the value, in CSV and XLSX', async () => {
    const guarded = { ...RECORDS[0], name: '=Kasse Süd', address: '@home' } as FieldValues;
    for (const name of ['guarded.csv', 'guarded.xlsx']) {
      const path = join(dir, name);
      await writeRecords(path, [guarded], { fileType: employees, language: 'de', fields: FIELDS });
      const { rows } = await readAll(path);
      expect(rows[0]?.values).toMatchObject({ name: '=Kasse Süd', address: '@home' });
    }
    // A cell that only starts with an apostrophe keeps it.
    expect(unneutraliseFormula("'t Hooft")).toBe("'t Hooft");
    expect(unneutraliseFormula("'+49 170 1234567")).toBe("'+49 170 1234567");
  });

  it('writes XLSX with text identifiers and date cells that read back the same', async () => {
    const path = join(dir, 'export.xlsx');
    await writeRecords(path, RECORDS, { fileType: employees, language: 'da', fields: FIELDS });
    const { file, rows } = await readAll(path);
    expect(file.format).toBe('xlsx');
    expect(file.header.columns.map((c) => c.header)).toEqual([
      'Medarbejdernr.',
      'Navn',
      'Adresse',
      'Privat telefon',
      'Ansat fra',
      'Aktiv',
    ]);
    expect(rows.map((r) => r.values)).toEqual(RECORDS);
  });

  it('writes a custom file type with its own headers, delimiter, encoding and date format', async () => {
    const payroll: FileType = {
      name: 'Payroll',
      entity: 'employee',
      columns: { EmpID: 'number', 'Full Name': 'name', 'Hire Date': 'employedSince' },
      dateFormat: 'MM/DD/YYYY',
      delimiter: '\t',
      encoding: 'windows-1252',
    };
    const path = join(dir, 'payroll.txt');
    const result = await writeRecords(path, RECORDS.slice(0, 1), {
      fileType: payroll,
      language: 'en',
      fields: FIELDS,
    });
    expect(result.fields).toEqual(['number', 'name', 'employedSince']);
    const bytes = readFileSync(path);
    expect(bytes.includes(Buffer.from([0xfc]))).toBe(true); // ü in Windows-1252
    const { rows } = await readAll(path, payroll);
    expect(rows[0]?.values).toEqual({ number: '00101', name: 'Müller, Hans', employedSince: '2015-03-01' });
  });

  it('writes to a stream and ends it', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    await writeRecords(out, [{ number: '1', name: 'Ann' }], {
      fileType: employees,
      language: 'en',
      fields: ['number', 'name'],
    });
    expect(Buffer.concat(chunks).toString('utf8')).toBe('\uFEFFEmployee no.,Employee name\r\n1,Ann\r\n');
    expect(out.writableEnded).toBe(true);
  });
});

describe('formula injection', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['+cmd|calc', "'+cmd|calc"],
    ['-2+3+cmd|', "'-2+3+cmd|"],
    ['\t=1', "'\t=1"],
    ['+49 170 1234567', '+49 170 1234567'],
    ['+45', '+45'],
    ['-5', '-5'],
    ['Müller', 'Müller'],
  ])('%j is written as %j', (cell, written) => {
    expect(neutraliseFormula(cell)).toBe(written);
  });
});

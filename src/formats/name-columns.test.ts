/**
 * A name written in two columns is read whole or not at all: half a name ("Vorname" without "Nachname"
 * and without a name column) would replace the registry's "Jürgen Müller" with "Jürgen".
 */
import { describe, expect, it } from 'vitest';
import { resolveHeader } from './columns.js';
import { FileReadError } from './file-error.js';
import type { FileType } from './file-type.js';
import { standardFileType } from './file-type.js';
import { findNameCompletion } from './headers.js';
import { readAll, readError } from './test-support.js';

const csv = (header: string, ...rows: string[]): Buffer => Buffer.from([header, ...rows, ''].join('\r\n'));

describe('half a name in the standard format', () => {
  it.each([
    [
      'Personalnummer;Vorname;Ort',
      'Vorname',
      'the file has "Vorname" but no "Nachname" and no "Name" column',
    ],
    [
      'Personalnummer;Nachname;Ort',
      'Nachname',
      'the file has "Nachname" but no "Vorname" and no "Name" column',
    ],
    [
      'Employee no.,First name,City',
      'First name',
      'the file has "First name" but no "Last name" and no "Employee name" column',
    ],
    [
      'Employee no.,Surname,City',
      'Surname',
      'the file has "Surname" but no "First name" and no "Employee name" column',
    ],
    [
      'Medarbejdernr.;Fornavn;By',
      'Fornavn',
      'the file has "Fornavn" but no "Efternavn" and no "Navn" column',
    ],
    [
      'Medarbejdernr.;Efternavn;By',
      'Efternavn',
      'the file has "Efternavn" but no "Fornavn" and no "Navn" column',
    ],
  ])('a file with %s is refused: the name cannot be read whole', async (header, column, says) => {
    const sep = header.includes(';') ? ';' : ',';
    const error = await readError(
      csv(header, ['1', 'Jürgen', 'Köln'].join(sep), ['2', 'Anna', 'Bonn'].join(sep)),
      standardFileType('employee'),
    );
    expect(error).toBeInstanceOf(FileReadError);
    expect(error).toMatchObject({
      reason: 'missing_column',
      place: { row: 1, column },
      details: { field: 'name', column },
    });
    expect((error as Error).message).toContain(`${says}, so the name cannot be read whole`);
  });

  it('names the name headers and the missing part as what it expected', async () => {
    const error = await readError(csv('P.-Nr.;Vorname', '1;Jürgen'), standardFileType('employee'));
    expect(error).toMatchObject({
      details: {
        expected: ['Employee name', 'Name', 'Navn', 'Nachname'],
        expectedIn: { en: 'Employee name', de: 'Name', da: 'Navn' },
      },
    });
    expect((error as Error).message).toBe(
      'upload, row 1, column "Vorname": the file has "Vorname" but no "Nachname" and no "Name" column, so ' +
        'the name cannot be read whole (expected a header such as "Employee name", "Name", "Navn", "Nachname")',
    );
  });

  it('says the customer name column for a customer file', async () => {
    const error = await readError(csv('Kundenr.;Efternavn', '1;Hansen'), standardFileType('customer'));
    expect((error as Error).message).toContain(
      'the file has "Efternavn" but no "Fornavn" and no "Kundenavn" column',
    );
  });

  it('still says the number column is missing first', async () => {
    const error = await readError(csv('Ort;Vorname', 'Köln;Jürgen'), standardFileType('employee'));
    expect(error).toMatchObject({ reason: 'missing_column', details: { field: 'number' } });
  });

  it('finds the header below title lines when row 1 has half a name', async () => {
    const { file, rows } = await readAll(
      csv('Vorname;Stand 01.11.2026', 'P.-Nr.;Vorname;Nachname', '1;Jürgen;Müller'),
    );
    expect(file.header.row).toBe(2);
    expect(rows[0]?.values.name).toBe('Jürgen Müller');
  });
});

describe('a whole name in the standard format', () => {
  it.each([
    ['Personalnummer;Vorname;Nachname', 'Jürgen;Müller', 'Jürgen Müller'],
    ['Employee no.;Last name;First name', 'Müller;Jürgen', 'Jürgen Müller'],
    ['Medarbejdernr.;Fornavn;Efternavn', 'Jürgen;Müller', 'Jürgen Müller'],
    ['Personalnummer;Name;Vorname', 'Jürgen Müller;Jürgen', 'Jürgen Müller'],
    ['Personalnummer;Nachname;Name', 'Müller;Jürgen Müller', 'Jürgen Müller'],
  ])('%s reads the name whole', async (header, cells, name) => {
    const { rows } = await readAll(csv(header, `1;${cells}`));
    expect(rows[0]?.values.name).toBe(name);
  });
});

describe('a custom file type', () => {
  const lohn = (columns: NonNullable<FileType['columns']>): FileType => ({
    name: 'Lohn',
    entity: 'employee',
    columns,
  });

  // The mapping is the administrator's word for this payroll's layout: a "Nachname" column that holds
  // whole names is read as they said.
  it('reads the name from the header it maps to the name, whatever that header is called', async () => {
    const { rows } = await readAll(
      csv('PNR;Nachname', '1;Jürgen Müller'),
      lohn({ PNR: 'number', Nachname: 'name' }),
    );
    expect(rows[0]?.values.name).toBe('Jürgen Müller');
  });
});

describe('the headers that complete half a name', () => {
  it('are the other part and the name column, in the half’s language', () => {
    expect(findNameCompletion('employee', 'Vorname')).toEqual({
      part: 'first',
      otherPart: 'Nachname',
      name: 'Name',
    });
    expect(findNameCompletion('employee', 'family name')).toEqual({
      part: 'last',
      otherPart: 'First name',
      name: 'Employee name',
    });
    expect(findNameCompletion('customer', 'Fornavn')).toEqual({
      part: 'first',
      otherPart: 'Efternavn',
      name: 'Kundenavn',
    });
    expect(findNameCompletion('employee', 'Name')).toBeUndefined();
  });

  it('resolve a header with both parts to one name column', () => {
    const header = resolveHeader('x.csv', 1, ['Kundenr.', 'Fornavn', 'Efternavn'], {
      name: 'standard',
      entity: 'customer',
    });
    expect(header.fields).toEqual(['number', 'name']);
  });
});

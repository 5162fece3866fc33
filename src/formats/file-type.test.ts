import { describe, expect, it } from 'vitest';
import { readDateAs, writeDateAs } from './dates.js';
import { fileTypeSchema, parseFileType, standardFileType } from './file-type.js';

describe('file types', () => {
  it('the standard file type maps nothing itself: it reads the header catalogue', () => {
    expect(standardFileType('customer')).toEqual({ name: 'standard', entity: 'customer' });
  });

  it('a custom file type is accepted with its mapping, date format, delimiter and encoding', () => {
    const input = {
      name: 'Lohn',
      entity: 'employee',
      columns: { PNR: 'number', Nachname: 'name' },
      dateFormat: 'DD.MM.YYYY',
      delimiter: ';',
      encoding: 'windows-1252',
    };
    expect(parseFileType(input)).toEqual(input);
  });

  it('a mapping to an unknown field, a doubled header or no number/name column is refused, naming each problem', () => {
    const result = fileTypeSchema.safeParse({
      name: 'x',
      entity: 'customer',
      columns: { Nr: 'number', 'N R': 'ean', Gehalt: 'salaryNumber' },
    });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['columns.N R', 'reads the same as header "Nr"'],
      ['columns.Gehalt', 'customer has no field "salaryNumber"'],
      ['columns', 'no column is mapped to "name"'],
    ]);
  });
});

describe('dates of a file type', () => {
  it.each([
    ['03/14/2019', 'MM/DD/YYYY', '2019-03-14'],
    ['14.03.2019', 'DD.MM.YYYY', '2019-03-14'],
    ['20190314', 'YYYYMMDD', '2019-03-14'],
    ['2019-03-14', 'MM/DD/YYYY', '2019-03-14'],
    ['14/03/2019', 'MM/DD/YYYY', undefined],
    ['02/29/2023', 'MM/DD/YYYY', undefined],
  ] as const)('%s in %s reads as %s', (text, format, iso) => {
    expect(readDateAs(text, format)).toBe(iso);
  });

  it('writes an ISO date in the file type’s format', () => {
    expect(writeDateAs('2019-03-14', 'MM/DD/YYYY')).toBe('03/14/2019');
    expect(writeDateAs('2019-03-14', 'DD.MM.YYYY')).toBe('14.03.2019');
  });
});

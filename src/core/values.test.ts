/** Normalisation and comparison of values (SYNC.md §3, FORMATS.md): one case per rule, good and bad. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntityKind, FieldName, FieldValues } from './fields.js';
import { getFieldDef } from './fields.js';
import {
  checkRecord,
  cleanText,
  eanCheckDigitValid,
  excelSerialToIso,
  ibanValid,
  isInactive,
  parseDate,
  parseValue,
} from './values.js';
import { compareKey, numberKey, phoneKey } from './compare.js';

const parse = (kind: EntityKind, field: FieldName, raw: string) => parseValue(getFieldDef(kind, field), raw);

type Good = readonly [kind: EntityKind, field: FieldName, raw: string, value: string];
type Bad = readonly [kind: EntityKind, field: FieldName, raw: string, code: string];

const GOOD: Good[] = [
  ['employee', 'number', ' A17 ', 'A17'],
  ['employee', 'number', '0042', '0042'],
  ['employee', 'name', '  Anna \t  Berg  ', 'Anna Berg'],
  ['employee', 'name', 'Jose\u0301', 'José'],
  ['customer', 'city', 'Bad   Homburg', 'Bad Homburg'],
  ['employee', 'country', 'de', 'DE'],
  ['employee', 'country', 'Deutschland', 'DE'],
  ['employee', 'country', 'D', 'DE'], // the vehicle code older German data uses
  ['customer', 'country', 'A', 'AT'],
  ['employee', 'ssn', '010190-1234', '010190-1234'],
  ['employee', 'ssn', '12 345 678 901', '12345678901'],
  ['employee', 'bankRegNo', '3704 0044', '37040044'],
  ['employee', 'accountNo', '0532013000', '0532013000'],
  ['employee', 'accountNo', 'DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
  ['employee', 'accountNo', 'de89370400440532013000', 'DE89370400440532013000'],
  ['employee', 'phoneCode', '0049', '+49'],
  ['employee', 'phoneCode', '49', '+49'],
  ['employee', 'phoneCode', '+49', '+49'],
  ['employee', 'phoneCode', '+1', '+1'],
  ['employee', 'workPhone', '0170 / 123-4567', '0170 / 123-4567'],
  ['employee', 'email', ' Anna.Berg@Example.DE ', 'anna.berg@example.de'],
  ['customer', 'contactEmail', 'INFO@sonnenschein.de', 'info@sonnenschein.de'],
  ['employee', 'employedSince', '15.03.2023', '2023-03-15'],
  ['employee', 'employedSince', '15/03/2023', '2023-03-15'],
  ['employee', 'employedSince', '15-03-2023', '2023-03-15'],
  ['employee', 'employedSince', '2023-03-15', '2023-03-15'],
  ['employee', 'employedSince', '2023-3-5', '2023-03-05'],
  ['employee', 'employedSince', '2023-03-15T00:00:00Z', '2023-03-15'],
  ['employee', 'employedSince', '5.3.23', '2023-03-05'],
  ['employee', 'employedSince', '5.3.85', '1985-03-05'],
  ['employee', 'employedSince', '45000', '2023-03-15'],
  ['employee', 'employedSince', '45000.75', '2023-03-15'],
  ['employee', 'employedSince', '29.02.2024', '2024-02-29'],
  ['employee', 'employedSince', '15.03.2023 00:00', '2023-03-15'], // a German Excel's date-time cell
  ['employee', 'employedSince', '15.03.2023 08:30:00', '2023-03-15'],
  ['employee', 'active', 'Ja', 'true'],
  ['employee', 'active', 'x', 'true'],
  ['employee', 'active', 'nein', 'false'],
  ['employee', 'active', '0', 'false'],
  ['employee', 'active', '', 'false'],
  ['employee', 'active', 'WAHR', 'true'], // German and Danish Excel's TRUE / FALSE
  ['employee', 'active', 'FALSCH', 'false'],
  ['employee', 'active', 'SAND', 'true'],
  ['employee', 'active', 'FALSK', 'false'],
  ['customer', 'type', 'Firma', 'business'],
  ['customer', 'type', 'privat', 'private'],
  ['customer', 'type', '', 'business'], // FORMATS.md: default business
  ['customer', 'ean', '4006381333931', '4006381333931'],
  ['customer', 'ean', '4006 3813 3393 1', '4006381333931'],
  ['customer', 'email', '', ''],
  ['customer', 'phone', '   ', ''],
];

const BAD: Bad[] = [
  ['employee', 'number', '', 'required'],
  ['employee', 'number', 'A-17', 'identifier'],
  ['employee', 'number', '12345678901', 'too_long'],
  ['employee', 'name', '   ', 'required'],
  ['employee', 'name', 'x'.repeat(101), 'too_long'],
  ['employee', 'country', 'XX', 'country'],
  ['employee', 'country', 'Germany!', 'country'],
  ['employee', 'ssn', '0101/90', 'ssn'],
  ['employee', 'bankRegNo', '37A4', 'digits'],
  ['employee', 'bankRegNo', '3704 0044 1', 'too_long'],
  ['employee', 'accountNo', '1234567890123456', 'too_long'],
  ['employee', 'accountNo', 'DE89370400440532013001', 'account'],
  ['employee', 'phoneCode', '+12345', 'phone_code'],
  ['employee', 'phoneCode', 'DE', 'phone_code'],
  ['employee', 'workPhone', 'call me', 'phone'],
  ['employee', 'workPhone', '+-/', 'phone'],
  ['employee', 'email', 'anna.berg', 'email'],
  ['employee', 'email', 'anna@berg', 'email'],
  ['employee', 'email', 'an na@berg.de', 'email'],
  ['employee', 'employedSince', '29.02.2023', 'date'],
  ['employee', 'employedSince', '31.04.2023', 'date'],
  ['employee', 'employedSince', '2023-13-01', 'date'],
  ['employee', 'employedSince', '15.03.1850', 'date'],
  ['employee', 'employedSince', 'gestern', 'date'],
  ['employee', 'employedSince', '15.03.2023 morgens', 'date'],
  ['employee', 'active', 'vielleicht', 'boolean'],
  ['customer', 'type', 'verein', 'customer_type'],
  ['customer', 'ean', '4006381333932', 'ean_check_digit'],
  ['customer', 'ean', '400638133393', 'ean'],
  ['customer', 'ean', '400638133393A', 'ean'],
  // Long digit strings Excel saved as numbers in scientific notation: the digits are gone.
  ['employee', 'workPhone', '4,91701E+11', 'scientific_notation'],
  ['employee', 'accountNo', '1.23457E+14', 'scientific_notation'],
  ['employee', 'number', '1E+11', 'scientific_notation'],
  ['customer', 'ean', '5,79E+12', 'scientific_notation'],
];

describe('parseValue', () => {
  it.each(GOOD)('%s.%s reads %j as %j', (kind, field, raw, value) => {
    const parsed = parse(kind, field, raw);
    expect(parsed).toMatchObject({ ok: true, value });
  });

  it.each(BAD)('%s.%s refuses %j with %s', (kind, field, raw, code) => {
    expect(parse(kind, field, raw)).toMatchObject({ ok: false, code });
  });

  it('reads the country UK as GB, with a warning', () => {
    expect(parse('employee', 'country', 'UK')).toEqual({
      ok: true,
      value: 'GB',
      warning: { code: 'country_alias', message: 'was read as GB' },
    });
    expect(parse('customer', 'country', 'uk')).toMatchObject({
      ok: true,
      value: 'GB',
      warning: { code: 'country_alias' },
    });
  });

  it('reads an ISO country code without a warning', () => {
    expect(parse('employee', 'country', 'gb')).toEqual({ ok: true, value: 'GB' });
  });

  it('does not apply the length limit of an account to an IBAN', () => {
    expect(parse('employee', 'accountNo', 'GB82 WEST 1234 5698 7654 32')).toEqual({
      ok: true,
      value: 'GB82WEST12345698765432',
    });
  });

  it('every refusal carries a message', () => {
    for (const [kind, field, raw] of BAD) {
      const parsed = parse(kind, field, raw);
      expect(parsed.ok === false && parsed.message.length > 0).toBe(true);
    }
  });
});

describe('small helpers', () => {
  it('cleanText trims, composes to NFC and collapses inner whitespace', () => {
    expect(cleanText('  a \u00a0 b\n\tc ')).toBe('a b c');
    expect(cleanText('Cafe\u0301')).toBe('Café');
    expect(cleanText(' \t ')).toBe('');
    // Invisible control characters (NUL, BEL, DEL, C1) are dropped; a tab or newline is a space.
    expect(cleanText('Ctl\u0000\u0007bell\u007f')).toBe('Ctlbell');
    expect(cleanText('\u0000 Jürgen\u0085 ')).toBe('Jürgen');
    expect(cleanText('a\u0000\u0000')).toBe('a');
  });

  it('parseDate turns the Excel serial 45000 into 2023-03-15 and 61 into 1900-03-01', () => {
    expect(parseDate('45000')).toBe('2023-03-15');
    expect(excelSerialToIso(45000)).toBe('2023-03-15');
    expect(excelSerialToIso(61)).toBe('1900-03-01');
  });

  it('excelSerialToIso refuses serials out of range', () => {
    expect(excelSerialToIso(0)).toBeUndefined();
    expect(excelSerialToIso(2958466)).toBeUndefined();
    expect(excelSerialToIso(Number.NaN)).toBeUndefined();
  });

  it('ibanValid accepts DE89370400440532013000 and refuses a changed digit', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('DE8937040044')).toBe(false);
  });

  it('eanCheckDigitValid accepts 4006381333931 and refuses 4006381333932', () => {
    expect(eanCheckDigitValid('4006381333931')).toBe(true);
    expect(eanCheckDigitValid('4006381333932')).toBe(false);
  });
});

describe('compareKey', () => {
  const on = { ignoreLeadingZeros: true };
  const off = { ignoreLeadingZeros: false };
  const key = (kind: EntityKind, field: FieldName, values: FieldValues, opts = on) =>
    compareKey(kind, field, values, opts);

  it('ZIP codes of digits alone compare without leading zeros (a spreadsheet drops them)', () => {
    expect(key('employee', 'zip', { zip: '01067' })).toBe(key('employee', 'zip', { zip: '1067' }));
    expect(key('customer', 'zip', { zip: '0800' })).toBe(key('customer', 'zip', { zip: '800' }));
    expect(key('employee', 'zip', { zip: '00000' })).toBe('0');
    expect(key('employee', 'zip', { zip: '01067' }, off)).toBe('1067'); // not the numbers' option
    expect(key('employee', 'zip', { zip: '0AB 12' })).toBe('0AB 12'); // not digits alone: as written
    expect(key('employee', 'zip', { zip: 'D-01067' })).toBe(key('employee', 'zip', { zip: '01067' }));
    expect(key('customer', 'zip', { zip: 'DK-1620' })).toBe('1620');
    expect(key('customer', 'zip', { zip: 'SW1A 1AA' })).toBe('SW1A 1AA');
    expect(key('employee', 'zip', { zip: '10115' })).not.toBe(key('employee', 'zip', { zip: '1015' }));
  });

  it('a name written "last, first" compares as "first last"', () => {
    const name = (v: string) => key('employee', 'name', { name: v });
    expect(name('Müller, Jürgen')).toBe(name('Jürgen Müller'));
    expect(name('Weiß,Grete')).toBe('Grete Weiß');
    expect(key('customer', 'contactName', { contactName: 'Sørensen, Mette' })).toBe('Mette Sørensen');
    expect(name('Müller, Jürgen, Dr.')).toBe('Müller, Jürgen, Dr.'); // two commas: as written
    expect(name('Müller,')).toBe('Müller,');
    expect(name('Jürgen Müller')).not.toBe(name('Müller Jürgen')); // no comma, no reordering
  });

  it('numbers ignore leading zeros by default', () => {
    expect(key('employee', 'number', { number: '00123' })).toBe(key('employee', 'number', { number: '123' }));
    expect(numberKey('000', on)).toBe('0');
  });

  it('number keys of digits alone (the fast path) are what the general rule makes of them', () => {
    const general = (n: string, opts: { ignoreLeadingZeros: boolean }) => {
      const upper = cleanText(n).toUpperCase();
      if (!opts.ignoreLeadingZeros) return upper;
      const stripped = upper.replace(/^0+/, '');
      return stripped === '' && upper !== '' ? '0' : stripped;
    };
    fc.assert(
      fc.property(
        fc.stringMatching(/^\s?[0-9]{0,20}[A-Za-z]?\s?$/),
        fc.boolean(),
        (n, ignoreLeadingZeros) => {
          expect(numberKey(n, { ignoreLeadingZeros })).toBe(general(n, { ignoreLeadingZeros }));
        },
      ),
    );
    expect(numberKey('0', on)).toBe('0');
    expect(numberKey('0007', on)).toBe('7');
    expect(numberKey('', on)).toBe('');
  });

  it('numbers keep leading zeros when the integration says so', () => {
    expect(key('employee', 'number', { number: '00123' }, off)).not.toBe(
      key('employee', 'number', { number: '123' }, off),
    );
    expect(numberKey('00123', off)).toBe('00123');
  });

  it('numbers are compared case-insensitively', () => {
    expect(key('customer', 'number', { number: 'k1' })).toBe(key('customer', 'number', { number: 'K1' }));
    expect(key('customer', 'number', { number: 'k01' }, off)).toBe('K01');
  });

  it('other identifiers are compared case-insensitively but keep their zeros', () => {
    expect(key('employee', 'salaryNumber', { salaryNumber: 'ab01' })).toBe('AB01');
  });

  it('a national phone with its code equals the same phone in E.164', () => {
    const national = key('employee', 'workPhone', { workPhone: '0170 1234567', workPhoneCode: '+49' });
    expect(national).toBe('+491701234567');
    expect(key('employee', 'workPhone', { workPhone: '+491701234567' })).toBe(national);
    expect(key('employee', 'workPhone', { workPhone: '0049 170 1234567' })).toBe(national);
  });

  it('a phone is read with its own code field only', () => {
    expect(
      key('employee', 'privatePhone', { privatePhone: '0170 1', phoneCode: '+45', workPhoneCode: '+49' }),
    ).toBe('+451701');
    expect(key('employee', 'workPhone', { workPhone: '0170 1', phoneCode: '+45' })).toBe('01701');
  });

  it('phoneKey keeps only the digits when no code is known', () => {
    expect(phoneKey('(0170) 123-45', undefined)).toBe('017012345');
    expect(phoneKey('', '+49')).toBe('');
  });

  it('a trunk zero written "(0)" in an international number is not dialled', () => {
    expect(phoneKey('+49 (0)221 123456', undefined)).toBe('+49221123456');
    expect(phoneKey('0049 (0) 221 123456', undefined)).toBe('+49221123456');
    expect(phoneKey('0221 123456', '+49')).toBe('+49221123456');
    expect(phoneKey('(0221) 123456', '+49')).toBe('+49221123456');
  });

  it('other values compare as they are stored', () => {
    expect(key('customer', 'email', { email: 'a@x.de' })).toBe('a@x.de');
    expect(key('customer', 'city', {})).toBe('');
  });
});

describe('checkRecord', () => {
  it('a required field that the source carries must not be empty', () => {
    expect(checkRecord('employee', { number: 'M1' }, ['number', 'name'])).toEqual([
      { field: 'name', code: 'required', message: 'is required' },
    ]);
  });

  it('a required field that the source does not carry is not checked', () => {
    expect(checkRecord('employee', { number: 'M1' }, ['number'])).toEqual([]);
  });

  it('employedUntil may not lie before employedSince', () => {
    const values = { number: 'M1', name: 'A', employedSince: '2024-01-02', employedUntil: '2024-01-01' };
    expect(checkRecord('employee', values, ['number', 'name'])).toMatchObject([
      { field: 'employedUntil', code: 'until_before_since' },
    ]);
    expect(checkRecord('employee', { ...values, employedUntil: '2024-01-02' }, ['number', 'name'])).toEqual(
      [],
    );
  });

  it('a private customer may not have a company registration number or an EAN', () => {
    const values = { number: 'K1', name: 'A', type: 'private', companyRegNo: 'HRB 1', ean: '4006381333931' };
    expect(checkRecord('customer', values, ['number', 'name']).map((p) => [p.field, p.code])).toEqual([
      ['companyRegNo', 'business_only'],
      ['ean', 'business_only'],
    ]);
    expect(checkRecord('customer', { ...values, type: 'business' }, ['number', 'name'])).toEqual([]);
  });
});

describe('isInactive', () => {
  const today = '2024-06-01';
  it.each([
    ['active false', { active: 'false' }, true],
    ['active true', { active: 'true' }, false],
    ['no active flag', {}, false],
    ['employedUntil before today', { active: 'true', employedUntil: '2024-05-31' }, true],
    ['employedUntil today', { active: 'true', employedUntil: '2024-06-01' }, false],
    ['employedUntil after today', { active: 'true', employedUntil: '2024-06-02' }, false],
    ['employedUntil empty', { active: 'true', employedUntil: '' }, false],
  ] as const)('a record with %s is inactive: %s', (_what, values, inactive) => {
    expect(isInactive(values, today)).toBe(inactive);
  });
});

describe('dates that look like numbers', () => {
  it('a bare year is refused rather than read as an Excel day number', () => {
    expect(parseDate('2023')).toBeUndefined();
    expect(parseDate('45000')).toBe('2023-03-15');
  });
});

describe('two-digit years', () => {
  it('are read as Excel reads them: 00–29 in this century, 30–99 in the last', () => {
    expect(parseDate('01.02.00')).toBe('2000-02-01');
    expect(parseDate('01.02.20')).toBe('2020-02-01');
    expect(parseDate('01.02.29')).toBe('2029-02-01');
    expect(parseDate('01.02.30')).toBe('1930-02-01');
    expect(parseDate('01.02.50')).toBe('1950-02-01');
    expect(parseDate('01.02.69')).toBe('1969-02-01');
    expect(parseDate('1.2.99')).toBe('1999-02-01');
  });
});

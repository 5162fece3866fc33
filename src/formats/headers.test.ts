import { describe, expect, it } from 'vitest';
import { CUSTOMER_FIELDS, EMPLOYEE_FIELDS } from '../core/fields.js';
import { findStandardField, getHeader, headerKey, LANGUAGES } from './headers.js';

describe('the header catalogue', () => {
  it('has a written header for every field of both kinds in every language', () => {
    for (const lang of LANGUAGES) {
      for (const field of EMPLOYEE_FIELDS)
        expect(findStandardField('employee', getHeader('employee', field, lang))).toBe(field);
      for (const field of CUSTOMER_FIELDS)
        expect(findStandardField('customer', getHeader('customer', field, lang))).toBe(field);
    }
  });

  it('writes the headers of FORMATS.md', () => {
    expect(getHeader('employee', 'number', 'de')).toBe('P.-Nr.');
    expect(getHeader('employee', 'workPhone', 'da')).toBe('Arbejdstelefon (SMS)');
    expect(getHeader('customer', 'ean', 'de')).toBe('GLN/EAN');
    expect(getHeader('customer', 'zip', 'da')).toBe('Postnr.');
  });

  it('matches headers regardless of case, spacing and punctuation', () => {
    expect(findStandardField('employee', '  employee   NO. ')).toBe('number');
    expect(findStandardField('employee', 'Personalnummer')).toBe('number');
    expect(findStandardField('employee', 'Email')).toBe('email');
    expect(findStandardField('employee', 'e-mail')).toBe('email');
    expect(findStandardField('employee', 'PLZ')).toBe('zip');
    expect(findStandardField('employee', 'Ort')).toBe('city');
    expect(findStandardField('employee', 'Postnr')).toBe('zip');
    expect(findStandardField('customer', 'USt-IdNr.')).toBe('companyRegNo');
    // FORMATS.md's table cell, copied whole into a spreadsheet.
    expect(findStandardField('employee', 'Kontonr. / IBAN')).toBe('accountNo');
  });

  it('knows the headers German payroll exports use for work phone and employment dates', () => {
    expect(findStandardField('employee', 'Telefon dienstlich')).toBe('workPhone');
    expect(findStandardField('employee', 'Telefon (geschäftlich)')).toBe('workPhone');
    expect(findStandardField('employee', 'Eingestellt am')).toBe('employedSince');
    expect(findStandardField('employee', 'Ausgeschieden am')).toBe('employedUntil');
    expect(findStandardField('employee', 'Telefon')).toBe('privatePhone');
  });

  it('keeps look-alike headers of different fields apart', () => {
    expect(findStandardField('employee', 'Landekode')).toBe('phoneCode');
    expect(findStandardField('employee', 'Land')).toBe('country');
    expect(findStandardField('employee', 'Landekode arbejde')).toBe('workPhoneCode');
    expect(findStandardField('customer', 'Kontaktperson e-mail')).toBe('contactEmail');
    expect(findStandardField('customer', 'E-mail')).toBe('email');
  });

  it('does not know a header of the other entity kind', () => {
    expect(findStandardField('employee', 'Kundennr.')).toBeUndefined();
    expect(findStandardField('customer', 'Lønnummer')).toBeUndefined();
  });

  it('folds a header to its letters and digits', () => {
    expect(headerKey(' P.-Nr. ')).toBe('pnr');
    expect(headerKey('Arbeitstelefon (SMS)')).toBe('arbeitstelefonsms');
  });
});

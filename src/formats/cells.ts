/**
 * Values as written into an export cell: in the user's language (yes/no, ja/nein, ja/nej; business /
 * Firma / Erhverv), dates in the file type's format, and CSV cells guarded against formula injection.
 */
import type { EntityKind, FieldName } from '../core/fields.js';
import { getFieldDef } from '../core/fields.js';
import { writeDateAs } from './dates.js';
import type { DateFormat } from './file-type.js';
import type { Language } from './headers.js';

const BOOLEAN_WORDS: Readonly<Record<Language, readonly [string, string]>> = {
  en: ['yes', 'no'],
  de: ['ja', 'nein'],
  da: ['ja', 'nej'],
};

const CUSTOMER_TYPE_WORDS: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  en: { business: 'business', private: 'private' },
  de: { business: 'Firma', private: 'Privat' },
  da: { business: 'Erhverv', private: 'Privat' },
};

/** A canonical value as it is written for `language`; every form written here reads back the same. */
export function cellValue(
  kind: EntityKind,
  field: FieldName,
  value: string,
  language: Language,
  dateFormat?: DateFormat,
): string {
  if (value === '') return '';
  const def = getFieldDef(kind, field);
  if (def.kind === 'boolean') return BOOLEAN_WORDS[language][value === 'true' ? 0 : 1];
  if (def.kind === 'customerType') return CUSTOMER_TYPE_WORDS[language][value] ?? value;
  if (def.kind === 'date' && dateFormat) return writeDateAs(value, dateFormat);
  return value;
}

/** A cell made only of digits and phone/number punctuation computes nothing, whatever its first sign. */
const HARMLESS = /^[+-]?[\d\s\-/().,]*$/;
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * OWASP "CSV injection": a cell that starts with = + - @ (or TAB / CR) gets a leading `'`, so that
 * spreadsheet programs show it as text instead of running it. Exception: a cell of digits and
 * phone punctuation only ("+49 170 1234567", "-5") is written as it is — it cannot call a function or
 * reach outside the sheet, and a `'` would corrupt every international phone number for the payroll
 * system that reads the file.
 */
export function neutraliseFormula(text: string): string {
  if (text === '' || !TRIGGERS.has(text[0]!)) return text;
  return HARMLESS.test(text) ? text : `'${text}`;
}

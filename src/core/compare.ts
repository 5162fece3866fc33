/**
 * How values are compared (SYNC.md §3): the key of each field under which two values that mean the same
 * are equal — record numbers, phones in E.164, ZIP codes and names as spreadsheets and payroll exports
 * write them. Parsing and checking values is `values.ts`.
 */
import type { EntityKind, FieldName, FieldValues } from './fields.js';
import { FIELDS_OF, getFieldDef } from './fields.js';
import { cleanText, DIGITS } from './values.js';

/** How numbers are compared in one integration. */
export interface NumberOptions {
  /** SYNC.md §3: ignore leading zeros when comparing numbers (default on). */
  readonly ignoreLeadingZeros: boolean;
}

/** The form in which record numbers are compared and matched. */
export function numberKey(number: string, opts: NumberOptions): string {
  if (isDigits(number)) {
    // The usual case, once per row of a million: no cleaning, no case, only the zeros to strip.
    if (!opts.ignoreLeadingZeros) return number;
    let zeros = 0;
    while (zeros < number.length - 1 && number.charCodeAt(zeros) === 48) zeros++;
    return zeros === 0 ? number : number.slice(zeros);
  }
  const upper = cleanText(number).toUpperCase();
  if (!opts.ignoreLeadingZeros) return upper;
  const stripped = upper.replace(/^0+/, '');
  return stripped === '' && upper !== '' ? '0' : stripped;
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * A phone number in E.164 when a calling code is known or written; otherwise its digits. "(0)" after a
 * calling code ("+49 (0)221 …") is the trunk zero one dials at home only, not part of the number.
 */
export function phoneKey(phone: string, code: string | undefined): string {
  if (phone === '') return '';
  const hasPlus = phone.trim().startsWith('+');
  const digits = phone.replace(/\D/g, '');
  if (hasPlus || digits.startsWith('00')) {
    const dialled = phone.includes('(0)') ? phone.replace(/\(0\)/g, '').replace(/\D/g, '') : digits;
    return `+${hasPlus ? dialled : dialled.slice(2)}`;
  }
  if (code) return `${code}${digits.replace(/^0/, '')}`;
  return digits;
}

/**
 * The value of `field` as it is compared (SYNC.md §3): numbers case-insensitive and, by option, without
 * leading zeros; phones in E.164 using the record's own code field; ZIP codes of digits alone without
 * leading zeros and without the old country prefix ("D-01067", "DK-1620") — a country's codes have one
 * length, so "1067" is Dresden's "01067" after a spreadsheet took the column for numbers; names
 * written "last, first" as "first last" — "Müller, Jürgen" is how payroll exports list the registry's
 * "Jürgen Müller". Everything else is already canonical.
 */
export function compareKey(
  kind: EntityKind,
  field: FieldName,
  values: FieldValues,
  opts: NumberOptions,
): string {
  const value = values[field] ?? '';
  const fieldDef = getFieldDef(kind, field);
  if (field === 'number') return numberKey(value, opts);
  if (fieldDef.kind === 'phone') {
    return phoneKey(value, fieldDef.phoneCodeField ? values[fieldDef.phoneCodeField] : undefined);
  }
  if (fieldDef.kind === 'identifier') return value.toUpperCase();
  if (field === 'name' || field === 'contactName') return nameKey(value);
  if (field === 'zip') return zipKey(value);
  return value;
}

/** "01067", "1067" and "D-01067" → "1067": digits alone lose their leading zeros and a country prefix. */
function zipKey(value: string): string {
  const digits = ZIP_PREFIXED.exec(value)?.[1] ?? value;
  if (digits.charCodeAt(0) !== 48 || !DIGITS.test(digits)) return digits;
  return digits.replace(/^0+(?=\d)/, '');
}
const ZIP_PREFIXED = /^[A-Z]{1,2}-(\d+)$/;

/** "Müller, Jürgen" → "Jürgen Müller": one comma between two parts; any other name as it is. */
function nameKey(value: string): string {
  const comma = value.indexOf(',');
  if (comma <= 0 || value.includes(',', comma + 1)) return value;
  const last = value.slice(0, comma).trim();
  const first = value.slice(comma + 1).trim();
  return last && first ? `${first} ${last}` : value;
}

/**
 * `values` with every empty phone-code field filled from `other`. Both records of a link describe the
 * same person, so a phone whose own record lacks its code is read with the counterpart's code; otherwise
 * the same written number would never compare equal across the link and a propagated phone would be
 * proposed again at every run (SYNC.md §10.3).
 */
export function withCounterpartCodes(kind: EntityKind, values: FieldValues, other: FieldValues): FieldValues {
  let out: Partial<Record<FieldName, string>> | undefined;
  for (const field of FIELDS_OF[kind]) {
    if (getFieldDef(kind, field).kind !== 'phoneCode' || values[field] || !other[field]) continue;
    out ??= { ...values };
    out[field] = other[field];
  }
  return out ?? values;
}

/**
 * `values` read with the phone codes of `current`: a baseline phone is compared under the codes its
 * record has now, so that a stale or missing code in the baseline is never mistaken for a change of the
 * number itself (a change of the code is the code field's own business).
 */
export function withCodesOf(kind: EntityKind, values: FieldValues, current: FieldValues): FieldValues {
  const out: Partial<Record<FieldName, string>> = { ...values };
  for (const field of FIELDS_OF[kind]) {
    if (getFieldDef(kind, field).kind === 'phoneCode') out[field] = current[field] ?? '';
  }
  return out;
}

/**
 * Reading, normalising and comparing field values (SYNC.md §3, FORMATS.md rules). Pure: every function
 * here depends only on its arguments.
 */
import { COUNTRY_CODES } from './countries.js';
import type { EntityKind, FieldDef, FieldName, FieldValues } from './fields.js';
import { FIELDS_OF, getFieldDef } from './fields.js';

/** Why a value or a record was refused; `code` is stable, `message` is English for logs and the CLI. */
export interface ValueProblem {
  readonly code: string;
  readonly message: string;
  /** What a wording of the message in another language fills in (`RowProblem.params`). */
  readonly params?: Readonly<Record<string, string>>;
}

export type Parsed =
  | { readonly ok: true; readonly value: string; readonly warning?: ValueProblem }
  | ({ readonly ok: false } & ValueProblem);

const ok = (value: string, warning?: ValueProblem): Parsed =>
  warning ? { ok: true, value, warning } : { ok: true, value };
const bad = (code: string, message: string, params?: Readonly<Record<string, string>>): Parsed =>
  params ? { ok: false, code, message, params } : { ok: false, code, message };

/** Printable ASCII words separated by single spaces: already clean (the common case, checked first). */
const CLEAN_ASCII = /^[!-~]+(?: [!-~]+)*$/;
const UNTIDY_SPACE = /\s\s|[^\S ]/;
const NON_ASCII = /[^\0-\x7f]/;
/** Control characters that are not whitespace (NUL, BEL, ESC, DEL, the C1 range): invisible, never meant. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\0-\x08\x0e-\x1f\x7f-\x9f]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

/** Trim, Unicode NFC, inner whitespace collapsed to one space, control characters dropped. */
export function cleanText(raw: string): string {
  if (CLEAN_ASCII.test(raw)) return raw;
  const trimmed = (CONTROL.test(raw) ? raw.replace(CONTROLS, '') : raw).trim();
  if (trimmed === '') return '';
  const spaced = UNTIDY_SPACE.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
  return NON_ASCII.test(spaced) ? spaced.normalize('NFC') : spaced;
}

const IDENTIFIER = /^[\p{L}\p{N}]+$/u;
const SSN = /^[\p{L}\p{N}-]+$/u;
export const DIGITS = /^\d+$/;
const PHONE = /^\+?[\d\s\-/().]+$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
/** "4,91701E+11": a long number Excel showed, and then saved, in scientific notation. */
const SCIENTIFIC = /^\d(?:[.,]\d+)?E\+\d+$/i;
/** Kinds whose values are long digit strings that Excel turns into numbers. */
const DIGIT_KINDS: ReadonlySet<FieldDef['kind']> = new Set([
  'identifier',
  'ssn',
  'digits',
  'account',
  'phone',
  'ean',
]);

// WAHR/FALSCH and SAND/FALSK: a German or Danish Excel's TRUE and FALSE, as it writes them to CSV.
const TRUE_WORDS = new Set(['yes', 'ja', 'true', '1', 'x', 'y', 'j', 'aktiv', 'active', 'wahr', 'sand']);
const FALSE_WORDS = new Set([
  'no',
  'nein',
  'nej',
  'false',
  '0',
  'n',
  'inaktiv',
  'inactive',
  'falsch',
  'falsk',
]);
const BUSINESS_WORDS = new Set(['business', 'firma', 'erhverv', 'company', 'unternehmen', 'gewerbe', 'b2b']);
const PRIVATE_WORDS = new Set(['private', 'privat', 'b2c', 'privatkunde']);

/** Parse one raw cell or flag value into the canonical form of its field, or say why it is refused. */
export function parseValue(def: FieldDef, raw: string): Parsed {
  const value = cleanText(raw);
  if (value === '') {
    if (def.kind === 'boolean') return ok('false'); // FORMATS.md: x / empty
    if (def.kind === 'customerType') return ok('business'); // FORMATS.md: default business
    if (def.required) return bad('required', 'is required');
    return ok('');
  }
  if (DIGIT_KINDS.has(def.kind) && SCIENTIFIC.test(value))
    return bad(
      'scientific_notation',
      'was saved by Excel in scientific notation, and its digits are lost: format the column as text in Excel and export the file again',
    );
  // Accounts and digit fields are limited in digits (fields.ts), checked once spaces and dashes are gone.
  if (def.max !== undefined && value.length > def.max && def.kind !== 'account' && def.kind !== 'digits') {
    return bad('too_long', `is longer than ${def.max} characters`, {
      max: String(def.max),
      unit: 'characters',
    });
  }
  return PARSERS[def.kind](value, def);
}

type Parser = (value: string, def: FieldDef) => Parsed;

const PARSERS: Record<FieldDef['kind'], Parser> = {
  identifier: (v) => (IDENTIFIER.test(v) ? ok(v) : bad('identifier', 'may only hold letters and digits')),
  text: (v) => ok(v),
  country: parseCountry,
  // Grouping spaces are dropped, as in account numbers: a German tax ID is often written "12 345 678 901".
  ssn: (v) => {
    const compact = v.replace(/\s/g, '');
    return SSN.test(compact) ? ok(compact) : bad('ssn', 'may only hold letters, digits and "-"');
  },
  digits: (v, def) => {
    const compact = v.replace(/[\s-]/g, '');
    if (!DIGITS.test(compact)) return bad('digits', 'may only hold digits');
    return def.max !== undefined && compact.length > def.max
      ? bad('too_long', `has more than ${def.max} digits`, { max: String(def.max), unit: 'digits' })
      : ok(compact);
  },
  account: parseAccount,
  phoneCode: (v) => {
    const digits = v.replace(/^(\+|00)/, '');
    return /^\d{1,4}$/.test(digits)
      ? ok(`+${digits}`)
      : bad('phone_code', 'is not a country calling code (1–4 digits)');
  },
  phone: (v) => (PHONE.test(v) && /\d/.test(v) ? ok(v) : bad('phone', 'is not a phone number')),
  email: (v) => {
    const lower = v.toLowerCase();
    return EMAIL.test(lower) ? ok(lower) : bad('email', 'is not a valid e-mail address');
  },
  date: (v) => {
    const iso = parseDate(v);
    return iso ? ok(iso) : bad('date', 'is not a date (DD.MM.YYYY, DD/MM/YYYY or YYYY-MM-DD)');
  },
  boolean: (v) => {
    const word = v.toLowerCase();
    if (TRUE_WORDS.has(word)) return ok('true');
    if (FALSE_WORDS.has(word)) return ok('false');
    return bad('boolean', 'is not yes/no (ja/nein, ja/nej, true/false, 1/0, x)');
  },
  customerType: (v) => {
    const word = v.toLowerCase();
    if (BUSINESS_WORDS.has(word)) return ok('business');
    if (PRIVATE_WORDS.has(word)) return ok('private');
    return bad('customer_type', 'is neither business nor private');
  },
  ean: (v) => {
    const compact = v.replace(/\s/g, '');
    if (!/^\d{13}$/.test(compact)) return bad('ean', 'is not 13 digits');
    return eanCheckDigitValid(compact) ? ok(compact) : bad('ean_check_digit', 'has a wrong check digit');
  },
};

const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  UK: 'GB',
  // The international vehicle codes older German data uses for countries ("D-01067").
  D: 'DE',
  A: 'AT',
  BRD: 'DE',
  DEUTSCHLAND: 'DE',
  GERMANY: 'DE',
  TYSKLAND: 'DE',
  DANMARK: 'DK',
  DÄNEMARK: 'DK',
  DENMARK: 'DK',
  ÖSTERREICH: 'AT',
  AUSTRIA: 'AT',
  ØSTRIG: 'AT',
  SCHWEIZ: 'CH',
  SWITZERLAND: 'CH',
  SCHWEDEN: 'SE',
  SVERIGE: 'SE',
  SWEDEN: 'SE',
  NORGE: 'NO',
  NORWEGEN: 'NO',
  NORWAY: 'NO',
  NIEDERLANDE: 'NL',
  POLEN: 'PL',
};

function parseCountry(v: string): Parsed {
  const upper = v.toUpperCase();
  if (COUNTRY_CODES.has(upper)) return ok(upper);
  const alias = COUNTRY_ALIASES[upper];
  if (alias) return ok(alias, { code: 'country_alias', message: `was read as ${alias}` });
  return bad('country', 'is not an ISO 3166-1 alpha-2 country code');
}

function parseAccount(v: string): Parsed {
  const compact = v.replace(/[\s-]/g, '').toUpperCase();
  if (DIGITS.test(compact)) {
    return compact.length <= 15
      ? ok(compact)
      : bad('too_long', 'has more than 15 digits and is no IBAN', { max: '15', unit: 'digits' });
  }
  return ibanValid(compact)
    ? ok(compact)
    : bad('account', 'is neither an account number (digits) nor a valid IBAN');
}

export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : ch;
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

export function eanCheckDigitValid(ean: string): boolean {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(ean[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(ean[12]);
}

const EXCEL_EPOCH_UTC = Date.UTC(1899, 11, 30);

/** A date as ISO `YYYY-MM-DD` from DD.MM.YYYY, DD/MM/YYYY, YYYY-MM-DD or an Excel serial number. */
export function parseDate(v: string): string | undefined {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(v);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  // A time of day after the date, as a German Excel writes a date-time cell to CSV: "01.03.2021 00:00".
  m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$/.exec(v);
  if (m) return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
  // A two-digit year as Excel reads it: 00–29 are 2000–2029, 30–99 are 1930–1999.
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{2})$/.exec(v);
  if (m) return isoDate(Number(m[3]) + (Number(m[3]) < 30 ? 2000 : 1900), Number(m[2]), Number(m[1]));
  // An Excel day number: five digits and more (1927 on); a bare "2023" is a year, not a date.
  if (/^\d{5,7}(\.\d+)?$/.test(v)) return excelSerialToIso(Number(v));
  return undefined;
}

/** Excel's day number (1900 date system, with its phantom 29 Feb 1900 accounted for) as ISO date. */
export function excelSerialToIso(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return undefined;
  const day = Math.floor(serial);
  const date = new Date(EXCEL_EPOCH_UTC + day * 86_400_000);
  return date.toISOString().slice(0, 10);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function isoDate(y: number, mo: number, d: number): string | undefined {
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1) return undefined;
  if (d > (mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!)) return undefined;
  return `${y}-${mo < 10 ? '0' : ''}${mo}-${d < 10 ? '0' : ''}${d}`;
}

const REQUIRED: Readonly<Record<EntityKind, readonly FieldName[]>> = {
  employee: FIELDS_OF.employee.filter((f) => getFieldDef('employee', f).required),
  customer: FIELDS_OF.customer.filter((f) => getFieldDef('customer', f).required),
};

/** A record-level problem: the fields involved and why. */
export interface RecordProblem extends ValueProblem {
  readonly field: FieldName;
  /** The other field of a rule that spans two ("type" for a business-only field). */
  readonly related?: FieldName;
}

/**
 * Rules that span fields: required fields, employedUntil not before employedSince, business-only fields.
 * `present` lists the fields the source carries; absent ones are not checked for being required.
 */
export function checkRecord(
  kind: EntityKind,
  values: FieldValues,
  present: readonly FieldName[],
): RecordProblem[] {
  const problems: RecordProblem[] = [];
  for (const field of REQUIRED[kind]) {
    if (present.includes(field) && !values[field])
      problems.push({ field, code: 'required', message: 'is required' });
  }
  if (kind === 'employee') {
    const since = values.employedSince;
    const until = values.employedUntil;
    if (since && until && until < since) {
      problems.push({
        field: 'employedUntil',
        related: 'employedSince',
        code: 'until_before_since',
        message: 'lies before "employed since"',
      });
    }
  } else if (values.type === 'private') {
    for (const field of ['companyRegNo', 'ean'] as const) {
      if (values[field]) {
        problems.push({
          field,
          related: 'type',
          code: 'business_only',
          message: 'is only allowed for business customers',
        });
      }
    }
  }
  return problems;
}

/** SYNC.md §3: inactive when `active` is false, or (employees) `employedUntil` lies before `today`. */
export function isInactive(values: FieldValues, today: string): boolean {
  if (values.active === 'false') return true;
  const until = values.employedUntil;
  return until !== undefined && until !== '' && until < today;
}

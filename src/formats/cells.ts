/**
 * Values as written into an export cell: in the user's language (yes/no, ja/nein, ja/nej; business /
 * Firma / Erhverv), dates in the file type's format. CSV cells are guarded in `core/csv-text.ts`.
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

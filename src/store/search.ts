/**
 * Searching by text: "contains", case-insensitive, on SQLite and PostgreSQL alike. The text is cleaned as
 * stored values are (trimmed, NFC, one space between words) and matched literally: `%` and `_` in it are
 * the characters themselves, not LIKE wildcards, so "%" does not list everything and "a_n" is not "Anna".
 *
 * Case: `lower()` is not enough on either database. SQLite's folds ASCII only, and PostgreSQL's follows
 * the database's locale (ASCII only under `C`), so "müller" did not find "MÜLLER", nor "ørsted" "ØRSTED".
 * The capitals of the letters the search text holds are folded with `replace()` as well: a search has a
 * few letters, so a few `replace()` calls, the same SQL on both databases and under any locale.
 */
import type { RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { cleanText } from '../core/values.js';
import type { DialectName } from './database.js';

/**
 * The LIKE escape character. Not the backslash: both databases take `ESCAPE '!'` the same way, while a
 * backslash in a string literal depends on PostgreSQL's `standard_conforming_strings`.
 */
const ESCAPE = '!';

/** The text a search looks for, lower case; '' when there is nothing to look for (then: no filter). */
export function searchText(raw: string | undefined): string {
  return raw === undefined ? '' : cleanText(raw).toLowerCase();
}

/** `%text%` for LIKE, with the text's own `%`, `_` and escape character escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => ESCAPE + c)}%`;
}

/** `expr` in lower case for a search for `text` (lower case): `lower()`, then the capitals it may leave. */
function folded(expr: RawBuilder<unknown>, text: string): RawBuilder<string> {
  let out = sql<string>`lower(${expr})`;
  for (const ch of new Set(text)) {
    const capital = ch.toUpperCase();
    // ASCII is lower()'s own; "ß" has no one-letter capital in text ("SS" is two letters).
    if (ch < '\u0080' || capital === ch || capital.length !== 1) continue;
    out = sql<string>`replace(${out}, ${capital}, ${ch})`;
  }
  return out;
}

const contains = (expr: RawBuilder<unknown>, text: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`${folded(expr, text)} like ${containsPattern(text)} escape ${sql.lit(ESCAPE)}`;

/**
 * Any of `columns` contains `raw`, or undefined when `raw` cleans to nothing (then: no filter).
 * Use as `query.where(match)`.
 */
export function searchMatch(
  columns: readonly string[],
  raw: string | undefined,
): RawBuilder<SqlBool> | undefined {
  const text = searchText(raw);
  if (text === '') return undefined;
  const each = columns.map((c) => contains(sql.ref(c), text));
  return sql<SqlBool>`(${sql.join(each, sql` or `)})`;
}

/**
 * One of the values of the JSON object in `column` (field → text) contains `raw`; undefined when `raw`
 * cleans to nothing. Values only: matching the JSON text itself found the field names too, so "am" (in
 * "name") or "de" (in "work_phone_code") listed every record. The JSON text, folded the same way, is a
 * cheap first filter; only the rows it lets through are taken apart.
 */
export function searchValues(
  dialect: DialectName,
  column: string,
  raw: string | undefined,
): RawBuilder<SqlBool> | undefined {
  const text = searchText(raw);
  if (text === '') return undefined;
  const values =
    dialect === 'sqlite'
      ? sql`json_each(${sql.ref(column)})`
      : sql`json_each_text(cast(${sql.ref(column)} as json))`;
  const inValue = sql<SqlBool>`exists (select 1 from ${values} as v where ${contains(sql.ref('v.value'), text)})`;
  // In the JSON text a `"` or `\` of a value is escaped: the text filter would miss it, so leave it out.
  if (/["\\]/.test(text)) return inValue;
  return sql<SqlBool>`(${contains(sql.ref(column), text)} and ${inValue})`;
}

/**
 * Searching by text: "contains", case-insensitive, on SQLite and PostgreSQL alike. The text is cleaned as
 * stored values are (trimmed, NFC, one space between words) and matched literally: `%` and `_` in it are
 * the characters themselves, not LIKE wildcards, so "%" does not list everything and "a_n" is not "Anna".
 */
import type { RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { cleanText } from '../core/values.js';

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

/**
 * `lower(column) LIKE '%text%'` for any of `columns`, or undefined when `raw` cleans to nothing.
 * Use as `query.where(match)`.
 */
export function searchMatch(
  columns: readonly string[],
  raw: string | undefined,
): RawBuilder<SqlBool> | undefined {
  const text = searchText(raw);
  if (text === '') return undefined;
  const pattern = containsPattern(text);
  const each = columns.map(
    (c) => sql<SqlBool>`lower(${sql.ref(c)}) like ${pattern} escape ${sql.lit(ESCAPE)}`,
  );
  return sql<SqlBool>`(${sql.join(each, sql` or `)})`;
}

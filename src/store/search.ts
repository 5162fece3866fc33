/**
 * Searching by text: "contains", case-insensitive, on SQLite and PostgreSQL alike. The text is cleaned as
 * stored values are (trimmed, NFC, one space between words) and matched literally: `%` and `_` in it are
 * the characters themselves, not LIKE wildcards, so "%" does not list everything and "a_n" is not "Anna".
 *
 * Case: `lower()` is not enough on either database. SQLite's folds ASCII only, and PostgreSQL's follows
 * the database's locale (ASCII only under `C`), so "müller" did not find "MÜLLER", nor "ørsted" "ØRSTED".
 * The capitals of the letters the search text holds are folded with `replace()` as well, the same SQL on
 * both databases and under any locale. Names and other text are matched with their marks aside as well
 * (`FOLDS`: "muller", "mueller" and "Müller" find "MÜLLER"); numbers with their leading zeros aside
 * ("00123" finds 123). About 20 `replace()` calls a value: a search of 200,000 names on SQLite took
 * 240 ms instead of 40 — nothing for a company's registry, a scan of a million items is slower still.
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

/** The apostrophes people type: Word, Outlook and phones write O’Brien, a keyboard O'Brien. */
const APOSTROPHES = /['\u2019\u2018\u00b4`]/g;

/**
 * `%text%` for LIKE, with the text's own `%`, `_` and escape character escaped; an apostrophe of any kind
 * matches any other (LIKE's one-character `_`), so "O'Brien" finds "O’Brien" and the other way round.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => ESCAPE + c).replace(APOSTROPHES, '_')}%`;
}

/**
 * Letters a search matches without their marks: "muller" finds "Müller", "weiss" "Weiß", "yilmaz"
 * "Yılmaz", "ostergard" "Østergård". One letter each (ß two), so a folded part of a name is a part of the
 * folded name: every search still finds what it found before.
 */
const FOLDS: readonly (readonly [string, string])[] = [
  ['ä', 'a'],
  ['ö', 'o'],
  ['ü', 'u'],
  ['ß', 'ss'],
  ['æ', 'a'],
  ['ø', 'o'],
  ['å', 'a'],
  ['á', 'a'],
  ['à', 'a'],
  ['é', 'e'],
  ['è', 'e'],
  ['ê', 'e'],
  ['í', 'i'],
  ['ı', 'i'],
  ['ó', 'o'],
  ['ú', 'u'],
  ['ç', 'c'],
  ['ğ', 'g'],
  ['ş', 's'],
  ['ñ', 'n'],
];
/** Capitals of the folded letters, for SQLite's `lower()` (ASCII only). */
const CAPITALS = FOLDS.map(([ch]) => ch)
  .filter((ch) => ch.toUpperCase() !== ch && ch.toUpperCase().length === 1)
  .map((ch) => [ch.toUpperCase(), ch] as const);
/** The two-letter spellings a search may use for an umlaut ("mueller" for "Müller"). */
const DIGRAPHS: readonly (readonly [string, string])[] = [
  ['ae', 'ä'],
  ['oe', 'ö'],
  ['ue', 'ü'],
];

/** `text` (lower case) as the database folds a column: `FOLDS` in order, each replacing every match. */
export function foldText(text: string): string {
  let out = text;
  for (const [from, to] of FOLDS) if (out.includes(from)) out = out.split(from).join(to);
  return out;
}

/**
 * `expr` in lower case for a search for `text` (lower case): `lower()`, then the capitals it may leave —
 * those of the text's own letters and, for a folded match, those of the folded letters.
 */
function lowered(expr: RawBuilder<unknown>, text: string, foldable = false): RawBuilder<string> {
  let out = sql<string>`lower(${expr})`;
  const capitals = new Map<string, string>(foldable ? CAPITALS : []);
  for (const ch of new Set(text)) {
    const capital = ch.toUpperCase();
    // ASCII is lower()'s own; "ß" has no one-letter capital in text ("SS" is two letters).
    if (ch >= '\u0080' && capital !== ch && capital.length === 1) capitals.set(capital, ch);
  }
  for (const [capital, ch] of capitals) out = sql<string>`replace(${out}, ${capital}, ${ch})`;
  return out;
}

/** `expr` lowered and folded as `foldText` folds the search. */
function folded(expr: RawBuilder<unknown>, text: string): RawBuilder<string> {
  let out = lowered(expr, text, true);
  for (const [from, to] of FOLDS) out = sql<string>`replace(${out}, ${from}, ${to})`;
  return out;
}

const like = (expr: RawBuilder<string>, text: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`${expr} like ${containsPattern(text)} escape ${sql.lit(ESCAPE)}`;

const or = (each: readonly RawBuilder<SqlBool>[]): RawBuilder<SqlBool> =>
  each.length === 1 ? each[0]! : sql<SqlBool>`(${sql.join(each, sql` or `)})`;

/**
 * The texts a search for `text` looks for in a folded value: it folded, its two-letter spellings read as
 * umlauts and its umlauts written as two letters, and a name written "Last, First" (as payroll exports
 * write them) also as "First Last".
 */
function foldedTexts(text: string): string[] {
  const comma = /^([^,]+),\s*([^,]+)$/.exec(text);
  const forms = comma ? [text, `${comma[2]!.trim()} ${comma[1]!.trim()}`] : [text];
  const out = new Set<string>();
  for (const form of forms) {
    let spelt = form;
    for (const [pair, umlaut] of DIGRAPHS) spelt = spelt.split(pair).join(umlaut);
    // And the other way: "müller" finds a "Mueller" typed without the umlaut, as "mueller" finds "Müller".
    let written = form;
    for (const [pair, umlaut] of DIGRAPHS) written = written.split(umlaut).join(pair);
    out.add(foldText(form)).add(foldText(spelt)).add(foldText(written));
  }
  return [...out];
}

/** A search of digits with leading zeros ("00123") also looks for the number without them. */
const bareNumber = (text: string): string | undefined =>
  /^0+\d+$/.test(text) ? text.replace(/^0+/, '') : undefined;

/** `expr` contains `text`, marks and case aside (`FOLDS`, `DIGRAPHS`), or its bare number. */
function containsFolded(expr: RawBuilder<unknown>, text: string): RawBuilder<SqlBool> {
  const value = folded(expr, text);
  const bare = bareNumber(text);
  return or([...foldedTexts(text).map((t) => like(value, t)), ...(bare ? [like(value, bare)] : [])]);
}

/** A number holding `text`, case aside, or its bare number. */
function containsKey(expr: RawBuilder<unknown>, text: string): RawBuilder<SqlBool> {
  const value = lowered(expr, text);
  const bare = bareNumber(text);
  return or([like(value, text), ...(bare ? [like(value, bare)] : [])]);
}

/**
 * Any of `names` (text: marks and case aside) or `keys` (numbers: case and leading zeros aside) contains
 * `raw`, or undefined when `raw` cleans to nothing (then: no filter). Use as `query.where(match)`.
 */
export function searchMatch(
  names: readonly string[],
  raw: string | undefined,
  keys: readonly string[] = [],
): RawBuilder<SqlBool> | undefined {
  const text = searchText(raw);
  if (text === '') return undefined;
  const each = [
    ...names.map((c) => containsFolded(sql.ref(c), text)),
    ...keys.map((c) => containsKey(sql.ref(c), text)),
  ];
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
  const inValue = sql<SqlBool>`exists (select 1 from ${values} as v where ${containsFolded(sql.ref('v.value'), text)})`;
  // In the JSON text a `"` or `\` of a value is escaped: the text filter would miss it, so leave it out.
  if (/["\\]/.test(text)) return inValue;
  return sql<SqlBool>`(${containsFolded(sql.ref(column), text)} and ${inValue})`;
}

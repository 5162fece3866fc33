/**
 * The validation report as the screen shows it, for the user's spreadsheet: headers and reasons in the
 * user's language, and `;` between cells in German and Danish — what Excel splits on there (a `,` file
 * opened by a German Excel is one column per line); UTF-8 with a BOM. Made in the browser from the
 * report the page holds; the server's `report.csv` stays English, with codes, for scripts.
 */
import { csvLine } from '../../../src/core/csv-text.js';
import type { Language } from '../i18n/i18n.js';

export interface ReportRow {
  readonly row: number | null;
  readonly column: string;
  readonly value: string;
}

export function reportCsv<R extends ReportRow>(
  rows: readonly R[],
  lang: Language,
  headers: readonly [row: string, column: string, value: string, reason: string],
  reasonOf: (row: R) => string,
): string {
  const delimiter = lang === 'en' ? ',' : ';';
  const lines = rows.map((r) => csvLine([String(r.row ?? ''), r.column, r.value, reasonOf(r)], delimiter));
  return `\uFEFF${csvLine(headers, delimiter)}${lines.join('')}`;
}

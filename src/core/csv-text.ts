/**
 * Text for CSV files that spreadsheets open: cells guarded against formula injection and quoted where
 * needed. Pure, so the export writer, the CLI and server reports and the browser's report use one rule.
 */
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

/**
 * The inverse of `neutraliseFormula`, for reading: a cell that is exactly what it would write for the
 * text after its `'` is that text, so an export file imported again reads as it was written.
 */
export function unneutraliseFormula(text: string): string {
  if (text.charCodeAt(0) !== 39) return text; // '
  const inner = text.slice(1);
  return neutraliseFormula(inner) === text ? inner : text;
}

/**
 * One CSV line, ended by CRLF: each cell guarded against formulas, and quoted when it holds the
 * delimiter, a quote or a line break.
 */
export function csvLine(cells: readonly string[], delimiter: string): string {
  return cells.map((c) => quoteCell(neutraliseFormula(c), delimiter)).join(delimiter) + '\r\n';
}

function quoteCell(cell: string, delimiter: string): string {
  if (!cell.includes(delimiter) && !/["\r\n]/.test(cell)) return cell;
  return `"${cell.replace(/"/g, '""')}"`;
}

/**
 * XLSX rows, streamed with exceljs's `WorkbookReader`: every cell becomes the text the user sees.
 * A date cell gives an ISO date; a number cell is written in its number format when that format pads
 * with zeros ("00000" shows 123 as "00123") or spreads digits in a pattern ("000 000 0000" shows a mobile
 * as "087 123 4567"), so identifiers and phones keep their leading zeros; rich text, shared
 * strings and formula results give their text. Row numbers are the sheet's own. The reader gets the
 * zip's entries in the order it needs them (`zip.ts`); without a sheet name, the first visible tab is read.
 * exceljs comes from `loadExcelJs` (`exceljs-load.ts`), which fixes its decoding of characters split
 * between two chunks of the unzipped XML: exceljs alone turns them into U+FFFD in large files.
 */
import type ExcelJS from 'exceljs';
import type { ByteSource } from './byte-source.js';
import { loadExcelJs } from './exceljs-load.js';
import { FileReadError } from './file-error.js';
import { displayNumber, isDateFormat } from './number-format.js';
import type { RawRow } from './rows.js';
import { notWorkbookError } from './sniff.js';
import { excelSerialToIso } from '../core/values.js';
import { readerOrder, readZipLayout } from './zip.js';

const BATCH = 500;

/** Which worksheet is read, and what others the workbook has: known once the first rows come. */
export interface SheetsRead {
  sheet?: string;
  others?: readonly string[];
}

/**
 * The rows of the first worksheet, or of the one named `sheet`, in batches; blank rows are left out.
 * `read` is filled in before the first batch comes.
 */
export async function* xlsxRows(
  source: ByteSource,
  sheet: string | undefined,
  read: SheetsRead = {},
): AsyncGenerator<RawRow[]> {
  const layout = await readZipLayout(source);
  if (layout && !layout.entries.some((e) => e.name === 'xl/workbook.xml'))
    throw await notWorkbookError(source, layout);
  // Loaded when an XLSX file comes: exceljs takes 0.4 s to load, which every other command would pay.
  // Outside the `try`: a failure to load it with its fix is no fault of the file.
  const excel = await loadExcelJs();
  const seen: string[] = [];
  try {
    const bytes = layout ? source.stream(readerOrder(layout, source.size)) : source.stream();
    const workbook = new excel.stream.xlsx.WorkbookReader(bytes, {
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'ignore',
    });
    let found = false;
    // Without a name: the first tab the user sees, which need not be the first worksheet in the zip.
    let wantedName = sheet;
    for await (const worksheet of workbook) {
      const name = (worksheet as unknown as { name?: string }).name ?? `Sheet ${seen.length + 1}`;
      seen.push(name);
      wantedName ??= firstTab(workbook) ?? name;
      const wanted = name.trim().toLowerCase() === wantedName.trim().toLowerCase();
      if (found || !wanted) {
        // Every other worksheet is read to its end too, and the workbook as well: a workbook without shared
        // strings still has its worksheets put in temporary files, and exceljs deletes each one when the
        // next is asked for, even if its stream has not opened it yet (an uncaught ENOENT).
        for await (const _row of worksheet);
        continue;
      }
      found = true;
      read.sheet = name;
      read.others = sheetNames(workbook).filter((n) => n !== name);
      let batch: RawRow[] = [];
      for await (const row of worksheet) {
        const raw = rowOf(row);
        if (raw) batch.push(raw);
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    }
    if (found) return;
  } catch (cause) {
    if (cause instanceof FileReadError) throw cause;
    const message = `the XLSX file cannot be read (${(cause as Error).message ?? String(cause)})`;
    throw new FileReadError('corrupt_xlsx', { file: source.name }, message, { cause });
  }
  if (seen.length === 0) throw await notWorkbookError(source, layout);
  if (sheet !== undefined) {
    const names = seen.map((n) => `"${n}"`).join(', ') || 'none';
    throw new FileReadError(
      'sheet_not_found',
      { file: source.name },
      `has no worksheet "${sheet}" (worksheets: ${names})`,
      { facts: { sheet, sheets: seen } },
    );
  }
}

type Tab = { name?: string; state?: string };

/** The workbook's tabs in their order, from `xl/workbook.xml` (read before the worksheets). */
const tabsOf = (workbook: unknown): Tab[] => (workbook as { model?: { sheets?: Tab[] } }).model?.sheets ?? [];
const visible = (tab: Tab): boolean => tab.state !== 'hidden' && tab.state !== 'veryHidden';

/** The names of the workbook's visible tabs. */
function sheetNames(workbook: unknown): string[] {
  return tabsOf(workbook).flatMap((t) => (t.name !== undefined && visible(t) ? [t.name] : []));
}

/** The name of the workbook's first visible tab (the first tab when all are hidden). */
function firstTab(workbook: unknown): string | undefined {
  const tabs = tabsOf(workbook);
  return (tabs.find(visible) ?? tabs[0])?.name;
}

function rowOf(row: ExcelJS.Row): RawRow | undefined {
  const cells: string[] = [];
  let errorCells: number[] | undefined;
  let formulaCells: number[] | undefined;
  let blank = true;
  row.eachCell((cell, col) => {
    while (cells.length < col - 1) cells.push('');
    const text = cellText(cell.type === FORMULA ? formulaOf(cell) : cell.value, cell.numFmt);
    let value: string;
    if (typeof text === 'string') value = text;
    else if ('error' in text) {
      (errorCells ??= []).push(col - 1);
      value = text.error;
    } else {
      (formulaCells ??= []).push(col - 1);
      value = text.formula;
    }
    if (value.trim() !== '') blank = false;
    cells.push(value);
  });
  if (blank) return undefined;
  return {
    row: row.number,
    cells,
    ...(errorCells ? { errorCells } : {}),
    ...(formulaCells ? { formulaCells } : {}),
  };
}

/** exceljs's `ValueType.Formula`. */
const FORMULA = 6;

/**
 * A formula cell's formula and saved result. Its `value` drops a result of 0 or "" (exceljs copies only
 * truthy parts), which made "=IF(A2="","",A2)" and a sum of 0 look uncalculated; its model keeps them.
 */
function formulaOf(cell: ExcelJS.Cell): ExcelJS.CellValue {
  const { formula, sharedFormula, result } = cell.model as {
    formula?: string;
    sharedFormula?: string;
    result?: ExcelJS.CellFormulaValue['result'];
  };
  return { formula: formula ?? sharedFormula ?? '', result } as ExcelJS.CellFormulaValue;
}

/** A cell's text; a formula error (#N/A); or a formula whose result the file does not hold. */
type CellText = string | { readonly error: string } | { readonly formula: string };

function cellText(value: ExcelJS.CellValue, numFmt: string | undefined): CellText {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value, numFmt);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('error' in value) return { error: String(value.error) };
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result !== null && typeof result === 'object' && 'error' in result)
      return { error: String(result.error) };
    // No <v> at all: the program that wrote the file did not calculate it (an empty result is "").
    if (result === undefined) {
      const formula = (value as { formula?: unknown }).formula;
      return { formula: typeof formula === 'string' && formula !== '' ? `=${formula}` : '=…' };
    }
    return cellText(result as ExcelJS.CellValue, numFmt);
  }
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue, numFmt);
  return '';
}

function numberText(value: number, numFmt: string | undefined): string {
  if (numFmt !== undefined && isDateFormat(numFmt)) return excelSerialToIso(value) ?? String(value);
  return displayNumber(value, numFmt);
}

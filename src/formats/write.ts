/**
 * Writing an export file (FORMATS.md "Export"): the integration's file type, in the user's language,
 * streamed from an (async) iterable of records.
 *
 * CSV: `;` for German and Danish, `,` for English (what Excel expects under those locales, where `,`
 * is the decimal separator), unless the file type names a delimiter; UTF-8 with a BOM (so Excel shows
 * umlauts right) unless it names an encoding; CRLF line ends and RFC 4180 quoting. XLSX when the
 * format or the file name says so: text cells (leading zeros survive) and real date cells.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { EntityKind, FieldName, FieldValues } from '../core/fields.js';
import { getFieldDef } from '../core/fields.js';
import { csvLine } from '../core/csv-text.js';
import { cellValue } from './cells.js';
import { encodeText } from './encoding.js';
import type { DateFormat, Delimiter, FileType } from './file-type.js';
import type { Language } from './headers.js';
import { getHeader } from './headers.js';
import type { FileFormat } from './read.js';
import { loadExcelJs } from './exceljs-load.js';

export interface WriteOptions {
  readonly fileType: FileType;
  readonly language: Language;
  /** The columns, in order. With a custom file type, fields it has no header for are left out. */
  readonly fields: readonly FieldName[];
  /** Default: XLSX when the target path ends in .xlsx, else CSV. */
  readonly format?: FileFormat;
}

export interface WriteResult {
  readonly rows: number;
  /** The fields written, in column order. */
  readonly fields: readonly FieldName[];
}

type Records = Iterable<FieldValues> | AsyncIterable<FieldValues>;

/** Write `records` to a path or a stream (which is ended). */
export async function writeRecords(
  target: string | Writable,
  records: Records,
  options: WriteOptions,
): Promise<WriteResult> {
  const format = options.format ?? (typeof target === 'string' && /\.xlsx$/i.test(target) ? 'xlsx' : 'csv');
  const columns = columnsOf(options);
  const rows =
    format === 'xlsx'
      ? await writeXlsx(target, records, columns, options)
      : await writeCsv(target, records, columns, options);
  return { rows, fields: columns.map((c) => c.field) };
}

interface OutColumn {
  readonly field: FieldName;
  readonly header: string;
}

function columnsOf({ fileType, language, fields }: WriteOptions): OutColumn[] {
  const custom = fileType.columns;
  if (!custom) return fields.map((field) => ({ field, header: getHeader(fileType.entity, field, language) }));
  const headerOf = new Map<FieldName, string>();
  for (const [header, field] of Object.entries(custom)) if (!headerOf.has(field)) headerOf.set(field, header);
  return fields.flatMap((field) => {
    const header = headerOf.get(field);
    return header === undefined ? [] : [{ field, header }];
  });
}

/** The file type's date format, else the one people of `language` write: DD.MM.YYYY in German and Danish. */
function dateFormatOf(fileType: FileType, language: Language): DateFormat {
  return fileType.dateFormat ?? (language === 'en' ? 'YYYY-MM-DD' : 'DD.MM.YYYY');
}

export function defaultDelimiter(language: Language): Delimiter {
  return language === 'en' ? ',' : ';';
}

async function writeCsv(
  target: string | Writable,
  records: Records,
  columns: readonly OutColumn[],
  options: WriteOptions,
): Promise<number> {
  const { fileType, language } = options;
  const delimiter = fileType.delimiter ?? defaultDelimiter(language);
  const encoding = fileType.encoding ?? 'utf-8';
  const out = typeof target === 'string' ? createWriteStream(target) : target;
  const done = finished(out);
  const line = (cells: readonly string[]): string => csvLine(cells, delimiter);
  const bom = encoding === 'windows-1252' ? '' : '\uFEFF';
  let pending = bom + line(columns.map((c) => c.header));
  let rows = 0;
  for await (const values of records) {
    pending += line(
      columns.map((c) =>
        cellValue(
          fileType.entity,
          c.field,
          values[c.field] ?? '',
          language,
          dateFormatOf(fileType, language),
        ),
      ),
    );
    rows++;
    if (pending.length >= 1 << 16) {
      if (!out.write(encodeText(pending, encoding))) await drained(out);
      pending = '';
    }
  }
  out.end(encodeText(pending, encoding));
  await done;
  return rows;
}

const SHEET_NAMES: Readonly<Record<EntityKind, Readonly<Record<Language, string>>>> = {
  employee: { en: 'Employees', de: 'Mitarbeiter', da: 'Medarbejdere' },
  customer: { en: 'Customers', de: 'Kunden', da: 'Kunder' },
};

/** XLSX cells are typed text, so nothing in them runs as a formula: no `'` guard is needed there. */
async function writeXlsx(
  target: string | Writable,
  records: Records,
  columns: readonly OutColumn[],
  options: WriteOptions,
): Promise<number> {
  const { fileType, language } = options;
  const kind = fileType.entity;
  const excel = await loadExcelJs(); // loaded when needed, and always through the fix (see xlsx.ts)
  const workbook = new excel.stream.xlsx.WorkbookWriter(
    typeof target === 'string' ? { filename: target, useStyles: true } : { stream: target, useStyles: true },
  );
  const sheet = workbook.addWorksheet(SHEET_NAMES[kind][language]);
  const dateFmt = dateFormatOf(fileType, language).toLowerCase();
  sheet.columns = columns.map((c) => ({
    key: c.field,
    width: Math.max(12, c.header.length + 2),
    ...(getFieldDef(kind, c.field).kind === 'date' ? { style: { numFmt: dateFmt } } : {}),
  }));
  sheet.addRow(columns.map((c) => c.header)).commit();
  let rows = 0;
  for await (const values of records) {
    sheet.addRow(columns.map((c) => xlsxCell(kind, c.field, values[c.field] ?? '', language))).commit();
    rows++;
  }
  sheet.commit();
  await workbook.commit();
  return rows;
}

function xlsxCell(
  kind: EntityKind,
  field: FieldName,
  value: string,
  language: Language,
): string | Date | null {
  if (value === '') return null;
  if (getFieldDef(kind, field).kind === 'date') return new Date(`${value}T00:00:00Z`);
  return cellValue(kind, field, value, language);
}

function finished(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', reject);
  });
}

function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => stream.once('drain', resolve));
}

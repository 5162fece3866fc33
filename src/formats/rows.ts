/**
 * One row of cells → canonical values plus the problems found, with row and column as the user sees
 * them. Every cell goes through `parseValue`; the record through `checkRecord`; numbers must be unique
 * in the file. Hot path: one call per row of a million-row file, so the per-column work is prepared once.
 */
import { unneutraliseFormula } from '../core/csv-text.js';
import type { EntityKind, FieldDef, FieldName, FieldValues } from '../core/fields.js';
import { getFieldDef, maskValue } from '../core/fields.js';
import type { NumberOptions } from '../core/compare.js';
import { checkRecord, parseValue } from '../core/values.js';
import { numberKey } from '../core/compare.js';
import { KeyMap } from '../core/key-map.js';
import type { Column, HeaderResult } from './columns.js';
import { readDateAs } from './dates.js';
import type { DateFormat } from './file-type.js';

/** A refused value (problem) or one read with a guess (warning): the port's row problem. */
export type { RowProblem } from '../core/port.js';
import type { RowProblem } from '../core/port.js';

export interface ReadRow {
  readonly row: number;
  /** Canonical values of the fields the file carries; a refused value is left out. */
  readonly values: FieldValues;
  /** Empty when the row is valid. */
  readonly problems: readonly RowProblem[];
  readonly warnings: readonly RowProblem[];
}

/** A row of raw cell texts from a CSV record or an XLSX row. */
export interface RawRow {
  readonly row: number;
  readonly cells: readonly string[];
  /** CSV: the record as written; its fingerprint is taken from it, so its cells need not be split. */
  readonly text?: string;
  /** CSV: one cell, without splitting the whole record where that can be avoided. */
  cell?(index: number): string;
  /** XLSX: 0-based indexes of cells holding a formula error (#N/A, #REF!…). */
  readonly errorCells?: readonly number[];
  /**
   * XLSX: 0-based indexes of formula cells the file holds no result for (written by a program that does
   * not calculate); their text is the formula. Read as empty, they cleared the registry's values.
   */
  readonly formulaCells?: readonly number[];
}

export interface RowOptions {
  readonly numbers: NumberOptions;
  readonly dateFormat?: DateFormat;
  /** CSV: a record with fewer cells than the header is a problem (in XLSX empty cells are just absent). */
  readonly strictCellCount: boolean;
}

/** How much of a value a problem echoes: a cell of a megabyte is not printed whole. */
export const SHOWN_CHARS = 200;

/** A value cut to `SHOWN_CHARS` characters and "…" (not inside a surrogate pair). */
export function clipValue(value: string): string {
  if (value.length <= SHOWN_CHARS) return value;
  const end = SHOWN_CHARS - (/[\uD800-\uDBFF]/.test(value[SHOWN_CHARS - 1]!) ? 1 : 0);
  return `${value.slice(0, end)}…`;
}

/** A value as a problem report shows it: it is kept and downloaded, so a tax ID or account is masked. */
const shownValue = (def: FieldDef, value: string): string =>
  def.sensitive ? maskValue(value) : clipValue(value);

interface Slot {
  readonly column: Column;
  readonly field: FieldName;
  readonly def: FieldDef;
  readonly dateFormat: DateFormat | undefined;
  /** A name in two columns: the cells joined, first then last ("Jürgen" "Müller" → "Jürgen Müller"). */
  readonly parts?: readonly Column[];
}

const NONE: readonly RowProblem[] = Object.freeze([]);

const joinParts = (cells: readonly string[], parts: readonly Column[]): string =>
  parts
    .map((c) => (cells[c.index] ?? '').trim())
    .filter((t) => t !== '')
    .join(' ');

/**
 * Empty cells of a yes/no column read as "no" (FORMATS.md: x / empty) in a file whose column otherwise
 * says yes/no in words: there the empty cell was more likely left unfilled than meant as "no".
 */
export interface EmptyAsNo {
  readonly column: string;
  readonly count: number;
  /** The first few rows. */
  readonly rows: readonly number[];
}

export class RowChecker {
  /** Empty yes/no cells read as "no", and whether the column said yes/no in words beside "x". */
  private readonly emptyBooleans = { column: '', count: 0, rows: [] as number[], words: false };
  private readonly slots: readonly Slot[];
  private readonly headerWidth: number;
  private readonly columnOf = new Map<FieldName, string>();
  private readonly numberIndex: number;
  /** number key → first row holding it. */
  private readonly seen = new KeyMap();

  constructor(
    private readonly kind: EntityKind,
    private readonly header: HeaderResult,
    private readonly opts: RowOptions,
  ) {
    const slots: Slot[] = [];
    for (const column of header.columns) {
      if (column.field === null || column.part) continue;
      const def = getFieldDef(kind, column.field);
      const dateFormat = def.kind === 'date' ? opts.dateFormat : undefined;
      slots.push({ column, field: column.field, def, dateFormat });
      this.columnOf.set(column.field, column.header);
    }
    const parts = ['first', 'last'].flatMap((p) => header.columns.filter((c) => c.part === p));
    if (parts.length > 0) {
      // Problems name the columns together ("Vorname + Nachname"), at the last name's place.
      const column = { ...parts.at(-1)!, header: parts.map((c) => c.header).join(' + ') };
      slots.push({ column, field: 'name', def: getFieldDef(kind, 'name'), dateFormat: undefined, parts });
      this.columnOf.set('name', column.header);
    }
    this.slots = slots;
    this.numberIndex = header.columns.findIndex((c) => c.field === 'number');
    this.headerWidth = header.columns.findLastIndex((c) => c.header !== '') + 1;
  }

  check(raw: RawRow): ReadRow {
    const values: Partial<Record<FieldName, string>> = {};
    let problems: RowProblem[] | undefined;
    let warnings: RowProblem[] | undefined;
    const { row, cells } = raw;
    for (const slot of this.slots) {
      if (raw.errorCells?.includes(slot.column.index) || raw.formulaCells?.includes(slot.column.index))
        continue; // reported by checkShape
      // A cell the export guarded against formulas ("'=Kasse") reads as the text it guarded.
      const text = unneutraliseFormula(
        slot.parts ? joinParts(cells, slot.parts) : (cells[slot.column.index] ?? ''),
      );
      if (slot.def.kind === 'boolean') this.noteBoolean(slot, text, row);
      const parsed = this.parse(slot, text);
      if (parsed.ok) {
        values[slot.field] = parsed.value;
        if (parsed.warning)
          (warnings ??= []).push({ ...this.problem(row, slot, text, parsed.warning), readAs: parsed.value });
      } else {
        (problems ??= []).push(this.problem(row, slot, text, parsed));
      }
    }
    problems = this.checkShape(raw, problems);
    problems = this.checkRecord(raw, values, problems);
    problems = this.checkUnique(raw, values, problems);
    return { row, values, problems: problems ?? NONE, warnings: warnings ?? NONE };
  }

  /** The empty yes/no cells read as "no" so far, if the column says yes/no in words elsewhere. */
  emptyAsNo(): EmptyAsNo | undefined {
    const { column, count, rows, words } = this.emptyBooleans;
    return count > 0 && words ? { column, count, rows } : undefined;
  }

  private noteBoolean(slot: Slot, text: string, row: number): void {
    const word = text.trim().toLowerCase();
    const seen = this.emptyBooleans;
    if (word === '') {
      seen.column = slot.column.header;
      if (seen.count++ < 5) seen.rows.push(row);
    } else if (word !== 'x') seen.words = true;
  }

  private parse(
    slot: Slot,
    text: string,
  ): { ok: true; value: string; warning?: Msg } | ({ ok: false } & Msg) {
    if (slot.dateFormat === undefined || text.trim() === '') return parseValue(slot.def, text);
    const iso = readDateAs(text, slot.dateFormat);
    if (iso === undefined) return { ok: false, code: 'date', message: `is not a date (${slot.dateFormat})` };
    return parseValue(slot.def, iso);
  }

  private problem(row: number, slot: Slot, value: string, why: Msg): RowProblem {
    const shown = shownValue(slot.def, value);
    return {
      row,
      column: slot.column.header,
      field: slot.field,
      value: shown,
      code: why.code,
      reason: why.message,
      ...(why.params ? { params: why.params } : {}),
    };
  }

  private checkShape(raw: RawRow, problems: RowProblem[] | undefined): RowProblem[] | undefined {
    const { row, cells } = raw;
    for (const index of raw.errorCells ?? []) {
      const column = this.header.columns[index];
      if (column?.field == null) continue;
      const reason = `holds the spreadsheet error ${cells[index] ?? ''}`;
      (problems ??= []).push({
        row,
        column: column.header,
        field: column.field,
        value: clipValue(cells[index] ?? ''),
        code: 'cell_error',
        reason,
      });
    }
    for (const index of raw.formulaCells ?? []) {
      const column = this.header.columns[index];
      if (column?.field == null) continue;
      (problems ??= []).push({
        row,
        column: column.header,
        field: column.field,
        value: clipValue(cells[index] ?? ''),
        code: 'formula_without_result',
        reason:
          'is a formula the file holds no result for: open the file in Excel or LibreOffice, which calculate it, save it and import it again',
      });
    }
    if (cells.length > this.headerWidth) {
      const extra = cells.slice(this.headerWidth);
      const first = extra.findIndex((c) => c.trim() !== '');
      if (first >= 0) {
        // Name the first such cell by its column, as the spreadsheet shows it, and what it holds.
        const at = this.headerWidth + first + 1;
        const reason = `lies in column ${at}, beyond the ${this.headerWidth} columns the header names`;
        (problems ??= []).push({
          row,
          column: '',
          field: null,
          value: clipValue(extra.filter((c) => c.trim() !== '').join(' | ')),
          code: 'too_many_cells',
          reason,
        });
      }
    } else if (this.opts.strictCellCount && cells.length < this.headerWidth) {
      const reason = `has ${cells.length} cells but the header has ${this.headerWidth} columns`;
      (problems ??= []).push({
        row,
        column: '',
        field: null,
        value: '',
        code: 'too_few_cells',
        reason,
        params: { cells: String(cells.length), columns: String(this.headerWidth) },
      });
    }
    return problems;
  }

  private checkRecord(
    raw: RawRow,
    values: FieldValues,
    problems: RowProblem[] | undefined,
  ): RowProblem[] | undefined {
    for (const p of checkRecord(this.kind, values, this.header.fields)) {
      if (problems?.some((q) => q.field === p.field)) continue; // already refused: one problem per cell
      const column = this.columnOf.get(p.field) ?? '';
      const index = this.header.columns.findIndex((c) => c.field === p.field);
      const value = raw.cells[index] ?? '';
      (problems ??= []).push({
        row: raw.row,
        column,
        field: p.field,
        value: shownValue(getFieldDef(this.kind, p.field), value),
        code: p.code,
        reason: p.message,
      });
    }
    return problems;
  }

  private checkUnique(
    raw: RawRow,
    values: FieldValues,
    problems: RowProblem[] | undefined,
  ): RowProblem[] | undefined {
    const { row } = raw;
    const number = values.number;
    if (!number) return problems;
    const key = numberKey(number, this.opts.numbers);
    const first = this.seen.get(key);
    if (first === undefined) {
      this.seen.set(key, row);
      return problems;
    }
    const reason = `is the same number as row ${first} (numbers are unique in the file)`;
    const column = this.columnOf.get('number') ?? '';
    const value = clipValue(raw.cells[this.numberIndex] ?? number);
    (problems ??= []).push({
      row,
      column,
      field: 'number',
      value,
      code: 'duplicate_in_file',
      reason,
      params: { rows: String(first) },
    });
    return problems;
  }
}

interface Msg {
  readonly code: string;
  readonly message: string;
  readonly params?: Readonly<Record<string, string>>;
}

/**
 * A number on more than one row of a file imported with `--skip-invalid` (SYNC.md §10.5: shuffling the
 * rows changes nothing). Read once, the first of the rows was imported and the later ones refused, so
 * which one counted depended on their order. Now such a run, on meeting a repeated number, stops and
 * starts again from a fresh read of the source (`RemoteSnapshot.reopen`), refusing every row of each
 * repeated number: their record is present (not deleted) and stays as it was. Only runs that meet a
 * repeated number read twice; a source that cannot be read again keeps the first row (and says so in
 * its problem).
 */
import type { RowProblem } from '../core/port.js';

/** Thrown out of the first read: the numbers it found repeated, each with its later rows. */
export class RepeatedNumbersFound extends Error {
  constructor(readonly laterRows: ReadonlyMap<string, readonly number[]>) {
    super('repeated numbers: the run starts again');
  }
}

/** The second read's knowledge: every row of these numbers is refused. */
export class RepeatedNumbers {
  /** Each repeated number's rows, once its first row has come. */
  private readonly rowsOf = new Map<string, number[]>();

  constructor(private readonly laterRows: ReadonlyMap<string, readonly number[]>) {}

  has(key: string): boolean {
    return this.laterRows.has(key);
  }

  /** The problem of row `row` carrying repeated number `key` (whose cell reads `number`). */
  problem(key: string, row: number, number: string, column: string): RowProblem {
    let rows = this.rowsOf.get(key);
    if (!rows)
      this.rowsOf.set(key, (rows = [...new Set([row, ...this.laterRows.get(key)!])].sort((a, b) => a - b)));
    const others = rows.filter((r) => r !== row);
    return duplicateProblem(row, column, number, others, ': none of these rows was imported');
  }
}

/**
 * The problem of a number on more than one row: `others` are the rows that carry it besides `row` (none
 * known: "an earlier row"). The same code and wording as the file reader's (`formats/rows.ts`).
 */
export function duplicateProblem(
  row: number,
  column: string,
  number: string,
  others: readonly number[],
  outcome = '',
): RowProblem {
  const where =
    others.length === 0
      ? 'appears on an earlier row too'
      : `is the same number as row${others.length === 1 ? '' : 's'} ${others.join(', ')}`;
  return {
    row,
    column,
    field: 'number',
    value: number,
    code: 'duplicate_in_file',
    reason: `${where} (numbers are unique in the file)${outcome}`,
  };
}

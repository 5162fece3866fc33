/**
 * A number on more than one row of a file imported with `--skip-invalid` (SYNC.md §10.5: shuffling the
 * rows changes nothing). Read once, the first of the rows was imported and the later ones refused, so
 * which one counted depended on their order. Now such a run, on meeting a repeated number, stops and
 * starts again from a fresh read of the source (`RemoteSnapshot.reopen`), refusing every row of each
 * repeated number: their record is present (not deleted) and stays as it was. Only runs that meet a
 * repeated number read twice; a source that cannot be read again keeps the first row.
 *
 * `SnapshotNumbers` is a run's bookkeeping of numbers met twice, on either read; `RepeatedNumbers` what
 * the second read knows from the first.
 */
import { KeyMap } from '../core/key-map.js';
import type { RemoteRow, RemoteSnapshot, RowProblem } from '../core/port.js';

/** Thrown out of the first read: the numbers it found repeated, each with its later rows. */
export class RepeatedNumbersFound extends Error {
  constructor(readonly laterRows: ReadonlyMap<string, readonly number[]>) {
    super('repeated numbers: the run starts again');
  }
}

/** A run's numbers met on more than one row, with the problems it reports for them. */
export class SnapshotNumbers {
  private readonly column: string;
  /**
   * The numbers of new records met so far, with their rows, for a source that does not refuse a number
   * on two rows itself (a live ERP: "0042" and "42" are two codes there and one number here). The file
   * reader does (`formats/rows.ts`), and a million numbers need not be held twice.
   */
  private readonly newKeys: KeyMap | undefined;
  /** Repeated numbers met, with their later rows; only on a first read of a source read again. */
  private readonly found: Map<string, number[]> | undefined;

  constructor(
    snapshot: RemoteSnapshot,
    skipInvalid: boolean,
    /** On a second read: what the first one found. */
    private readonly repeated?: RepeatedNumbers,
  ) {
    this.column = snapshot.numberColumn ?? 'number';
    this.newKeys = snapshot.uniqueNumbers ? undefined : new KeyMap();
    this.found = skipInvalid && snapshot.reopen && !repeated ? new Map() : undefined;
  }

  /** Whether this is a second read, which refuses every row of the numbers the first one found. */
  get rereading(): boolean {
    return this.repeated !== undefined;
  }

  /** On a second read: the problems of `row` when its number (`key`) is one found repeated, else none. */
  refusal(key: string, row: RemoteRow, number: string): RowProblem[] | undefined {
    if (!this.repeated?.has(key)) return undefined;
    const others = row.problems.filter((p) => p.code !== 'duplicate_in_file');
    return [...others, this.repeated.problem(key, row.row, number, this.column)];
  }

  /** A new record's number (`key`, on row `row`): its problem when an earlier row had it already. */
  newRecord(key: string, row: number, number: string): RowProblem | undefined {
    if (!this.newKeys) return undefined;
    const first = this.newKeys.get(key);
    if (first !== undefined) return this.repeat(key, row, number, first);
    this.newKeys.set(key, row);
    return undefined;
  }

  /**
   * A number met again on row `row` (first on row `first`, when known), found by the run when the first
   * row was not checked again (unchanged): the same problem as the file reader's (`formats/rows.ts`).
   */
  repeat(key: string, row: number, number: string, first: number | undefined): RowProblem {
    this.note(key, row);
    return duplicateProblem(row, this.column, number, first === undefined ? [] : [first]);
  }

  /** The source found `key` repeated on `row` itself: noted for a second read. */
  note(key: string, row: number): void {
    if (!this.found) return;
    const rows = this.found.get(key);
    if (rows) rows.push(row);
    else this.found.set(key, [row]);
  }

  /** After the first read: throws when it found repeated numbers and the source can be read again. */
  startOverIfRepeated(): void {
    if (this.found?.size) throw new RepeatedNumbersFound(this.found);
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
function duplicateProblem(
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
    ...(others.length > 0 ? { params: { rows: others.join(', ') } } : {}),
  };
}

/**
 * The file remote side: a CSV or XLSX file is a complete snapshot of the remote records (SYNC.md §6),
 * read-only. Adapts `formats` to the port in `core/port.ts`.
 */
import type { EntityKind } from '../../core/fields.js';
import type { Connector, RemoteRow, RemoteSnapshot, SnapshotWarning } from '../../core/port.js';
import type { NumberOptions } from '../../core/compare.js';
import type { FileType } from '../../formats/file-type.js';
import { standardFileType } from '../../formats/file-type.js';
import type { LazyRow, ReadInput } from '../../formats/read.js';
import type { ReadRow } from '../../formats/rows.js';
import { readRecords } from '../../formats/read.js';

export interface FileSource {
  readonly input: ReadInput;
  readonly entity: EntityKind;
  /** The integration's custom file type; absent: the standard format. */
  readonly fileType?: FileType;
  /** XLSX: the worksheet, overriding the file type's. */
  readonly sheet?: string;
  readonly numbers: NumberOptions;
  readonly name?: string;
}

/** At most this many distinct warnings are kept; the rest are counted. */
const MAX_WARNINGS = 200;

export function fileConnector(source: FileSource): Connector {
  return {
    entity: source.entity,
    capabilities: { fullRead: true, incrementalRead: false, write: false },
    readFull: () => openFileSnapshot(source),
  };
}

export async function openFileSnapshot(source: FileSource): Promise<RemoteSnapshot> {
  const base = source.fileType ?? standardFileType(source.entity);
  const fileType: FileType = source.sheet ? { ...base, sheet: source.sheet } : base;
  const file = await readRecords(source.input, {
    fileType,
    numbers: source.numbers,
    ...(source.name ? { name: source.name } : {}),
  });
  const warnings: SnapshotWarning[] = file.header.warnings.map((w) => ({
    code: w.code,
    row: file.header.row,
    column: w.column,
    value: '',
    message: w.column ? `${file.name}, column "${w.column}": ${w.message}` : `${file.name}: ${w.message}`,
  }));
  let more = 0;
  const push = (warning: SnapshotWarning): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(warning);
    else if (++more === 1)
      warnings.push({
        code: 'more_warnings',
        row: null,
        column: '',
        value: '',
        message: '… more warnings were left out',
      });
  };
  const warn = (row: ReadRow): void => {
    for (const w of row.warnings)
      push({
        code: w.code,
        row: w.row,
        column: w.column,
        value: w.value,
        message: `row ${w.row}, column "${w.column}": "${w.value}" ${w.reason}`,
        ...(w.readAs !== undefined ? { readAs: w.readAs } : {}),
      });
  };
  /** After the last row: the totals rows passed over, and empty yes/no cells read as "no". */
  const warnTotals = (): void => {
    for (const t of file.totals)
      push({
        code: 'totals_row',
        row: t.row,
        column: '',
        value: t.text,
        message: `row ${t.row}: "${t.text}" sums up the rows above it and was not read`,
      });
    const empty = file.emptyAsNo();
    if (empty)
      push({
        code: 'empty_as_no',
        row: empty.rows[0] ?? null,
        column: empty.column,
        value: '',
        message: `column "${empty.column}": ${empty.count} empty cell${empty.count === 1 ? ' was' : 's were'} read as "no" (row ${empty.rows.join(', ')}${empty.count > empty.rows.length ? ', …' : ''}); the column says yes/no elsewhere, and an empty cell means "no" (FORMATS.md: x / empty)`,
      });
  };
  const numberColumn = file.header.columns.find((c) => c.field === 'number')?.header;
  return {
    fields: file.header.fields,
    warnings,
    ...(numberColumn ? { numberColumn } : {}),
    // A CSV's bytes read tell the share of its rows read; an XLSX's do not: its reader takes the
    // compressed parts in large steps far ahead of the rows (all the bytes at half the rows of a
    // 30,000-row sheet), so a bar would stand full while most rows are still to come. Rows alone, then.
    ...(file.format === 'csv' ? { progress: () => file.progress() } : {}),
    reopen: () => openFileSnapshot(source), // a path or bytes: read again from the start
    uniqueNumbers: true, // the reader's duplicate check (`formats/rows.ts`)
    async *rows(): AsyncGenerator<RemoteRow> {
      for await (const lazy of file.lazyRows()) yield new LazyRemoteRow(lazy, warn);
      warnTotals();
    },
    async *batches(): AsyncGenerator<RemoteRow[]> {
      for await (const batch of file.lazyBatches()) yield batch.map((lazy) => new LazyRemoteRow(lazy, warn));
      warnTotals();
    },
  };
}

/** A row whose values are parsed and checked only when a run asks for them (not for unchanged rows). */
class LazyRemoteRow implements RemoteRow {
  private checked: ReadRow | undefined;
  constructor(
    private readonly lazy: LazyRow,
    private readonly onChecked: (row: ReadRow) => void,
  ) {}

  get row(): number {
    return this.lazy.row;
  }
  get fingerprint(): string {
    return this.lazy.fingerprint;
  }
  get number(): string {
    return this.lazy.number;
  }
  get values(): ReadRow['values'] {
    return this.result().values;
  }
  get problems(): ReadRow['problems'] {
    return this.result().problems;
  }

  private result(): ReadRow {
    if (!this.checked) {
      this.checked = this.lazy.check();
      this.onChecked(this.checked);
    }
    return this.checked;
  }
}

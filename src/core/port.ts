/**
 * The port every remote side implements (files now, live ERPs next). Types only, in `core` so that
 * connectors (which implement it) and `sync` (which uses it) both depend inward.
 */
import type { EntityKind, FieldName, FieldValues } from './fields.js';

/** A row the source could not accept, with what and where. */
export interface RowProblem {
  /** 1-based row as the user sees it (the header is row 1 in a file). */
  readonly row: number;
  /** The column header as written in the file, or the remote field name. */
  readonly column: string;
  readonly field: FieldName | null;
  readonly value: string;
  readonly code: string;
  readonly reason: string;
  /** A warning: the value as it was read ("DE" for "Deutschland"). */
  readonly readAs?: string;
  /**
   * What the reason says beyond its code, for a wording in another language: `max` and `unit`
   * (`characters`, `digits`) of a value too long, `rows` a repeated number is on too, `cells` and
   * `columns` of a record with too few cells.
   */
  readonly params?: Readonly<Record<string, string>>;
}

/**
 * Something read but not taken as written: a column ignored (`unknown_header`, `empty_header`; `row` is
 * the header's), a value read with a guess (`country_alias`: "UK" as GB), a row that sums up the
 * others (`totals_row`: "Summe"), or `more_warnings` when the rest were left out. `message` is the English sentence; `code` is what other languages are worded from.
 */
export interface SnapshotWarning {
  readonly code: string;
  readonly row: number | null;
  readonly column: string;
  readonly value: string;
  readonly message: string;
  /** A value read with a guess: what it was read as. */
  readonly readAs?: string;
}

export interface RemoteRow {
  readonly row: number;
  /**
   * A digest of the row as the source holds it; equal digests mean equal values. With `number`, it
   * lets a run recognise an unchanged row without reading `values` (which a source may compute lazily).
   */
  readonly fingerprint?: string;
  /** The row's number as written, available before the row is checked. */
  readonly number?: string;
  /** Canonical values of the fields the source carries. */
  readonly values: FieldValues;
  /** Empty when the row is valid. */
  readonly problems: readonly RowProblem[];
}

/** A complete listing of the remote side: deletions may be inferred from what it lacks (SYNC.md §6). */
export interface RemoteSnapshot {
  /** The fields the source carries (a file's columns). */
  readonly fields: readonly FieldName[];
  /** How the source names the number column (a file's header), for problems the run reports. */
  readonly numberColumn?: string;
  /** Warnings about the whole source (unknown headers, values read with a guess). */
  readonly warnings: readonly SnapshotWarning[];
  rows(): AsyncIterable<RemoteRow>;
  /** The same rows in the source's own batches, when it has them: less per-row overhead for a run. */
  batches?(): AsyncIterable<readonly RemoteRow[]>;
  /** How far reading has come, 0 … 1, when the source knows its size. */
  progress?(): number;
  /**
   * The same source from its start, when it can be read again: a run with `skipInvalid` that meets a
   * number on two rows reads it twice, to refuse all of them (`sync/repeated-numbers.ts`).
   */
  reopen?(): Promise<RemoteSnapshot>;
  /** The source itself refuses a number on two rows (the file reader does); else the run checks. */
  readonly uniqueNumbers?: boolean;
}

export interface ConnectorCapabilities {
  /** Reads return a complete listing (files, ERP id listings). */
  readonly fullRead: boolean;
  /** Reads of what changed since a point in time (ERPs). */
  readonly incrementalRead: boolean;
  /** Creates, updates and deletes can be sent (ERPs; never a file). */
  readonly write: boolean;
}

export interface Connector {
  readonly entity: EntityKind;
  readonly capabilities: ConnectorCapabilities;
  readFull(): Promise<RemoteSnapshot>;
}

/** How a live remote side names one record: its own id, the number it carries, and its version. */
export interface RemoteRef {
  /** The remote system's id (Tryton: the record id), the key for writes. */
  readonly id: string;
  /** The record's number as the remote side holds it (Tryton: the party code). */
  readonly number: string;
  /** An opaque version for optimistic concurrency (Tryton: `_timestamp`). */
  readonly version: string;
}

/** One record read from a live remote side, with canonical values (or the problems of reading them). */
export interface RemoteRecord extends RemoteRef {
  /**
   * The version as a complete listing shows it. `version` may say more (Tryton: the versions of the
   * addresses and contact mechanisms too, which do not move the party's own); a listing that shows this
   * value again means the record did not change by itself.
   */
  readonly listedVersion: string;
  readonly values: FieldValues;
  readonly problems: readonly RowProblem[];
}

/** What changed since a watermark, and the watermark to ask from next time (taken from server values). */
export interface ChangedRecords {
  readonly records: readonly RemoteRecord[];
  readonly watermark: string | null;
}

/** Values to write to a remote record; `''` clears a field. */
export type RemotePatch = Partial<Record<FieldName, string>>;

/**
 * A live remote side (an ERP): complete listings of ids for deletions, incremental reads for changes, and
 * writes guarded by the version last read. A write whose version is stale fails with `remote_changed`;
 * the caller re-reads and reconciles again, never overwrites blindly.
 */
export interface LiveConnector extends Connector {
  /** The fields this remote side can hold (SYNC.md §3 fields it maps). */
  readonly fields: readonly FieldName[];
  /** Every record of the entity, with its number and version: the complete listing (SYNC.md §6). */
  listAll(): Promise<RemoteRef[]>;
  /** Records created or changed at or after `since` (null: all), with the next watermark. */
  readChanged(since: string | null): Promise<ChangedRecords>;
  /** Read these records now; ids that are gone are left out. */
  read(ids: readonly string[]): Promise<RemoteRecord[]>;
  /** The newest create/write date on the remote side (its own clock): the watermark after a complete read. */
  latestChange(): Promise<string | null>;
  /** The records carrying these numbers (the idempotency key of creates). */
  findByNumbers(numbers: readonly string[]): Promise<RemoteRecord[]>;
  /** Create records in one request (all or none); returns them as read back, in order. */
  create(records: readonly FieldValues[]): Promise<RemoteRecord[]>;
  update(ref: Pick<RemoteRef, 'id' | 'version'>, patch: RemotePatch): Promise<RemoteRecord>;
  /** Delete, or deactivate (employees: end the employment), guarded by the version. */
  remove(ref: Pick<RemoteRef, 'id' | 'version'>, how: 'delete' | 'deactivate', today: string): Promise<void>;
  close(): Promise<void>;
}

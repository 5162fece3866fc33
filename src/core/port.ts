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
  readonly warnings: readonly string[];
  rows(): AsyncIterable<RemoteRow>;
  /** How far reading has come, 0 … 1, when the source knows its size. */
  progress?(): number;
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

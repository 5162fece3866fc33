/**
 * What a run is asked to do and what it reports (SYNC.md §6): the shapes the CLI, the API and the web
 * app read an import's or a live round's outcome in.
 */
import type { FieldName } from '../core/fields.js';
import type { RowProblem, SnapshotWarning } from '../core/port.js';
import type { Deletions } from './deletions.js';
import type { Counts } from './overview.js';

export interface RunOptions {
  readonly dryRun?: boolean;
  readonly skipInvalid?: boolean;
  readonly confirmDeletes?: boolean;
  /** Called now and then with rows read so far and the fraction of the source read (if known). */
  readonly onProgress?: (rows: number, fraction: number | undefined) => void;
  /** A name for the report (the file's name). */
  readonly source?: string;
  /** A round with a live ERP, not a file: the audit's reasons say so. */
  readonly live?: boolean;
}

/** One planned or applied change, for the report and the dry-run preview. */
export interface PlannedChange {
  readonly itemId: number | null;
  readonly number: string;
  readonly change: 'new' | 'linked' | 'updated' | 'deleted' | 'removed' | 'conflict';
  /**
   * A conflict's fields; otherwise the fields the run changes: the local record's it writes and the
   * remote record's that the row changed (an update of a remote-only record changes only those).
   */
  readonly fields?: readonly FieldName[];
  /** A conflict's other fields, taken into the registry beside it (SYNC.md §5 merges them). */
  readonly merged?: readonly FieldName[];
}

export interface RunReport {
  readonly integration: string;
  readonly source: string;
  readonly dryRun: boolean;
  readonly rows: { read: number; valid: number; invalid: number; unchanged: number };
  readonly changes: {
    new: number;
    linked: number;
    updated: number;
    conflicts: number;
    deleted: number;
    removed: number;
    localFieldsChanged: number;
  };
  /** The first `MAX_PROBLEMS` row problems, in file order. */
  readonly problems: readonly RowProblem[];
  /** Every row problem found, listed or not. */
  readonly problemCount: number;
  readonly warnings: readonly SnapshotWarning[];
  readonly planned: readonly PlannedChange[];
  readonly counts: Counts;
  readonly changeSet: number | null;
  /** A dry run the mass-delete guard would stop: a real run needs `confirmDeletes` (see deletions.ts). */
  readonly deleteGuard: Deletions['guard'];
}

/** A run keeps this many row problems for its report (memory stays bounded); `problemCount` counts all. */
export const MAX_PROBLEMS = 1000;

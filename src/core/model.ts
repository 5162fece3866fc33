/**
 * The engine's vocabulary (SYNC.md §2, §4, §5): categories, field rules, and the state of one overview
 * item as the pure engine sees it.
 */
import type { EntityKind, FieldName, FieldValues } from './fields.js';
import type { NumberOptions } from './compare.js';

/** SYNC.md §4, in the order the overview shows them. */
export const CATEGORIES = ['conflict', 'new', 'deleted', 'disabled', 'synced', 'inactive'] as const;
export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

/** SYNC.md §5 field rules; `two-way` is the default. */
/** The actions of SYNC.md §7 on an item (partner-all is a bulk form of `partner`). */
export const ACTIONS = [
  'resolve',
  'partner',
  'link',
  'unlink',
  'disable',
  'enable',
  'delete',
  'restore',
  'reactivate',
] as const;
export type ActionName = (typeof ACTIONS)[number];

export const FIELD_RULES = [
  'two-way',
  'prefer-local',
  'prefer-remote',
  'prefer-local-unless-empty',
  'prefer-remote-unless-empty',
  'ignore',
] as const;
export type FieldRule = (typeof FIELD_RULES)[number];

export const SIDES = ['local', 'remote'] as const;
export type Side = (typeof SIDES)[number];

/**
 * Per field, the last value seen on each side when the link last agreed (SYNC.md §2). A field absent
 * from `local` has no baseline yet (SYNC.md §5 "no baseline").
 */
export interface Baseline {
  readonly local: FieldValues;
  readonly remote: FieldValues;
}

export const EMPTY_BASELINE: Baseline = { local: {}, remote: {} };

export interface LocalSide {
  readonly values: FieldValues;
  /** Deleted in the registry (never purged). */
  readonly archived: boolean;
}

export interface RemoteSide {
  /** For a deleted remote record: the values last seen. */
  readonly values: FieldValues;
  /** Gone from the latest complete snapshot / deleted in the ERP. */
  readonly deleted: boolean;
}

/**
 * One overview item: a link (`linked`, with both sides or one gone) or one unlinked record. An unlinked
 * item has exactly one side.
 */
export interface ItemState {
  readonly local: LocalSide | null;
  readonly remote: RemoteSide | null;
  readonly linked: boolean;
  /** For links: false when the administrator disabled sync for this item. */
  readonly syncEnabled: boolean;
  /** For unlinked records: marked "do not sync" in this integration. */
  readonly doNotSync: boolean;
  readonly baseline: Baseline;
}

/** What the engine needs to know about the integration and the moment (it never reads a clock). */
export interface ReconcileContext {
  readonly kind: EntityKind;
  /** The fields compared in this integration: what the remote side carries, less ignored ones. */
  readonly fields: readonly FieldName[];
  readonly rules: Readonly<Partial<Record<FieldName, FieldRule>>>;
  readonly writable: boolean;
  readonly numbers: NumberOptions;
  /** ISO date of today, for "employed until in the past". */
  readonly today: string;
}

/** A value to write to one side. */
export type Patch = Partial<Record<FieldName, string>>;

/** What reconciling one item decides. Applying it is the caller's business. */
export interface Outcome {
  readonly category: Category;
  /** Fields in conflict, in catalogue order. */
  readonly conflicts: readonly FieldName[];
  /** Values to set in the registry. */
  readonly localPatch: Patch;
  /** Values to send to a writable remote side (through the outbox). */
  readonly remotePatch: Patch;
  /** The baseline after the outcome is applied (remote part moves for pushed values only on confirmation). */
  readonly baseline: Baseline;
  /** Both records of a link are gone: the link retires. */
  readonly retire: boolean;
}

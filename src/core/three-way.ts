/**
 * The per-field decision of SYNC.md §5: given the values now and the baseline, what happens to one field
 * of a link. Pure and small, so that every row of the table has its own test.
 */
import type { FieldRule } from './model.js';

/** The four values of one field, as compare keys; `lastLocal`/`lastRemote` undefined = no baseline yet. */
export interface FieldInputs {
  readonly local: string;
  readonly remote: string;
  readonly lastLocal: string | undefined;
  readonly lastRemote: string | undefined;
}

export const FIELD_DECISIONS = [
  /** Both sides hold the same value (or an accepted difference stays accepted). */
  'keep',
  /** Copy the remote value to the local side. */
  'take-remote',
  /** Send the local value to the remote side (only decided when the remote side is writable). */
  'push-local',
  /** The local value differs and the remote side cannot take it: local is ahead of the file. */
  'local-ahead',
  'conflict',
] as const;
export type FieldDecision = (typeof FIELD_DECISIONS)[number];

const localWins = (i: FieldInputs, writable: boolean): FieldDecision =>
  i.local === i.remote ? 'keep' : writable ? 'push-local' : 'local-ahead';
const remoteWins = (i: FieldInputs): FieldDecision => (i.local === i.remote ? 'keep' : 'take-remote');

const RULES: Record<
  Exclude<FieldRule, 'two-way' | 'ignore'>,
  (i: FieldInputs, writable: boolean) => FieldDecision
> = {
  'prefer-local': localWins,
  'prefer-remote': remoteWins,
  'prefer-local-unless-empty': (i, w) =>
    i.local === '' && i.remote !== '' ? 'take-remote' : localWins(i, w),
  'prefer-remote-unless-empty': (i, w) =>
    i.remote === '' && i.local !== '' ? localWins(i, w) : remoteWins(i),
};

/** SYNC.md §5: the outcome for one field under `rule` (`ignore` fields are never passed here). */
export function decideField(
  i: FieldInputs,
  rule: Exclude<FieldRule, 'ignore'>,
  writable: boolean,
): FieldDecision {
  if (rule !== 'two-way') return RULES[rule](i, writable);
  if (i.lastLocal === undefined || i.lastRemote === undefined) return firstLink(i, writable);
  const localChanged = i.local !== i.lastLocal;
  const remoteChanged = i.remote !== i.lastRemote;
  if (!localChanged && !remoteChanged) return 'keep';
  if (!localChanged) return 'take-remote';
  if (!remoteChanged) return writable ? 'push-local' : 'local-ahead';
  return i.local === i.remote ? 'keep' : 'conflict';
}

/** No baseline yet: equal → agreed; one side empty → fill it from the other; else conflict. */
function firstLink(i: FieldInputs, writable: boolean): FieldDecision {
  if (i.local === i.remote) return 'keep';
  if (i.local === '') return 'take-remote';
  if (i.remote === '') return writable ? 'push-local' : 'local-ahead';
  return 'conflict';
}

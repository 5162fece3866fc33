/**
 * An archived record's SSN is wiped (SYNC.md §3: "sensitive data must not outlive the employment"), and
 * not only from the record: the agreed baselines of its links and its history held it too. What the
 * remote side holds now (the payroll's current row, shown while the payroll lists the person) is not the
 * registry's to erase; what Abgleich remembers of the record on its own is.
 *
 * The history keeps every entry (that the SSN changed, when, by whom), with the values taken out: a
 * field entry of `ssn` holds nothing on either side, and snapshots (an item's state, a removed item, a
 * remote record, a baseline) lose their `ssn`. Undoing the archive then cannot bring the number back;
 * restoring the record takes it again from the payroll where the payroll has it (the baseline no longer
 * says both sides agreed on it).
 */
import type { LocalRecord } from '../store/records.js';
import { rewriteSnapshot } from './history.js';
import { writeLocal } from './items.js';
import type { Unit } from './unit.js';

const FIELD = 'ssn';

/**
 * The SSN of `local`, being archived, goes: from the record and its baselines now, from its history when
 * the unit ends (`Unit.finish`). `reason` is the record's audit entry's.
 */
export async function wipeSsn(
  unit: Unit,
  local: LocalRecord,
  itemId: number | null,
  reason: string,
): Promise<void> {
  if (local.values.ssn) await writeLocal(unit, local, { ssn: '' }, itemId, reason);
  unit.forgetSsnHistoryOf(local.id, await forgetBaselineSsn(unit, local.id));
}

/**
 * Take the SSN out of the baselines of `localId`'s items now, before they are reconciled: with the number
 * gone from the local side, a baseline still holding it would read as a local deletion for the remote side.
 */
async function forgetBaselineSsn(unit: Unit, localId: number): Promise<number[]> {
  const items = await unit.db
    .selectFrom('item')
    .select(['id', 'baseline', 'version'])
    .where('local_id', '=', localId)
    .execute();
  for (const item of items) {
    const baseline = withoutSsn(item.baseline);
    if (baseline === item.baseline) continue;
    await unit.db
      .updateTable('item')
      .set({ baseline, version: item.version + 1, updated_at: unit.now })
      .where('id', '=', item.id)
      .execute();
  }
  return items.map((item) => item.id);
}

/**
 * Take the SSN out of every history entry of `localId` and of `itemIds`, its items when it was archived
 * (one may be gone by now: a link that retired with the deletion). Called by `Unit.finish` after its
 * last flush: entries still in the unit's buffer are not in the table yet.
 */
export async function forgetSsnHistory(
  unit: Unit,
  localId: number,
  itemIds: readonly number[],
): Promise<void> {
  const entries = await unit.db
    .selectFrom('audit')
    .select(['id', 'field', 'old_value', 'new_value'])
    .where('workspace_id', '=', unit.workspace)
    .where((eb) =>
      eb.or([eb('local_id', '=', localId), ...(itemIds.length > 0 ? [eb('item_id', 'in', itemIds)] : [])]),
    )
    .execute();
  for (const e of entries) {
    const old_value = e.field === FIELD ? blank(e.old_value) : withoutSsn(e.old_value);
    const new_value = e.field === FIELD ? blank(e.new_value) : withoutSsn(e.new_value);
    if (old_value === e.old_value && new_value === e.new_value) continue;
    await unit.db.updateTable('audit').set({ old_value, new_value }).where('id', '=', e.id).execute();
  }
}

const blank = (value: string | null): string | null => (value === null ? null : '');

/** `text` without the SSN, if it is a snapshot that holds one at any depth (`rewriteSnapshot`). */
export function withoutSsn(text: string | null): string | null {
  if (text === null || !text.includes(FIELD)) return text;
  return rewriteSnapshot(text, (key, value) => (key === FIELD ? undefined : value));
}

/**
 * Which records an undo leaves standing (SYNC.md §8): a record the undone change created goes away
 * again, unless somebody changed it since. Undoing the change itself is `undo.ts`.
 */
import type { FieldName } from '../core/fields.js';
import { auditPages } from '../store/keyset.js';
import type { LocalRecord } from '../store/records.js';
import { findLocalByIds } from '../store/records.js';
import type { AuditRow } from '../store/schema.js';
import { remoteValuesOf } from './items.js';
import type { Unit } from './unit.js';
import type { UndoConflict } from './undo.js';

/**
 * The records change set `changeSet` created (in the registry or as partners) whose values differ now
 * from what the change left — edited, or archived, since. Each is reported to `conflict` per field; undo
 * leaves it and everything the change did to it (its link, its items) as it is.
 *
 * Two walks over the change's entries, a page at a time: the first notes what the change itself wrote
 * to a record after creating it, the second compares each created record with what the change left.
 */
export async function keptCreations(
  unit: Unit,
  changeSet: number,
  conflict: (c: UndoConflict) => void,
): Promise<Set<number>> {
  const createdAt = new Map<number, number>(); // local id → its creation entry
  const laterWrites = new Map<number, Record<string, string>>();
  for await (const page of auditPages(unit.db, changeSet, 'asc')) {
    for (const e of page) {
      if (e.local_id === null) continue;
      if (e.target === 'local-created' || e.target === 'partner-created') createdAt.set(e.local_id, e.id);
      else if (e.target === 'local' && e.field && createdAt.has(e.local_id)) {
        let writes = laterWrites.get(e.local_id);
        if (!writes) laterWrites.set(e.local_id, (writes = {}));
        writes[e.field] = e.new_value ?? '';
      }
    }
  }
  const kept = new Set<number>();
  if (createdAt.size === 0) return kept;
  for await (const page of auditPages(unit.db, changeSet, 'asc')) {
    const creations = page.filter(
      (e) => e.local_id !== null && createdAt.get(e.local_id) === e.id,
    ) as (AuditRow & { local_id: number })[];
    const locals = await findLocalByIds(
      unit.db,
      creations.map((e) => e.local_id),
    );
    for (const e of creations) {
      const local = locals.get(e.local_id);
      if (!local) continue;
      // What the change left: the values it created, then its own later writes to the record.
      const left: Record<string, string> = {
        ...(await createdValues(unit, e, local)),
        ...laterWrites.get(e.local_id),
      };
      const fields = [...new Set([...Object.keys(left), ...Object.keys(local.values)])].filter(
        (f) => (left[f] ?? '') !== (local.values[f as FieldName] ?? ''),
      );
      const report = (field: string, expected: string | null, now: string | null) =>
        conflict({ auditId: e.id, itemId: e.item_id, localId: e.local_id, field, expected, now });
      for (const field of fields) report(field, left[field] ?? '', local.values[field as FieldName] ?? '');
      if (local.archivedAt !== null) report('archived', null, local.archivedAt);
      if (fields.length > 0 || local.archivedAt !== null) kept.add(e.local_id);
    }
  }
  return kept;
}

/**
 * The values a creation entry's record was made with: a registry creation records them; a partner
 * created by "create all partners" (which writes a million of these entries) was made from its item's
 * remote record and is unchanged while its version is the first — else its remote record's values as
 * they are now stand for them (a remote change that flowed in since is no edit).
 */
async function createdValues(unit: Unit, e: AuditRow, local: LocalRecord): Promise<Record<string, string>> {
  if (e.target === 'local-created') return JSON.parse(e.new_value ?? '{}') as Record<string, string>;
  if (local.version === 1) return { ...local.values };
  const row =
    e.item_id === null
      ? undefined
      : await unit.db.selectFrom('item').select('remote_data').where('id', '=', e.item_id).executeTakeFirst();
  const remote = row ? remoteValuesOf(row) : null;
  return remote ? { active: 'true', ...remote } : { ...local.values };
}

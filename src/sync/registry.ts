/**
 * The local registry (SYNC.md §3): create, edit, archive, restore employees and customers. Every change is
 * audited and re-classifies the record's items in every integration at once.
 */
import type { EntityKind, FieldName, FieldValues } from '../core/fields.js';
import { findFieldDef, FIELDS_OF } from '../core/fields.js';
import { fail } from '../core/errors.js';
import type { Patch } from '../core/model.js';
import { checkRecord, parseValue } from '../core/values.js';
import { numberKey } from '../core/compare.js';
import type { Executor } from '../store/executor.js';
import type { LocalRecord } from '../store/records.js';
import { findLocalByNumberKey, toLocalRecord } from '../store/records.js';
import { writeLocal } from './items.js';
import { addItemsForLocal, reclassifyLocals } from './local-items.js';
import { wipeSsn } from './forget.js';
import { toIntegration } from './integrations.js';
import type { Unit } from './unit.js';

export interface FieldError {
  readonly field: string;
  readonly value: string;
  readonly code: string;
  readonly reason: string;
}

/** Parse raw values by field; unknown fields and invalid values are refused together, naming each. */
export function parseFields(kind: EntityKind, raw: Readonly<Record<string, string>>): Patch {
  const errors: FieldError[] = [];
  const patch: Patch = {};
  for (const [field, value] of Object.entries(raw)) {
    const def = findFieldDef(kind, field);
    if (!def) {
      errors.push({ field, value, code: 'unknown_field', reason: `is no field of ${kind}s` });
      continue;
    }
    const parsed = parseValue(def, value);
    if (parsed.ok) patch[def.name] = parsed.value;
    else errors.push({ field, value, code: parsed.code, reason: parsed.message });
  }
  if (errors.length > 0) {
    const said = (e: FieldError) =>
      e.code === 'unknown_field' ? `"${e.field}" ${e.reason}` : `${e.field} "${e.value}" ${e.reason}`;
    fail('validation_failed', errors.map(said).join('; '), {
      fields: errors,
    });
  }
  return patch;
}

/** Values taken with a guess (SYNC.md §3: "UK" read as GB), as the user should be told: `country "UK" was read as GB`. */
export function valueWarnings(kind: EntityKind, raw: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [field, value] of Object.entries(raw)) {
    const def = findFieldDef(kind, field);
    const parsed = def ? parseValue(def, value) : undefined;
    if (parsed?.ok && parsed.warning) out.push(`${def!.name} "${value}" ${parsed.warning.message}`);
  }
  return out;
}

function checkWhole(kind: EntityKind, values: FieldValues): void {
  const problems = checkRecord(kind, values, FIELDS_OF[kind]);
  if (problems.length > 0) {
    fail('validation_failed', problems.map((p) => `${p.field} ${p.message}`).join('; '), {
      fields: problems.map((p) => ({
        field: p.field,
        value: values[p.field] ?? '',
        code: p.code,
        reason: p.message,
      })),
    });
  }
}

/** Refuse (`duplicate_number`, naming the holder) a number a live record other than `self` holds. */
export async function assertNumberFree(
  db: Executor,
  workspace: string,
  kind: EntityKind,
  number: string,
  self?: number,
): Promise<void> {
  const other = await findLocalByNumberKey(
    db,
    workspace,
    kind,
    numberKey(number, { ignoreLeadingZeros: true }),
    { archived: false },
  );
  if (other && other.id !== self) {
    fail('duplicate_number', `The ${kind} number ${number} is taken by "${other.values.name ?? ''}".`, {
      field: 'number',
      number,
      // Who holds it, for a client that words the refusal itself (the web app in the user's language).
      name: other.values.name ?? '',
    });
  }
}

export async function getRecord(
  db: Executor,
  workspace: string,
  kind: EntityKind,
  number: string,
  /** Restoring means the archived record, even when a live one holds the number again. */
  prefer: 'live' | 'archived' = 'live',
): Promise<LocalRecord> {
  const key = numberKey(number, { ignoreLeadingZeros: true });
  const order = prefer === 'live' ? [false, true] : [true, false];
  const found =
    (await findLocalByNumberKey(db, workspace, kind, key, { archived: order[0]! })) ??
    (await findLocalByNumberKey(db, workspace, kind, key, { archived: order[1]! }));
  return found ?? fail('not_found', `There is no ${kind} with number ${number}.`, { number });
}

/** Create a local record from raw values. Its items in every integration of its kind are created too. */
export async function createRecord(
  unit: Unit,
  kind: EntityKind,
  raw: Readonly<Record<string, string>>,
  reason = 'created in the registry',
): Promise<LocalRecord> {
  // A customer is a business unless it says otherwise (FORMATS.md: "default business").
  const values = parseFields(kind, kind === 'customer' ? { type: 'business', ...raw } : raw);
  checkWhole(kind, values);
  const record = await insertRecord(unit, kind, values, reason);
  await addItemsForLocal(unit, record);
  return record;
}

/** Insert already-parsed values (used by "create partner" too). */
export async function insertRecord(
  unit: Unit,
  kind: EntityKind,
  values: FieldValues,
  reason: string,
): Promise<LocalRecord> {
  const number = values.number ?? '';
  await assertNumberFree(unit.db, unit.workspace, kind, number);
  // A record is active unless it says otherwise; stored explicitly so that files written from it say so.
  const clean = { active: 'true', ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')) };
  const row = await unit.db
    .insertInto('local_record')
    .values({
      workspace_id: unit.workspace,
      kind,
      number,
      number_key: numberKey(number, { ignoreLeadingZeros: true }),
      name: values.name ?? '',
      data: JSON.stringify(clean),
      created_at: unit.now,
      updated_at: unit.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const record = toLocalRecord(row);
  await unit.audit({
    item_id: null,
    local_id: record.id,
    target: 'local-created',
    field: null,
    old_value: null,
    new_value: row.data,
    reason,
  });
  return record;
}

/** Edit fields of a record; `expectVersion` refuses a stale edit. Re-classifies its items. */
export async function editRecord(
  unit: Unit,
  record: LocalRecord,
  raw: Readonly<Record<string, string>>,
  expectVersion?: number,
): Promise<EditedRecord> {
  if (expectVersion !== undefined && expectVersion !== record.version) {
    fail(
      'stale_version',
      expectVersion < record.version
        ? `The ${record.kind} ${record.number} changed since version ${expectVersion} (now ${record.version}); nothing was changed.`
        : `The ${record.kind} ${record.number} is at version ${record.version}, not ${expectVersion}; nothing was changed.`,
      { number: record.number, version: record.version },
    );
  }
  const patch = parseFields(record.kind, raw);
  const values = { ...record.values, ...patch };
  checkWhole(record.kind, values);
  if (patch.number !== undefined && record.archivedAt === null) {
    await assertNumberFree(unit.db, unit.workspace, record.kind, patch.number, record.id);
  }
  const changed = await writeLocal(unit, record, patch, null, 'edited in the registry');
  if (changed.length > 0) await reclassifyLocals(unit, [record.id], 'edited in the registry');
  const saved = await reload(unit.db, record.id);
  return { ...saved, overridden: await overriddenByRules(unit.db, unit.workspace, saved, patch) };
}

/** An edited value that a field rule of an integration put back at once (its remote value wins there). */
export interface Overridden {
  readonly field: FieldName;
  /** The value the record holds now. */
  readonly value: string;
  /** The integrations whose rule prefers their own value of the field. */
  readonly integrations: readonly string[];
}

export type EditedRecord = LocalRecord & { readonly overridden: readonly Overridden[] };

/**
 * The fields of `patch` that the saved record does not hold: an integration's `prefer-remote` rule took
 * the remote value again as the edit re-classified its items. The edit is not refused (the rule is the
 * administrator's), but the person who typed the value is told why it did not stay.
 */
async function overriddenByRules(
  db: Executor,
  workspace: string,
  saved: LocalRecord,
  patch: Patch,
): Promise<Overridden[]> {
  const fields = (Object.keys(patch) as FieldName[]).filter(
    (f) => (saved.values[f] ?? '') !== (patch[f] ?? ''),
  );
  if (fields.length === 0) return [];
  const integrations = (
    await db
      .selectFrom('integration')
      .selectAll()
      .where('workspace_id', '=', workspace)
      .where('entity', '=', saved.kind)
      .execute()
  ).map(toIntegration);
  return fields.map((field) => ({
    field,
    value: saved.values[field] ?? '',
    integrations: integrations
      .filter((i) => (i.settings.rules[field] ?? '').startsWith('prefer-remote'))
      .map((i) => i.name),
  }));
}

/** Archive ("delete") a record: never purged, restorable; its SSN is wiped (SYNC.md §3). */
export async function archiveRecord(
  unit: Unit,
  record: LocalRecord,
  reason = 'archived in the registry',
): Promise<LocalRecord> {
  if (record.archivedAt !== null) return record;
  await wipeSsn(unit, record, null, `${reason}: SSN wiped`);
  await setArchived(unit, record.id, unit.now, reason);
  await reclassifyLocals(unit, [record.id], reason);
  return reload(unit.db, record.id);
}

export async function restoreRecord(
  unit: Unit,
  record: LocalRecord,
  reason = 'restored in the registry',
): Promise<LocalRecord> {
  if (record.archivedAt === null) return record;
  await assertNumberFree(unit.db, unit.workspace, record.kind, record.number, record.id);
  await setArchived(unit, record.id, null, reason);
  await reclassifyLocals(unit, [record.id], reason);
  return reload(unit.db, record.id);
}

export async function setArchived(
  unit: Unit,
  id: number,
  archivedAt: string | null,
  reason: string,
): Promise<void> {
  const before = await reload(unit.db, id);
  await unit.db
    .updateTable('local_record')
    .set({ archived_at: archivedAt, version: before.version + 1, updated_at: unit.now })
    .where('id', '=', id)
    .execute();
  await unit.audit({
    item_id: null,
    local_id: id,
    target: 'local-archived',
    field: null,
    old_value: before.archivedAt,
    new_value: archivedAt,
    reason,
  });
}

export async function reload(db: Executor, id: number): Promise<LocalRecord> {
  const row = await db.selectFrom('local_record').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toLocalRecord(row) : fail('not_found', `The local record ${id} no longer exists.`);
}

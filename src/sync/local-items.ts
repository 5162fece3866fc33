/**
 * Keeping local records and items together: every local record has exactly one item in every integration
 * of its kind (SYNC.md §10.1), and a local change re-classifies those items at once (SYNC.md §6).
 */
import { classifyUnlinked } from '../core/reconcile.js';
import type { CountDeltas } from '../store/counts.js';
import { adjustCounts, moveCount, tally } from '../store/counts.js';
import type { Executor } from '../store/executor.js';
import { toLocalRecord } from '../store/records.js';
import type { LocalRecord } from '../store/records.js';
import type { NewItem } from '../store/schema.js';
import { settle, withLocals } from './items.js';
import type { Settled } from './items.js';
import type { IntegrationInfo } from './settings.js';
import { contextFor } from './settings.js';
import { toIntegration } from './integrations.js';
import { linkIfWaiting, waitingRemote } from './match-waiting.js';
import type { Unit } from './unit.js';

/** A fresh item for a local record that is not in `integration` yet. */
export function localOnlyItem(integration: IntegrationInfo, local: LocalRecord, now: string): NewItem {
  const category = classifyUnlinked(
    {
      local: { values: local.values, archived: local.archivedAt !== null },
      remote: null,
      linked: false,
      syncEnabled: true,
      doNotSync: false,
      baseline: { local: {}, remote: {} },
    },
    now.slice(0, 10),
  );
  return {
    workspace_id: integration.workspace,
    integration_id: integration.id,
    local_id: local.id,
    category,
    number: local.number,
    name: local.values.name ?? '',
    updated_at: now,
  };
}

/** Create the missing items for the local records of the integration's kind. Returns how many. */
export async function ensureLocalItems(
  db: Executor,
  integration: IntegrationInfo,
  now: string,
): Promise<number> {
  let created = 0;
  // Keyset paging by id: a page that started at the first record again would pass over every record
  // given its item already, which made adding an integration beside 200,000 records take 12 s.
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom('local_record as r')
      .selectAll('r')
      .where('r.workspace_id', '=', integration.workspace)
      .where('r.kind', '=', integration.entity)
      .where('r.id', '>', after)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('item as i')
              .select('i.id')
              .whereRef('i.local_id', '=', 'r.id')
              .where('i.integration_id', '=', integration.id),
          ),
        ),
      )
      .orderBy('r.id')
      .limit(1000)
      .execute();
    if (rows.length === 0) return created;
    after = rows[rows.length - 1]!.id;
    const items = rows.map((row) => localOnlyItem(integration, toLocalRecord(row), now));
    for (let i = 0; i < items.length; i += 200)
      await db
        .insertInto('item')
        .values(items.slice(i, i + 200))
        .execute();
    const deltas: CountDeltas = new Map();
    for (const item of items) tally(deltas, item.category);
    await adjustCounts(db, integration.id, deltas);
    created += rows.length;
  }
}

/** Local ids per query: a run can touch more local records than PostgreSQL takes parameters (65,535). */
const LOCAL_CHUNK = 5000;

/**
 * Re-reconcile every item that holds one of `localIds` (in every integration but `except`), after a
 * local change. New local records get their items here too.
 */
export async function reclassifyLocals(
  unit: Unit,
  localIds: readonly number[],
  reason: string,
  except?: number,
): Promise<Settled[]> {
  if (localIds.length === 0) return [];
  const integrations = (
    await unit.db.selectFrom('integration').selectAll().where('workspace_id', '=', unit.workspace).execute()
  ).map(toIntegration);
  const out: Settled[] = [];
  for (const integration of integrations) {
    if (integration.id === except) continue;
    const ctx = contextFor(integration, unit.today);
    for (let i = 0; i < localIds.length; i += LOCAL_CHUNK) {
      const rows = await unit.db
        .selectFrom('item')
        .selectAll()
        .where('integration_id', '=', integration.id)
        .where('local_id', 'in', localIds.slice(i, i + LOCAL_CHUNK))
        .execute();
      for (const item of await withLocals(unit.db, rows)) {
        const settled = await settle(unit, ctx, item, { reason, localEdited: true });
        // Active again, restored: the remote record of its number, waiting apart, is linked now.
        out.push(await linkIfWaiting(unit, integration, item, settled));
      }
    }
  }
  return out;
}

/**
 * The local records that settling items changed in this unit (a conflict resolved with the remote value,
 * a remote change taken, a new rule applied): their items in every other integration are reconciled
 * again, so that a conflict there that the new value settles leaves the overview at once. One round:
 * what that changes in turn is not followed further (two integrations whose rules each prefer their own
 * remote side would otherwise hand a value back and forth).
 */
export async function reclassifyChangedLocals(
  unit: Unit,
  reason: (integration: string) => string,
): Promise<void> {
  const changed = unit.takeChangedLocals();
  if (changed.size === 0) return;
  await unit.flushUpdates(); // what follows reads local records
  const names = new Map(
    (
      await unit.db
        .selectFrom('integration')
        .select(['id', 'name'])
        .where('id', 'in', [...changed.keys()])
        .execute()
    ).map((r) => [r.id, r.name]),
  );
  for (const [integrationId, ids] of changed)
    await reclassifyLocals(unit, [...ids], reason(names.get(integrationId) ?? ''), integrationId);
  unit.takeChangedLocals();
}

/** Give a new local record its item in every integration of its kind. */
export async function addItemsForLocal(unit: Unit, local: LocalRecord): Promise<void> {
  const integrations = await unit.db
    .selectFrom('integration')
    .selectAll()
    .where('workspace_id', '=', unit.workspace)
    .where('entity', '=', local.kind)
    .execute();
  for (const row of integrations) {
    const exists = await unit.db
      .selectFrom('item')
      .select('id')
      .where('integration_id', '=', row.id)
      .where('local_id', '=', local.id)
      .executeTakeFirst();
    if (exists) continue;
    const integration = toIntegration(row);
    if (await linkByNumber(unit, integration, local)) continue;
    const item = localOnlyItem(integration, local, unit.now);
    await unit.db.insertInto('item').values(item).execute();
    await moveCount(unit.db, row.id, null, item.category);
  }
}

/**
 * Matching (SYNC.md §6) for a record that appears after the remote one: a new local record whose number
 * an unlinked remote-only item carries is linked to it at once, as the next run would have linked them
 * had the record come first (that run skips the remote row as unchanged). Both must be active, neither
 * archived, deleted or marked "do not sync". Returns whether it linked.
 */
async function linkByNumber(unit: Unit, integration: IntegrationInfo, local: LocalRecord): Promise<boolean> {
  const ctx = contextFor(integration, unit.today);
  const row = await waitingRemote(unit, integration.id, local, ctx.numbers);
  if (!row) return false;
  await settle(
    unit,
    ctx,
    { row, local },
    { cols: { local_id: local.id, linked: 1, sync_enabled: 1, baseline: null }, reason: 'linked by number' },
  );
  return true;
}

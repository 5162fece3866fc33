/**
 * The push half of a live sync round (SYNC.md §6, docs/tryton.md): deliver the outbox — creates in
 * batches made idempotent by the number, updates, deactivations and deletions — each write guarded by the
 * version last read and confirmed by reading the record back. The pull half is `live-sync.ts`.
 */
import { AbgleichError } from '../core/errors.js';
import type { FieldValues } from '../core/fields.js';
import type { LiveConnector, RemoteRecord } from '../core/port.js';
import { numberKey } from '../core/compare.js';
import type { App } from './app.js';
import type { Item } from './items.js';
import { loadItems, removeItem, settle } from './items.js';
import type { OutboxEntry } from './outbox.js';
import { backoffSeconds, clearWriteErrors, listOutbox } from './outbox.js';
import { hashRow } from '../formats/digest.js';
import type { IntegrationInfo } from './settings.js';
import { contextFor } from './settings.js';
import type { Unit } from './unit.js';
import { unlinkItem } from './actions.js';
import type { SyncOptions } from './live-sync.js';

export interface PushReport {
  delivered: number;
  created: number;
  updated: number;
  deleted: number;
  deactivated: number;
  /** Refused because the remote record changed meanwhile: read again and reconciled. */
  reread: number;
  /** Kept for a later try (network, 5xx, 429). */
  retrying: number;
  /** Refused by the ERP for good; the item shows the ERP's message. */
  failed: number;
  errors: { itemId: number; op: string; error: string }[];
}

export const emptyPush = (): PushReport => ({
  delivered: 0,
  created: 0,
  updated: 0,
  deleted: 0,
  deactivated: 0,
  reread: 0,
  retrying: 0,
  failed: 0,
  errors: [],
});

const CREATE_BATCH = 200;

/**
 * Creates in one request per batch, made idempotent by the number: records the ERP already holds (a
 * create that reached it before a crash, or a record made there meanwhile) are linked, not made twice.
 * A batch the ERP refuses is retried one record at a time, so that one bad record fails alone.
 */
async function deliverCreates(
  app: App,
  integration: IntegrationInfo,
  connector: LiveConnector,
  entries: readonly OutboxEntry[],
  report: PushReport,
): Promise<void> {
  const items = new Map(
    (
      await loadItems(
        app.db.kysely,
        entries.map((e) => e.itemId),
      )
    ).map((i) => [i.row.id, i]),
  );
  const wanted: { entry: OutboxEntry; item: Item; values: FieldValues }[] = [];
  const obsolete: OutboxEntry[] = [];
  for (const entry of entries) {
    const item = items.get(entry.itemId);
    if (!item?.local || (item.row.linked === 1 && item.row.remote_deleted === 0)) obsolete.push(entry);
    else wanted.push({ entry, item, values: { ...item.local.values } });
  }
  if (obsolete.length > 0)
    await app.unit('sync', integration.id, async (unit) => {
      await unit.db
        .deleteFrom('outbox')
        .where(
          'id',
          'in',
          obsolete.map((e) => e.id),
        )
        .execute();
      // Linked meanwhile (a pull found the record the create had made before the ERP went away).
      await clearWriteErrors(
        unit.db,
        obsolete.map((e) => e.itemId),
      );
    });
  if (wanted.length === 0) return;
  let existing: RemoteRecord[];
  let created: RemoteRecord[] = [];
  const toCreate: typeof wanted = [];
  try {
    existing = await connector.findByNumbers(wanted.map((w) => w.values.number ?? ''));
    const held = new Set(existing.map((r) => r.number));
    toCreate.push(...wanted.filter((w) => !held.has(w.values.number ?? '')));
    created = await connector.create(toCreate.map((w) => w.values));
  } catch (error) {
    if (!(error instanceof AbgleichError) || error.code === 'remote_login_failed') throw error;
    // One record at a time: transient failures stop the round, a refused record fails alone.
    for (const w of wanted) {
      if (report.retrying > 0) break;
      await deliverOne(app, integration, connector, w.entry, report);
    }
    return;
  }
  const byNumber = new Map([...existing, ...created].map((r) => [r.number, r]));
  await app.unit('sync', integration.id, async (unit) => {
    for (const w of wanted) {
      const record = byNumber.get(w.values.number ?? '');
      if (!record) continue;
      await applyInUnit(
        unit,
        integration,
        connector,
        { entryId: w.entry.id, itemId: w.item.row.id, record },
        'created in the ERP',
        true,
      );
      report.created++;
      report.delivered++;
    }
  });
}

/** Deliver every due outbox entry of the integration, oldest first; creates in batches. */
export async function deliverOutbox(
  app: App,
  integration: IntegrationInfo,
  connector: LiveConnector,
  opts: Pick<SyncOptions, 'onProgress'> = {},
): Promise<PushReport> {
  const report = emptyPush();
  // Failed entries too, on their back-off: a refusal caused by data fixed since (in Tryton or here) heals.
  const due = await listOutbox(app.db.kysely, integration.id, { dueBy: app.now(), includeFailed: true });
  let done = 0;
  const creates = due.filter((e) => e.op === 'create');
  for (let i = 0; i < creates.length && report.retrying === 0; i += CREATE_BATCH) {
    const chunk = creates.slice(i, i + CREATE_BATCH);
    await deliverCreates(app, integration, connector, chunk, report);
    done += chunk.length;
    opts.onProgress?.('push', done, due.length);
  }
  for (const entry of due.filter((e) => e.op !== 'create')) {
    if (report.retrying > 0) break;
    await deliverOne(app, integration, connector, entry, report);
    opts.onProgress?.('push', ++done, due.length);
    // The ERP is out of reach (after retries): the rest waits for the next round instead of each timing out.
    if (report.retrying > 0) break;
  }
  return report;
}

async function deliverOne(
  app: App,
  integration: IntegrationInfo,
  connector: LiveConnector,
  entry: OutboxEntry,
  report: PushReport,
): Promise<void> {
  const numbers = { ignoreLeadingZeros: integration.settings.ignoreLeadingZeros };
  const [item] = await loadItems(app.db.kysely, [entry.itemId]);
  if (!item) return finishEntry(app, integration, entry);
  const ref = item.row.remote_key
    ? await app.db.kysely
        .selectFrom('remote_ref')
        .selectAll()
        .where('integration_id', '=', integration.id)
        .where('remote_key', '=', item.row.remote_key)
        .executeTakeFirst()
    : undefined;
  try {
    switch (entry.op) {
      case 'create': {
        if (item.row.linked === 1 && item.row.remote_deleted === 0) break; // linked meanwhile (a pull matched it)
        if (!item.local) break;
        const values = { ...item.local.values };
        // Idempotent: a create that reached the ERP before a crash is found by its number, not made twice.
        const number = values.number ?? '';
        const held = (await connector.findByNumbers([number])).find((r) => r.number === number);
        const record = held ?? (await connector.create([values]))[0];
        if (!record) break;
        await applyRecord(app, integration, entry.id, connector, item, record, 'created in the ERP', true);
        report.created++;
        report.delivered++;
        return;
      }
      case 'update': {
        if (!ref) break; // the remote record is gone: nothing to update
        // A field in conflict now waits for its resolution (which queues the chosen value).
        const conflicts = new Set(item.row.conflicts ? (JSON.parse(item.row.conflicts) as string[]) : []);
        const patch = Object.fromEntries(Object.entries(entry.patch).filter(([f]) => !conflicts.has(f)));
        if (Object.keys(patch).length === 0) break;
        const record = await connector.update({ id: ref.external_id, version: ref.version }, patch);
        await applyRecord(app, integration, entry.id, connector, item, record, 'confirmed by the ERP', false);
        report.updated++;
        report.delivered++;
        return;
      }
      case 'delete':
      case 'deactivate': {
        if (ref)
          await connector.remove(
            { id: ref.external_id, version: ref.version },
            entry.op,
            app.now().slice(0, 10),
          );
        const [after] = ref ? await connector.read([ref.external_id]) : [];
        await app.unit('sync', integration.id, async (unit) => {
          await unit.db.deleteFrom('outbox').where('id', '=', entry.id).execute();
          const [current] = await loadItems(unit.db, [item.row.id]);
          if (!current) return;
          const ctx = contextFor(integration, unit.today, connector.fields);
          if (after) {
            const key = numberKey(after.number, numbers);
            await settle(unit, ctx, current, {
              cols: remoteCols(key, after, connector),
              reason: `${entry.op}d in the ERP`,
            });
            await saveRef(unit, integration.id, key, after);
            const [again] = await loadItems(unit.db, [item.row.id]);
            if (again && again.row.linked === 1) await unlinkItem(unit, integration, again);
          } else {
            if (item.row.remote_key)
              await unit.db
                .deleteFrom('remote_ref')
                .where('integration_id', '=', integration.id)
                .where('remote_key', '=', item.row.remote_key)
                .execute();
            await settle(unit, ctx, current, {
              cols: { remote_deleted: 1, remote_hash: null },
              reason: 'deleted in the ERP',
            });
          }
        });
        if (entry.op === 'delete') report.deleted++;
        else report.deactivated++;
        report.delivered++;
        return;
      }
    }
    await finishEntry(app, integration, entry);
  } catch (error) {
    if (!(error instanceof AbgleichError)) throw error;
    if (error.code === 'remote_changed') {
      // Never a blind overwrite: read the record again and reconcile; what still needs pushing is queued anew.
      const [record] = ref ? await connector.read([ref.external_id]) : [];
      if (record)
        await applyRecord(
          app,
          integration,
          entry.id,
          connector,
          item,
          record,
          'changed in the ERP meanwhile',
          false,
        );
      else await finishEntry(app, integration, entry);
      report.reread++;
      return;
    }
    if (error.code === 'remote_login_failed') throw error;
    const transient = error.code === 'remote_unavailable';
    await app.unit('sync', integration.id, async (unit) => {
      const attempts = entry.attempts + 1;
      await unit.db
        .updateTable('outbox')
        .set({
          status: transient ? 'pending' : 'failed',
          attempts,
          last_error: error.message,
          next_attempt_at: new Date(Date.parse(unit.now) + backoffSeconds(attempts) * 1000).toISOString(),
          updated_at: unit.now,
        })
        .where('id', '=', entry.id)
        .execute();
      await unit.db
        .updateTable('item')
        .set({ write_error: error.message })
        .where('id', '=', item.row.id)
        .execute();
    });
    if (transient) report.retrying++;
    else report.failed++;
    report.errors.push({ itemId: item.row.id, op: entry.op, error: error.message });
  }
}

const remoteCols = (key: string, record: RemoteRecord, connector: LiveConnector) => ({
  remote_key: key,
  remote_data: JSON.stringify(record.values),
  remote_hash: hashRow(connector.fields.join(','), connector.fields, record.values),
  remote_deleted: 0,
});

async function saveRef(unit: Unit, integrationId: number, key: string, record: RemoteRecord): Promise<void> {
  await unit.db
    .deleteFrom('remote_ref')
    .where('integration_id', '=', integrationId)
    .where('external_id', '=', record.id)
    .execute();
  await unit.db
    .insertInto('remote_ref')
    .values({
      integration_id: integrationId,
      remote_key: key,
      external_id: record.id,
      version: record.version,
      listed_version: record.listedVersion,
    })
    .onConflict((oc) =>
      oc.columns(['integration_id', 'remote_key']).doUpdateSet({
        external_id: record.id,
        version: record.version,
        listed_version: record.listedVersion,
      }),
    )
    .execute();
}

/**
 * The remote record as the ERP holds it after a write (or a refusal): stored on the item and reconciled,
 * so the baseline moves only now that the remote side confirmed (SYNC.md §6). A create links the item.
 */
async function applyRecord(
  app: App,
  integration: IntegrationInfo,
  entryId: number,
  connector: LiveConnector,
  item: Item,
  record: RemoteRecord,
  reason: string,
  link: boolean,
): Promise<void> {
  await app.unit('sync', integration.id, (unit) =>
    applyInUnit(unit, integration, connector, { entryId, itemId: item.row.id, record }, reason, link),
  );
}

async function applyInUnit(
  unit: Unit,
  integration: IntegrationInfo,
  connector: LiveConnector,
  done: { entryId: number; itemId: number; record: RemoteRecord },
  reason: string,
  link: boolean,
): Promise<void> {
  const { entryId, itemId, record } = done;
  const numbers = { ignoreLeadingZeros: integration.settings.ignoreLeadingZeros };
  await unit.db.deleteFrom('outbox').where('id', '=', entryId).execute();
  const key = numberKey(record.number, numbers);
  // A remote-only item of the same record (a pull saw it before this write was confirmed) merges in.
  const twin = await unit.db
    .selectFrom('item')
    .selectAll()
    .where('integration_id', '=', integration.id)
    .where('remote_key', '=', key)
    .where('id', '!=', itemId)
    .executeTakeFirst();
  if (twin && twin.local_id === null) await removeItem(unit, twin, `merged into item ${itemId}`);
  const [current] = await loadItems(unit.db, [itemId]);
  if (!current) return;
  const ctx = contextFor(integration, unit.today, connector.fields);
  const cols = {
    ...remoteCols(key, record, connector),
    ...(link && current.row.linked === 0 ? { linked: 1, sync_enabled: 1, baseline: null } : {}),
    ...(link ? { exported_at: null } : {}),
  };
  await settle(unit, ctx, current, { cols, reason });
  await clearWriteErrors(unit.db, [itemId]);
  await saveRef(unit, integration.id, key, record);
}

async function finishEntry(app: App, integration: IntegrationInfo, entry: OutboxEntry): Promise<void> {
  // Nothing left to do (the item is gone, or linked meanwhile): the entry goes, and so does the error
  // of an earlier try.
  await app.unit('sync', integration.id, async (unit) => {
    await unit.db.deleteFrom('outbox').where('id', '=', entry.id).execute();
    await clearWriteErrors(unit.db, [entry.itemId]);
  });
}

/**
 * One live sync round with an ERP (SYNC.md §6, docs/tryton.md): pull (a complete id listing plus the
 * records changed since the watermark, reconciled by the snapshot run, which skips every row whose content
 * is unchanged), then deliver the outbox (creates, updates, deactivations, deletions), each write guarded
 * by the version last read and confirmed by reading the record back.
 */
import { AbgleichError, fail } from '../core/errors.js';
import type { FieldValues } from '../core/fields.js';
import type { LiveConnector, RemoteRecord, RemoteRow, RemoteSnapshot } from '../core/port.js';
import { numberKey } from '../core/values.js';
import { trytonConnector } from '../connectors/tryton/tryton-connector.js';
import type { App } from './app.js';
import { getIntegration } from './integrations.js';
import type { Counts } from './overview.js';
import { countItems } from './overview.js';
import type { Item } from './items.js';
import { loadItems, removeItem, settle } from './items.js';
import type { OutboxEntry } from './outbox.js';
import { backoffSeconds, listOutbox } from './outbox.js';
import type { RunReport } from './run.js';
import { hashRow } from '../formats/digest.js';
import { runSnapshot } from './run.js';
import { readSecret } from './secrets.js';
import type { IntegrationInfo } from './settings.js';
import { contextFor } from './settings.js';
import type { Unit } from './unit.js';
import { unlinkItem } from './actions.js';

/** Records changed this long before the watermark are read again (transactions commit "in the past"). */
const OVERLAP_MS = 2 * 60 * 1000;

export interface SyncOptions {
  readonly dryRun?: boolean;
  readonly confirmDeletes?: boolean;
  /** Read every record, not only those changed since the last pull. */
  readonly full?: boolean;
  readonly onProgress?: (phase: 'pull' | 'push', done: number, total: number | undefined) => void;
  /** The overlap window of incremental reads (default 2 minutes); the benchmark's steady state sets 0. */
  readonly overlapMs?: number;
  /** A connector to use instead of the one the settings describe (tests). */
  readonly connector?: LiveConnector;
}

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

export interface SyncReport {
  readonly integration: string;
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly pull: {
    readonly listed: number;
    readonly read: number;
    readonly incremental: boolean;
    readonly run: RunReport;
  };
  readonly push: PushReport;
  /** Outbox entries still waiting after this round. */
  readonly pending: number;
  /** The overview after the whole round: the pull's counts moved on by what the push delivered. */
  readonly counts: Counts;
}

/** The connector an integration's settings describe, with its password from the encrypted store. */
export async function openConnector(app: App, integration: IntegrationInfo): Promise<LiveConnector> {
  if (integration.source !== 'tryton')
    fail(
      'usage',
      `Integration "${integration.name}" reads from ${integration.source}; only live integrations sync.`,
    );
  const connection = integration.settings.connection;
  if (!connection)
    fail(
      'usage',
      `Integration "${integration.name}" has no connection settings (--url, --database, --user).`,
    );
  if (!app.options.secrets)
    fail('secret_key_missing', 'No secret key is configured to read stored credentials.');
  const password = await readSecret(app.db.kysely, app.options.secrets(), integration.id);
  if (password === undefined)
    fail('usage', `Integration "${integration.name}" has no password; set one with --password-env VAR.`);
  return trytonConnector(
    integration.entity,
    { url: connection.url, database: connection.database, user: connection.user, password },
    connection.category ? { category: connection.category } : {},
    { integration: integration.name, ...(app.options.fetch ? { fetch: app.options.fetch } : {}) },
  );
}

/**
 * Whether the stored connection works: log in and read the newest change of each model a round reads
 * (so missing read rights show too). Throws the connector's error (`remote_login_failed`,
 * `remote_unavailable`, …); reads no records and writes nothing.
 */
export async function checkConnection(app: App, integration: IntegrationInfo): Promise<void> {
  const connector = await openConnector(app, integration);
  try {
    await connector.latestChange();
  } finally {
    await connector.close();
  }
}

/** Rounds running in this process, by workspace and integration: a second one waits for the first. */
const running = new Map<string, Promise<unknown>>();

/**
 * One complete round: pull, reconcile, apply, deliver every pending write. Recorded in `sync_run` (read
 * with `lastRuns`). Rounds of one integration never overlap within a process.
 */
export async function syncIntegration(app: App, name: string, opts: SyncOptions = {}): Promise<SyncReport> {
  const key = `${app.workspace}\u0000${name}`;
  const before = running.get(key) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(() => syncRound(app, name, opts));
  running.set(key, mine);
  try {
    return await mine;
  } finally {
    if (running.get(key) === mine) running.delete(key);
  }
}

async function syncRound(app: App, name: string, opts: SyncOptions): Promise<SyncReport> {
  const integration = await getIntegration(app.db.kysely, app.workspace, name);
  const startedAt = app.now();
  const connector = opts.connector ?? (await openConnector(app, integration));
  try {
    const pull = await pullIntegration(app, integration, connector, opts);
    const push = opts.dryRun ? emptyPush() : await deliverOutbox(app, integration, connector, opts);
    const pending = (await listOutbox(app.db.kysely, integration.id)).length;
    const counts = opts.dryRun ? pull.run.counts : await countItems(app.db.kysely, integration);
    const report: SyncReport = {
      integration: integration.name,
      dryRun: opts.dryRun === true,
      startedAt,
      finishedAt: app.now(),
      pull,
      push,
      pending,
      counts,
    };
    if (!opts.dryRun)
      await recordRun(app, integration, startedAt, push.failed > 0 ? 'partial' : 'ok', report, null);
    return report;
  } catch (error) {
    if (!opts.dryRun) {
      const message = error instanceof Error ? error.message : String(error);
      await recordRun(app, integration, startedAt, 'failed', null, message).catch(() => undefined);
    }
    throw error;
  } finally {
    if (!opts.connector) await connector.close();
  }
}

const emptyPush = (): PushReport => ({
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

interface KnownRef {
  readonly key: string;
  readonly version: string;
  readonly listed: string;
}

/**
 * The pull. Deletions come only from the complete listing, read first: a failed read throws before
 * anything is applied, so nothing is inferred from a partial one.
 */
async function pullIntegration(
  app: App,
  integration: IntegrationInfo,
  connector: LiveConnector,
  opts: SyncOptions,
): Promise<SyncReport['pull']> {
  const numbers = { ignoreLeadingZeros: integration.settings.ignoreLeadingZeros };
  const db = app.db.kysely;
  const listing = await connector.listAll();
  const state = await db
    .selectFrom('sync_state')
    .selectAll()
    .where('integration_id', '=', integration.id)
    .executeTakeFirst();
  const known = new Map<string, KnownRef>(
    (
      await db.selectFrom('remote_ref').selectAll().where('integration_id', '=', integration.id).execute()
    ).map((r) => [r.external_id, { key: r.remote_key, version: r.version, listed: r.listed_version }]),
  );
  const hashes = new Map<string, string | null>(
    (
      await db
        .selectFrom('item')
        .select(['remote_key', 'remote_hash', 'remote_deleted'])
        .where('integration_id', '=', integration.id)
        .where('remote_key', 'is not', null)
        .execute()
    ).map((r) => [r.remote_key!, r.remote_deleted === 1 ? null : r.remote_hash]),
  );
  const incremental = !opts.full && state?.watermark != null;
  const since = incremental ? shift(state.watermark!, -(opts.overlapMs ?? OVERLAP_MS)) : null;
  const changed = incremental ? await connector.readChanged(since) : { records: [], watermark: null };
  const fresh = new Map<string, RemoteRecord>(changed.records.map((r) => [r.id, r]));
  // Records the watermark cannot vouch for: never read, renumbered, another version, or not stored.
  const stale = listing.filter((ref) => {
    if (fresh.has(ref.id)) return false;
    const k = known.get(ref.id);
    const key = numberKey(ref.number, numbers);
    return !incremental || !k || k.key !== key || k.listed !== ref.version || !hashes.get(key);
  });
  for (const r of await connector.read(stale.map((s) => s.id))) fresh.set(r.id, r);
  opts.onProgress?.('pull', fresh.size, listing.length);
  const fields = connector.fields;
  const signature = fields.join(',');
  const rows: RemoteRow[] = [];
  let row = 0;
  for (const ref of listing) {
    row++;
    const rec = fresh.get(ref.id);
    if (rec) {
      rows.push({
        row,
        number: rec.number,
        fingerprint: hashRow(signature, fields, rec.values),
        values: rec.values,
        problems: rec.problems,
      });
    } else {
      const fingerprint = hashes.get(numberKey(ref.number, numbers)) ?? '';
      rows.push(unchangedRow(row, ref.number, fingerprint));
    }
  }
  const snapshot: RemoteSnapshot = {
    fields,
    numberColumn: 'code',
    warnings: [],
    async *rows() {
      yield* rows;
    },
  };
  const run = await runSnapshot(app, integration.name, snapshot, {
    skipInvalid: true,
    source: `${integration.source} ${integration.settings.connection?.url ?? ''}`.trim(),
    ...(opts.dryRun ? { dryRun: true } : {}),
    ...(opts.confirmDeletes ? { confirmDeletes: true } : {}),
  });
  if (!opts.dryRun) {
    const watermark = incremental ? (changed.watermark ?? state!.watermark) : await firstWatermark(connector);
    await app.db.kysely.transaction().execute(async (trx) => {
      await trx.deleteFrom('remote_ref').where('integration_id', '=', integration.id).execute();
      const refs = listing.map((r) => ({
        integration_id: integration.id,
        remote_key: numberKey(r.number, numbers),
        external_id: r.id,
        version: fresh.get(r.id)?.version ?? known.get(r.id)?.version ?? r.version,
        listed_version: r.version,
      }));
      const unique = [...new Map(refs.map((r) => [r.remote_key, r])).values()];
      for (let i = 0; i < unique.length; i += 500)
        await trx
          .insertInto('remote_ref')
          .values(unique.slice(i, i + 500))
          .execute();
      await trx
        .insertInto('sync_state')
        .values({ integration_id: integration.id, watermark, updated_at: app.now() })
        .onConflict((oc) => oc.column('integration_id').doUpdateSet({ watermark, updated_at: app.now() }))
        .execute();
    });
  }
  return { listed: listing.length, read: fresh.size, incremental, run };
}

/** The watermark after a complete read: the remote side's newest change, read through an empty incremental read. */
async function firstWatermark(connector: LiveConnector): Promise<string | null> {
  return connector.latestChange();
}

function unchangedRow(row: number, number: string, fingerprint: string): RemoteRow {
  return {
    row,
    number,
    fingerprint,
    get values(): FieldValues {
      return fail('internal', `The record ${number} was not read although its stored content is unknown.`);
    },
    problems: [],
  };
}

function shift(iso: string, ms: number): string {
  const t = Date.parse(`${iso.slice(0, 23)}Z`) + ms;
  return new Date(t).toISOString().replace('Z', '').padEnd(26, '0');
}

async function recordRun(
  app: App,
  integration: IntegrationInfo,
  startedAt: string,
  outcome: 'ok' | 'partial' | 'failed',
  report: SyncReport | null,
  error: string | null,
): Promise<void> {
  await app.db.kysely
    .insertInto('sync_run')
    .values({
      workspace_id: app.workspace,
      integration_id: integration.id,
      started_at: startedAt,
      finished_at: app.now(),
      outcome,
      report: report ? JSON.stringify(summaryOf(report)) : null,
      error,
    })
    .execute();
}

const summaryOf = (r: SyncReport) => ({
  listed: r.pull.listed,
  read: r.pull.read,
  changes: r.pull.run.changes,
  counts: r.counts,
  push: { ...r.push, errors: r.push.errors.slice(0, 20) },
  pending: r.pending,
});

/** The last round of each live integration of the workspace: when, how it ended, its counts or error. */
export interface LastRun {
  readonly integration: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly outcome: 'ok' | 'partial' | 'failed';
  readonly summary: unknown;
  readonly error: string | null;
}

export async function lastRuns(app: App): Promise<LastRun[]> {
  const rows = await app.db.kysely
    .selectFrom('sync_run as r')
    .innerJoin('integration as i', 'i.id', 'r.integration_id')
    .select(['i.name', 'r.started_at', 'r.finished_at', 'r.outcome', 'r.report', 'r.error'])
    .where('r.workspace_id', '=', app.workspace)
    .where('r.id', 'in', (eb) =>
      eb
        .selectFrom('sync_run')
        .select((e) => e.fn.max('id').as('id'))
        .groupBy('integration_id'),
    )
    .orderBy('i.name')
    .execute();
  return rows.map((r) => ({
    integration: r.name,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    outcome: r.outcome as LastRun['outcome'],
    summary: r.report ? (JSON.parse(r.report) as unknown) : null,
    error: r.error,
  }));
}

// ---------------------------------------------------------------------------------------------------
// Push

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
  if (!item) return finishEntry(app, integration, entry.id, async () => undefined);
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
    await finishEntry(app, integration, entry.id, async () => undefined);
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
      else await finishEntry(app, integration, entry.id, async () => undefined);
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
  await unit.db.updateTable('item').set({ write_error: null }).where('id', '=', itemId).execute();
  await saveRef(unit, integration.id, key, record);
}

async function finishEntry(
  app: App,
  integration: IntegrationInfo,
  entryId: number,
  fn: () => Promise<void>,
): Promise<void> {
  await app.unit('sync', integration.id, async (unit) => {
    await unit.db.deleteFrom('outbox').where('id', '=', entryId).execute();
    await fn();
  });
}

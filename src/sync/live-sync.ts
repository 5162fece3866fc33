/**
 * One live sync round with an ERP (SYNC.md §6, docs/tryton.md): pull (a complete id listing plus the
 * records changed since the watermark, reconciled by the snapshot run, which skips every row whose content
 * is unchanged), then deliver the outbox (creates, updates, deactivations, deletions), each write guarded
 * by the version last read and confirmed by reading the record back.
 */
import { AbgleichError, fail } from '../core/errors.js';
import type { FieldValues } from '../core/fields.js';
import type { LiveConnector, RemoteRecord, RemoteRow, RemoteSnapshot } from '../core/port.js';
import { numberKey } from '../core/compare.js';
import { trytonConnector } from '../connectors/tryton/tryton-connector.js';
import type { App } from './app.js';
import { getIntegration } from './integrations.js';
import type { Counts } from './overview.js';
import { countItems } from './overview.js';
import { listOutbox } from './outbox.js';
import type { RunReport } from './run-report.js';
import { hashRow } from '../formats/digest.js';
import { runSnapshot } from './run.js';
import { readSecret } from './secrets.js';
import type { IntegrationInfo } from './settings.js';
import type { PushReport } from './live-push.js';
import { deliverOutbox, emptyPush } from './live-push.js';

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
  const password = await readSecret(app.db.kysely, app.options.secrets(), integration.id).catch(
    (error: unknown) => {
      if (!(error instanceof AbgleichError) || error.code !== 'secret_key_missing') throw error;
      // Name the integration and where the key comes from: a key file made anew elsewhere is the usual cause.
      return fail(
        'secret_key_missing',
        `Integration "${integration.name}": the stored password cannot be read with this secret key. The key is ABGLEICH_SECRET_KEY, else the file ABGLEICH_SECRET_KEY_FILE, else secret.key beside the SQLite database (with PostgreSQL: ./data/secret.key in the directory the command runs in) — use the one the password was stored with, or set the password again: abgleich integration set ${integration.name} --password-env VAR.`,
        { integration: integration.name },
      );
    },
  );
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
      await recordRun(
        app,
        integration,
        startedAt,
        push.failed > 0 || push.retrying > 0 ? 'partial' : 'ok',
        report,
        undelivered(push)?.message ?? null,
      );
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
    reopen: async () => snapshot, // held in memory: read again as it is
  };
  const run = await runSnapshot(app, integration.name, snapshot, {
    skipInvalid: true,
    live: true,
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

/**
 * What a round says of the writes it did not deliver (`sync-status`, the CLI's exit status 9): refused
 * by the ERP (`remote_refused`), or kept for the next round because the ERP could not be reached
 * meanwhile (`remote_unavailable`). Undefined when every write went through: a nightly job must learn
 * from the exit status that the ERP did not get its writes, not only from the report's counts.
 */
export function undelivered(push: {
  failed: number;
  retrying: number;
  errors: readonly { itemId: number; error: string }[];
}): { code: 'remote_refused' | 'remote_unavailable'; message: string } | undefined {
  const first = push.errors[0];
  const cause = first ? `; first, item ${first.itemId}: ${first.error.replace(/\.+$/, '')}` : '';
  if (push.failed > 0)
    return {
      code: 'remote_refused',
      message: `The ERP refused ${push.failed} write${push.failed === 1 ? '' : 's'}${cause}.`,
    };
  if (push.retrying > 0)
    return {
      code: 'remote_unavailable',
      message: `The ERP could not take ${push.retrying} write${push.retrying === 1 ? '' : 's'}; ${push.retrying === 1 ? 'it waits' : 'they wait'} for the next round${cause}.`,
    };
  return undefined;
}

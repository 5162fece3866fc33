/**
 * A run (SYNC.md §6): read a complete snapshot of the remote side, reconcile every item that moved, apply
 * the automatic changes in one transaction. Rows stream through in batches; only rows whose content hash
 * differs from what was last seen reach the engine, so an unchanged re-import writes nothing.
 */
import { hashRow } from '../formats/digest.js';
import type { FieldName, FieldValues } from '../core/fields.js';
import { fail } from '../core/errors.js';
import { changedFields, classifyUnlinked, sameValues } from '../core/reconcile.js';
import { mayAutoLink } from '../core/match.js';
import type { ReconcileContext } from '../core/model.js';
import { numberKey } from '../core/compare.js';
import type { NewItem } from '../store/schema.js';
import type { App } from './app.js';
import { Rollback } from './app.js';
import type { Settled } from './items.js';
import { loadItems, settle } from './items.js';
import type { Entry } from './run-matching.js';
import { localOnly, Matching, remoteOnly } from './run-matching.js';
import type { Deletions } from './deletions.js';
import { applyDeletions } from './deletions.js';
import { getIntegration } from './integrations.js';
import { countItems } from './overview.js';
import type { RemoteRow, RemoteSnapshot, RowProblem, SnapshotWarning } from '../core/port.js';
import type { PlannedChange, RunOptions, RunReport } from './run-report.js';
import { MAX_PROBLEMS } from './run-report.js';
import { AddedItems } from './run-added.js';
import { reclassifyChangedLocals } from './local-items.js';
import { RepeatedNumbers, RepeatedNumbersFound, SnapshotNumbers } from './repeated-numbers.js';
import type { IntegrationInfo } from './settings.js';
import { contextFor } from './settings.js';
import type { Unit } from './unit.js';
import { NOT_KNOWN, RemoteIndex, REPEATED } from './remote-index.js';

const BATCH = 1000;
const MAX_LISTED = 500;

export async function runSnapshot(
  app: App,
  integrationName: string,
  snapshot: RemoteSnapshot,
  opts: RunOptions = {},
): Promise<RunReport> {
  const integration = await getIntegration(app.db.kysely, app.workspace, integrationName);
  const attempt = (source: RemoteSnapshot, repeated?: RepeatedNumbers) =>
    app.unit(
      'import',
      integration.id,
      async (unit) => {
        const run = new SnapshotRun(unit, integration, source, opts, repeated);
        const report = await run.execute();
        if (opts.dryRun) throw new Rollback(report);
        return report;
      },
      (report) => ({ source: report.source, rows: report.rows, changes: report.changes }),
    );
  try {
    return await attempt(snapshot);
  } catch (error) {
    // Rolled back: the same source again, refusing every row of the numbers it repeats.
    if (!(error instanceof RepeatedNumbersFound) || !snapshot.reopen) throw error;
    return attempt(await snapshot.reopen(), new RepeatedNumbers(error.laterRows));
  }
}

class SnapshotRun {
  private readonly ctx: ReconcileContext;
  private readonly numbers;
  private readonly problems: RowProblem[] = [];
  private problemCount = 0;
  /** Skipped rows whose number could not be read: which record they are is unknown. */
  private readonly nameless: number[] = [];
  private readonly planned: PlannedChange[] = [];
  private deleteGuard: Deletions['guard'] = null;
  private readonly rows = { read: 0, valid: 0, invalid: 0, unchanged: 0 };
  private readonly changes = {
    new: 0,
    linked: 0,
    updated: 0,
    conflicts: 0,
    deleted: 0,
    removed: 0,
    localFieldsChanged: 0,
  };
  private index!: RemoteIndex;
  private readonly added: AddedItems;
  private readonly matching: Matching;
  /** Where the rows come from, in the audit's reasons. */
  private readonly from: string;
  /** The snapshot's fields, part of every row's fingerprint. */
  private readonly signature: string;
  /** Numbers met on more than one row (`repeated-numbers.ts`). */
  private readonly numberCheck: SnapshotNumbers;

  constructor(
    private readonly unit: Unit,
    private readonly integration: IntegrationInfo,
    private readonly snapshot: RemoteSnapshot,
    private readonly opts: RunOptions,
    /** The second read of a source with repeated numbers (`repeated-numbers.ts`). */
    repeated?: RepeatedNumbers,
  ) {
    this.numberCheck = new SnapshotNumbers(snapshot, opts.skipInvalid === true, repeated);
    this.ctx = contextFor(integration, unit.today, snapshot.fields);
    this.numbers = this.ctx.numbers;
    this.matching = new Matching(unit, integration.id, this.numbers);
    this.from = opts.live ? 'the ERP' : 'the import';
    this.signature = snapshot.fields.join(',');
    this.added = new AddedItems(unit, integration, () => snapshot.progress?.());
  }

  async execute(): Promise<RunReport> {
    // Settled items and local records are written per batch, not per item (flushed after each batch).
    this.unit.deferUpdates();
    this.index = await RemoteIndex.load(this.unit.db, this.unit.bulk, this.integration.id);
    let batch: Entry[] = [];
    for await (const rows of batchesOf(this.snapshot)) {
      for (const row of rows) {
        const entry = this.take(row);
        if (entry === undefined) continue;
        batch.push(entry);
        if (batch.length >= BATCH) {
          await this.applyBatch(batch);
          batch = [];
        }
      }
    }
    this.numberCheck.startOverIfRepeated();
    this.opts.onProgress?.(this.rows.read, 1);
    if (this.rows.invalid > 0 && !this.opts.skipInvalid) this.refuseFile();
    await this.applyBatch(batch);
    await this.added.settled();
    // SYNC.md §6: deletions only from a complete listing. A skipped row without a readable number may be
    // any record, so a run that skipped one marks none deleted, and says why.
    const deletions = this.nameless.length
      ? { deleted: 0, removed: 0, guard: null }
      : await applyDeletions(
          this.unit,
          this.ctx,
          this.index.unseen(),
          this.index.links(),
          this.opts,
          (item, change) => this.plan({ itemId: item.id, number: item.number, change }),
        );
    this.changes.deleted += deletions.deleted;
    this.changes.removed += deletions.removed;
    this.deleteGuard = deletions.guard;
    await reclassifyChangedLocals(
      this.unit,
      (name) => `changed by ${this.opts.live ? 'the sync of' : 'import into'} ${name}`,
    );
    await this.storeColumns();
    await this.added.audit(this.from);
    await this.unit.flush();
    return this.report();
  }

  /**
   * One row of the snapshot: counted and checked, its number visited in the remote index; returned when
   * the engine must see it (new, or changed since the last run), else undefined.
   */
  private take(row: RemoteRow): Entry | undefined {
    this.rows.read++;
    if (this.rows.read % 20_000 === 0) this.opts.onProgress?.(this.rows.read, this.snapshot.progress?.());
    // Fast path: a row whose fingerprint is the one stored is unchanged; it was checked when stored.
    let key =
      row.fingerprint !== undefined && row.number !== undefined
        ? numberKey(row.number, this.numbers)
        : undefined;
    if (this.numberCheck.rereading && this.refuseRepeated(row)) return undefined;
    let slot = key === undefined ? undefined : this.index.visit(key, row.row);
    if (slot !== undefined && slot >= 0 && this.index.unchanged(slot, row.fingerprint!)) {
      this.rows.valid++;
      this.rows.unchanged++;
      return undefined;
    }
    if (row.problems.length > 0) {
      this.skip(row, slot);
      return undefined;
    }
    key ??= numberKey(row.values.number ?? '', this.numbers);
    slot ??= this.index.visit(key, row.row);
    const again =
      slot === NOT_KNOWN
        ? this.numberCheck.newRecord(key, row.row, row.values.number ?? key)
        : slot === REPEATED
          ? // The row's number cell: a live round's unchanged rows carry no values to read.
            this.numberCheck.repeat(
              key,
              row.row,
              row.number ?? row.values.number ?? key,
              this.index.firstRow(key),
            )
          : undefined;
    if (again) {
      this.invalid([again]);
      return undefined;
    }
    this.rows.valid++;
    if (this.rows.invalid > 0 && !this.opts.skipInvalid) return undefined; // the run will be refused: only validate
    const hash = row.fingerprint ?? hashRow(this.signature, this.snapshot.fields, row.values);
    if (slot >= 0 && this.index.unchanged(slot, hash)) {
      this.rows.unchanged++;
      return undefined;
    }
    return { key, hash, values: row.values, row: row.row };
  }

  /** A row with problems is not applied; its record is still in the file, unless it has no readable number. */
  private skip(row: RemoteRow, slot: number | undefined): void {
    this.invalid(row.problems);
    if (row.values.number && row.problems.some((p) => p.code === 'duplicate_in_file'))
      this.numberCheck.note(numberKey(row.values.number, this.numbers), row.row);
    // Without a number it may be any record; a number the file repeats is readable, and its record present.
    const number = row.values.number;
    if (!number || row.problems.some((p) => p.field === 'number' && p.code !== 'duplicate_in_file'))
      this.nameless.push(row.row);
    else if (slot === undefined) this.index.visit(numberKey(number, this.numbers), row.row);
  }

  /** All or nothing (FORMATS.md): a file with an invalid row, read to its end, is refused whole. */
  private refuseFile(): never {
    fail(
      'file_invalid',
      `${this.rows.invalid} of ${counted(this.rows.read, 'row')} ${this.rows.invalid === 1 ? 'is' : 'are'} invalid (${counted(this.problemCount, 'problem')}); nothing was imported.`,
      { problems: this.problems, problemCount: this.problemCount, invalidRows: this.rows.invalid },
    );
  }

  private async report(): Promise<RunReport> {
    return {
      integration: this.integration.name,
      source: this.opts.source ?? 'snapshot',
      dryRun: this.opts.dryRun === true,
      rows: this.rows,
      changes: this.changes,
      problems: this.problems,
      problemCount: this.problemCount,
      warnings: this.nameless.length
        ? [...this.snapshot.warnings, this.noDeletions()]
        : this.snapshot.warnings,
      planned: this.planned,
      counts: await countItems(this.unit.db, this.integration),
      // A dry run's change set is rolled back with everything else: there is nothing to undo.
      changeSet: this.opts.dryRun ? null : (this.unit.changeSetId ?? null),
      deleteGuard: this.deleteGuard,
    };
  }

  /**
   * The fields this snapshot carried become the integration's: what later actions and undo compare. A
   * change of them is audited (not a first run's), so that undoing this run compares as before it —
   * a column absent then is not compared (SYNC.md §8; FORMATS.md "a column that is absent").
   */
  private async storeColumns(): Promise<void> {
    const before = JSON.stringify(this.integration.fields);
    const now = JSON.stringify(this.snapshot.fields);
    await this.unit.db
      .updateTable('integration')
      .set({ fields: now, last_run_at: this.unit.now })
      .where('id', '=', this.integration.id)
      .execute();
    if (this.integration.fields.length > 0 && before !== now)
      await this.unit.audit({
        item_id: null,
        local_id: null,
        target: 'integration-fields',
        field: null,
        old_value: before,
        new_value: now,
        reason: `the fields ${this.from} carried`,
      });
  }

  private noDeletions(): SnapshotWarning {
    const rows = this.nameless;
    return {
      code: 'deletions_skipped',
      row: rows[0]!,
      column: this.snapshot.numberColumn ?? 'number',
      value: '',
      message: `no record was marked deleted: ${counted(rows.length, 'skipped row')} (row ${rows.slice(0, 5).join(', ')}${rows.length > 5 ? ', …' : ''}) ${rows.length === 1 ? 'has' : 'have'} no readable number, so the file is not a complete list of numbers`,
    };
  }

  private invalid(problems: readonly RowProblem[]): void {
    this.rows.invalid++;
    this.problemCount += problems.length;
    if (this.problems.length < MAX_PROBLEMS)
      this.problems.push(...problems.slice(0, MAX_PROBLEMS - this.problems.length));
  }

  /**
   * On the second read of a source with repeated numbers: refuse `row` if its number is one of them.
   * Its record is present, not deleted: the number is visited.
   */
  private refuseRepeated(row: RemoteRow): boolean {
    const number = row.number ?? row.values.number;
    if (!number) return false;
    const key = numberKey(number, this.numbers);
    const problems = this.numberCheck.refusal(key, row, number);
    if (!problems) return false;
    this.invalid(problems);
    this.index.visit(key, row.row);
    return true;
  }

  private async applyBatch(batch: readonly Entry[]): Promise<void> {
    if (batch.length === 0) return;
    const existingIds = new Map<number, Entry>();
    const linkIds = new Map<number, Entry>();
    const fresh: NewItem[] = [];
    const without: Entry[] = []; // rows without an item yet
    for (const entry of batch) {
      const itemId = this.index.itemId(entry.key);
      if (itemId !== undefined) existingIds.set(itemId, entry);
      else without.push(entry);
    }
    // Synchronous per row: a first import meets a million of them (an await each cost seconds).
    const matching = without.length > 0 ? await this.matching.loaded() : undefined;
    for (const entry of without) {
      const state = remoteOnly(entry.values);
      const localItem = matching!.take(entry.key, state);
      if (localItem !== undefined) linkIds.set(localItem, entry);
      else fresh.push(this.newRemoteItem(entry, classifyUnlinked(state, this.unit.today)));
    }
    const existing = await loadItems(this.unit.db, [...existingIds.keys()]);
    for (const item of await this.matching.rejoin(existing, existingIds, linkIds)) {
      const entry = existingIds.get(item.row.id)!;
      const wasDeleted = item.row.remote_deleted === 1;
      const settled = await settle(this.unit, this.ctx, item, {
        cols: remoteCols(entry),
        reason: wasDeleted ? `back in ${this.from}` : `changed in ${this.from}`,
      });
      const before = item.row.remote_data;
      const values = () => (before === null ? {} : (JSON.parse(before) as FieldValues));
      // A row written anew with the same values (other quotes; a fingerprint taken another way by an
      // earlier version) only had its fingerprint stored: it is unchanged, not updated.
      const same =
        !wasDeleted &&
        settled.localChanged.length === 0 &&
        settled.category === item.row.category &&
        before !== null &&
        sameValues(values(), entry.values);
      if (same) this.rows.unchanged++;
      else this.note(settled, 'updated', () => changedFields(values(), entry.values));
    }
    for (const item of await loadItems(this.unit.db, [...linkIds.keys()])) {
      if (!item.local || !mayAutoLink(localOnly(item.local.values), this.unit.today)) {
        fresh.push(this.newRemoteItem(linkIds.get(item.row.id)!, 'new'));
        continue;
      }
      const entry = linkIds.get(item.row.id)!;
      this.note(
        await settle(this.unit, this.ctx, item, {
          // Put in the export file to be created there (SYNC.md §7): the mark lasts until an import carries it.
          cols: { ...remoteCols(entry), linked: 1, sync_enabled: 1, baseline: null, exported_at: null },
          reason: 'linked by number',
        }),
        'linked',
      );
    }
    await this.insertFresh(fresh);
    await this.unit.flushUpdates();
  }

  private newRemoteItem(
    entry: { key: string; hash: string; values: FieldValues },
    category: string,
  ): NewItem {
    return {
      workspace_id: this.unit.workspace,
      integration_id: this.integration.id,
      remote_key: entry.key,
      remote_data: JSON.stringify(entry.values),
      remote_hash: entry.hash,
      category,
      number: entry.values.number ?? '',
      name: entry.values.name ?? '',
      updated_at: this.unit.now,
    };
  }

  private async insertFresh(fresh: NewItem[]): Promise<void> {
    await this.added.insert(fresh);
    this.changes.new += fresh.length;
    for (const f of fresh.slice(0, Math.max(0, MAX_LISTED - this.planned.length))) {
      this.plan({ itemId: null, number: f.number, change: 'new' });
    }
  }

  /**
   * Count a settled item and plan it for the report. `remoteChanged`: the fields the row changed in the
   * remote record (an update's), asked only while the report lists changes.
   */
  private note(s: Settled, change: 'updated' | 'linked', remoteChanged?: () => readonly FieldName[]): void {
    if (change === 'linked') this.changes.linked++;
    else this.changes.updated++;
    if (s.category === 'conflict') this.changes.conflicts++;
    this.changes.localFieldsChanged += s.localChanged.length;
    const conflict = s.category === 'conflict';
    if (this.planned.length >= MAX_LISTED) return;
    this.plan({
      itemId: s.itemId,
      number: s.number,
      change: conflict ? 'conflict' : change,
      fields: conflict ? s.conflicts : [...new Set([...s.localChanged, ...(remoteChanged?.() ?? [])])],
      ...(conflict && s.localChanged.length > 0 ? { merged: s.localChanged } : {}),
    });
  }

  /** The report lists the first `MAX_LISTED` planned changes. */
  private plan(change: PlannedChange): void {
    if (this.planned.length < MAX_LISTED) this.planned.push(change);
  }
}

/** The snapshot's rows in batches: its own when it has them, else gathered from `rows()`. */
async function* batchesOf(snapshot: RemoteSnapshot): AsyncGenerator<readonly RemoteRow[]> {
  if (snapshot.batches) {
    yield* snapshot.batches();
    return;
  }
  let batch: RemoteRow[] = [];
  for await (const row of snapshot.rows()) {
    batch.push(row);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** `n` and the noun, in the plural unless `n` is 1. */
const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

const remoteCols = (e: { key: string; hash: string; values: FieldValues }) => ({
  remote_key: e.key,
  remote_data: JSON.stringify(e.values),
  remote_hash: e.hash,
  remote_deleted: 0,
});

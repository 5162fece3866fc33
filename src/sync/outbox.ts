/**
 * The outbox (SYNC.md §6): remote writes stored in the same transaction as the local change that calls
 * for them, delivered later by `deliverOutbox` (live-push.ts) and retried with back-off. One pending
 * `update` per item carries the merged patch; `create`, `delete` and `deactivate` replace what was
 * pending for the item before them.
 */
import type { Patch } from '../core/model.js';
import type { Executor } from '../store/executor.js';
import type { Unit } from './unit.js';

export const OUTBOX_OPS = ['create', 'update', 'delete', 'deactivate'] as const;
export type OutboxOp = (typeof OUTBOX_OPS)[number];

export const OUTBOX_STATUS = ['pending', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUS)[number];

export interface OutboxEntry {
  readonly id: number;
  readonly itemId: number;
  readonly op: OutboxOp;
  readonly patch: Patch;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
}

/** Queue a remote write for an item, merging with what is pending for it. */
export async function queueWrite(
  unit: Unit,
  integrationId: number,
  itemId: number,
  op: OutboxOp,
  patch: Patch = {},
): Promise<void> {
  const pending = await unit.db
    .selectFrom('outbox')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .where('item_id', '=', itemId)
    .orderBy('id')
    .execute();
  const fresh = {
    status: 'pending',
    attempts: 0,
    next_attempt_at: unit.now,
    last_error: null,
    updated_at: unit.now,
  };
  const same = pending.find((p) => p.op === op);
  if (op === 'update' && same) {
    const merged = { ...(JSON.parse(same.payload) as { patch: Patch }).patch, ...patch };
    await unit.db
      .updateTable('outbox')
      .set({ ...fresh, payload: JSON.stringify({ patch: merged }) })
      .where('id', '=', same.id)
      .execute();
    return;
  }
  if (op === 'update' && pending.some((p) => p.op === 'create')) {
    // The record is still to be created: it is created with the local values as they are then.
    return;
  }
  if (op !== 'update' && pending.length > 0)
    await unit.db
      .deleteFrom('outbox')
      .where(
        'id',
        'in',
        pending.map((p) => p.id),
      )
      .execute();
  await unit.db
    .insertInto('outbox')
    .values({
      workspace_id: unit.workspace,
      integration_id: integrationId,
      item_id: itemId,
      op,
      payload: JSON.stringify({ patch }),
      created_at: unit.now,
      ...fresh,
    })
    .execute();
  await clearWriteErrors(unit.db, [itemId]);
}

/**
 * Take the error of an earlier try off these items: their write is queued anew, delivered, or has
 * nothing left to do (linked meanwhile). Left standing, it flagged synced items for good.
 */
export async function clearWriteErrors(db: Executor, itemIds: readonly number[]): Promise<void> {
  if (itemIds.length === 0) return;
  await db
    .updateTable('item')
    .set({ write_error: null })
    .where('id', 'in', [...itemIds])
    .where('write_error', 'is not', null)
    .execute();
}

export async function listOutbox(
  db: Executor,
  integrationId: number,
  opts: { dueBy?: string; includeFailed?: boolean } = {},
): Promise<OutboxEntry[]> {
  let q = db.selectFrom('outbox').selectAll().where('integration_id', '=', integrationId);
  if (!opts.includeFailed) q = q.where('status', '=', 'pending');
  if (opts.dueBy !== undefined) q = q.where('next_attempt_at', '<=', opts.dueBy);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    itemId: r.item_id,
    op: r.op as OutboxOp,
    patch: (JSON.parse(r.payload) as { patch?: Patch }).patch ?? {},
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
  }));
}

/** Back-off after `attempts` failures: 30 s, 1 min, 2 min, … capped at one hour. */
export const backoffSeconds = (attempts: number): number =>
  Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));

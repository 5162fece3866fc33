/**
 * Items per integration and category, kept next to the items so the overview's counts are one small
 * read at any size. Every write that adds, removes or moves an item adjusts them in the same
 * transaction (tests compare them with a plain count after every action and run).
 */
import type { Executor } from './executor.js';

export type CountDeltas = Map<string, number>;

/** Add `n` to the delta of `category`. */
export function tally(deltas: CountDeltas, category: string, n = 1): CountDeltas {
  deltas.set(category, (deltas.get(category) ?? 0) + n);
  return deltas;
}

export async function adjustCounts(db: Executor, integrationId: number, deltas: CountDeltas): Promise<void> {
  for (const [category, n] of deltas) {
    if (n === 0) continue;
    await db
      .insertInto('category_count')
      .values({ integration_id: integrationId, category, n })
      .onConflict((oc) =>
        oc
          .columns(['integration_id', 'category'])
          .doUpdateSet((eb) => ({ n: eb('category_count.n', '+', eb.ref('excluded.n')) })),
      )
      .execute();
  }
}

/** Convenience for one item moving from `from` to `to` (either may be null: added or removed). */
export function moveCount(
  db: Executor,
  integrationId: number,
  from: string | null,
  to: string | null,
): Promise<void> {
  if (from === to) return Promise.resolve();
  const deltas: CountDeltas = new Map();
  if (from !== null) tally(deltas, from, -1);
  if (to !== null) tally(deltas, to, 1);
  return adjustCounts(db, integrationId, deltas);
}

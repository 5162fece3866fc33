/**
 * What a run knows of the remote records it saw last time, in compact arrays: number key → item id,
 * content hash, and whether this run has seen it. About 100 bytes a record, so a million fit easily.
 */
import type { Executor } from '../store/executor.js';

const PAGE = 50_000;

export class RemoteIndex {
  private readonly slot = new Map<string, number>();
  private readonly ids: number[] = [];
  private readonly hashes: (string | null)[] = [];
  private seen = new Uint8Array(0);

  static async load(db: Executor, integrationId: number): Promise<RemoteIndex> {
    const index = new RemoteIndex();
    // Pages along the (integration_id, remote_key) index, so no page sorts what is left.
    let after = '';
    for (;;) {
      const rows = await db
        .selectFrom('item')
        .select(['id', 'remote_key', 'remote_hash', 'remote_deleted'])
        .where('integration_id', '=', integrationId)
        .where('remote_key', 'is not', null)
        .where('remote_key', '>', after)
        .orderBy('remote_key')
        .limit(PAGE)
        .execute();
      for (const r of rows) {
        index.slot.set(r.remote_key!, index.ids.length);
        index.ids.push(r.id);
        index.hashes.push(r.remote_deleted === 1 ? null : r.remote_hash);
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.remote_key!;
    }
    index.seen = new Uint8Array(index.ids.length);
    return index;
  }

  /**
   * Mark `key` as present in this run: its slot (undefined for a record not seen before) and whether
   * this is its first appearance (a second one is a duplicate number in the snapshot).
   */
  visit(key: string): { slot: number | undefined; first: boolean } {
    const i = this.slot.get(key);
    if (i === undefined) return { slot: undefined, first: true };
    const first = this.seen[i] === 0;
    this.seen[i] = 1;
    return { slot: i, first };
  }

  /** Whether the record in `slot` had content `hash` last time (and was not deleted). */
  unchanged(slot: number, hash: string): boolean {
    return this.hashes[slot] === hash;
  }

  itemId(key: string): number | undefined {
    const i = this.slot.get(key);
    return i === undefined ? undefined : this.ids[i];
  }

  /** Items whose remote record this run did not see, and that were not already deleted. */
  unseen(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.ids.length; i++)
      if (this.seen[i] === 0 && this.hashes[i] !== null) out.push(this.ids[i]!);
    return out;
  }
}

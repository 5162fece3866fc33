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
    let after = 0;
    for (;;) {
      const rows = await db
        .selectFrom('item')
        .select(['id', 'remote_key', 'remote_hash', 'remote_deleted'])
        .where('integration_id', '=', integrationId)
        .where('remote_key', 'is not', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .execute();
      for (const r of rows) {
        index.slot.set(r.remote_key!, index.ids.length);
        index.ids.push(r.id);
        index.hashes.push(r.remote_deleted === 1 ? null : r.remote_hash);
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
    index.seen = new Uint8Array(index.ids.length);
    return index;
  }

  /** Mark `key` as present; true when its content is unchanged since the last run. */
  see(key: string, hash: string): boolean {
    const i = this.slot.get(key);
    if (i === undefined) return false;
    this.seen[i] = 1;
    return this.hashes[i] === hash;
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

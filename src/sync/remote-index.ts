/**
 * What a run knows of the remote records it saw last time, in compact arrays: number key → item id,
 * content hash, whether it is linked, and whether this run has seen it. About 100 bytes a record, so a
 * million fit easily. Loaded with one streamed scan of the item table (no row objects).
 */
import type { BulkWriter } from '../store/bulk.js';
import type { Executor } from '../store/executor.js';

/** `RemoteIndex.visit`: a record the index does not hold. */
export const NOT_KNOWN = -1;
/** `RemoteIndex.visit`: a record this run has met before. */
export const REPEATED = -2;

export class RemoteIndex {
  private readonly slot = new Map<string, number>();
  private readonly ids: number[] = [];
  private readonly hashes: (string | null)[] = [];
  private linked = new Uint8Array(0);
  private seen = new Uint8Array(0);

  static async load(db: Executor, bulk: BulkWriter, integrationId: number): Promise<RemoteIndex> {
    const index = new RemoteIndex();
    const linked: number[] = [];
    const sql =
      'select id, remote_key, remote_hash, remote_deleted, linked from item where integration_id = ? and remote_key is not null';
    for await (const page of bulk.scan(db, sql, [integrationId])) {
      for (const [id, key, hash, deleted, isLinked] of page) {
        index.slot.set(key as string, index.ids.length);
        index.ids.push(Number(id));
        index.hashes.push(Number(deleted) === 1 ? null : (hash as string | null));
        linked.push(Number(isLinked));
      }
    }
    index.linked = Uint8Array.from(linked);
    index.seen = new Uint8Array(index.ids.length);
    return index;
  }

  /** Remote records known (0: a first run, every row is new). */
  get size(): number {
    return this.ids.length;
  }

  /**
   * Mark `key` as present in this run. Returns its slot, `NOT_KNOWN` for a record not seen before, or
   * `REPEATED` when this run has met it already (a duplicate number in the snapshot). A number, not an
   * object: this runs for every row of a million.
   */
  visit(key: string): number {
    const i = this.slot.get(key);
    if (i === undefined) return NOT_KNOWN;
    if (this.seen[i] === 1) return REPEATED;
    this.seen[i] = 1;
    return i;
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

  /** Linked items with a remote record (deleted or not) as the run began: the mass-delete guard's base. */
  links(): number {
    let n = 0;
    for (const l of this.linked) n += l;
    return n;
  }
}

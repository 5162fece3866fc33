/**
 * What a run knows of the remote records it saw last time, in compact arrays: number key → item id,
 * content hash, whether it is linked, and whether this run has seen it. Loaded with one streamed scan of
 * the item table (no row objects).
 *
 * A million records must fit beside everything else in a few hundred MB, so nothing is kept per record
 * as a JavaScript object or string where a number will do: number keys that are plain decimals (the usual
 * case) are map keys as numbers (`core/key-map.ts`), and the 16-hex-digit
 * hashes (`formats/digest.ts`) are two 32-bit halves in typed arrays. About 40 bytes a record.
 */
import { KeyMap } from '../core/key-map.js';
import type { BulkWriter } from '../store/bulk.js';
import type { Executor } from '../store/executor.js';

/** `RemoteIndex.visit`: a record the index does not hold. */
export const NOT_KNOWN = -1;
/** `RemoteIndex.visit`: a record this run has met before. */
export const REPEATED = -2;

export class RemoteIndex {
  private readonly slots = new KeyMap();
  private ids = new Float64Array(1024);
  private hashHigh = new Uint32Array(1024);
  private hashLow = new Uint32Array(1024);
  /** Per slot: bit 1 the hash is set (a record not deleted), bit 2 linked. */
  private flags = new Uint8Array(1024);
  private seen = new Uint8Array(0);
  private count = 0;

  static async load(db: Executor, bulk: BulkWriter, integrationId: number): Promise<RemoteIndex> {
    const index = new RemoteIndex();
    // Three columns, not five: every column costs the driver a value per row, and there are a million.
    // A linked item's id comes negated; a deleted record's hash as null.
    const sql = `select case when linked = 1 then -id else id end as signed_id, remote_key,
        case when remote_deleted = 1 then null else remote_hash end as live_hash
      from item where integration_id = ? and remote_key is not null`;
    for await (const page of bulk.scan(db, sql, [integrationId])) {
      for (const [signedId, key, hash] of page) {
        const id = Number(signedId);
        index.add(key as string, Math.abs(id), hash as string | null, id < 0);
      }
    }
    index.seen = new Uint8Array(index.count);
    return index;
  }

  private add(key: string, id: number, hash: string | null, linked: boolean): void {
    const i = this.count++;
    if (i === this.ids.length) this.grow();
    this.slots.set(key, i);
    this.ids[i] = id;
    const halves = hash === null ? undefined : split(hash);
    if (halves) {
      this.hashHigh[i] = halves[0];
      this.hashLow[i] = halves[1];
    }
    this.flags[i] = (halves ? 1 : 0) | (linked ? 2 : 0);
  }

  private grow(): void {
    const size = this.ids.length * 2;
    this.ids = enlarged(this.ids, new Float64Array(size));
    this.hashHigh = enlarged(this.hashHigh, new Uint32Array(size));
    this.hashLow = enlarged(this.hashLow, new Uint32Array(size));
    this.flags = enlarged(this.flags, new Uint8Array(size));
  }

  /** Remote records known (0: a first run, every row is new). */
  get size(): number {
    return this.count;
  }

  /**
   * Mark `key` as present in this run. Returns its slot, `NOT_KNOWN` for a record not seen before, or
   * `REPEATED` when this run has met it already (a duplicate number in the snapshot). A number, not an
   * object: this runs for every row of a million.
   */
  visit(key: string): number {
    const i = this.slots.get(key);
    if (i === undefined) return NOT_KNOWN;
    if (this.seen[i] === 1) return REPEATED;
    this.seen[i] = 1;
    return i;
  }

  /** Whether the record in `slot` had content `hash` (a digest of this run) last time, and was not deleted. */
  unchanged(slot: number, hash: string): boolean {
    return (
      (this.flags[slot]! & 1) === 1 &&
      hash.length === 16 &&
      parseInt(hash.slice(0, 8), 16) === this.hashHigh[slot] &&
      parseInt(hash.slice(8), 16) === this.hashLow[slot]
    );
  }

  itemId(key: string): number | undefined {
    const i = this.slots.get(key);
    return i === undefined ? undefined : this.ids[i];
  }

  /** Items whose remote record this run did not see, and that were not already deleted. */
  unseen(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.count; i++)
      if (this.seen[i] === 0 && (this.flags[i]! & 1) === 1) out.push(this.ids[i]!);
    return out;
  }

  /** Linked items with a remote record (deleted or not) as the run began: the mass-delete guard's base. */
  links(): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) n += this.flags[i]! >> 1;
    return n;
  }
}

/** `larger` holding `values` at its start. */
function enlarged<T extends Float64Array | Uint32Array | Uint8Array>(values: T, larger: T): T {
  larger.set(values);
  return larger;
}

const HEX16 = /^[0-9a-f]{16}$/;

/** A 16-hex-digit digest as two 32-bit halves; any other text (a hash of an earlier format) has none. */
function split(hash: string): [number, number] | undefined {
  if (!HEX16.test(hash)) return undefined;
  return [parseInt(hash.slice(0, 8), 16), parseInt(hash.slice(8), 16)];
}

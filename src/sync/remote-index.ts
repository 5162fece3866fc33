/**
 * What a run knows of the remote records it saw last time, in compact arrays: number key → item id,
 * content hash, whether it is linked, and whether this run has seen it.
 *
 * A million records must fit beside everything else in a few hundred MB, so nothing is kept per record
 * as a JavaScript object or string where a number will do: number keys that are plain decimals (the usual
 * case) are map keys as numbers (`core/key-map.ts`), and the 16-hex-digit
 * hashes (`formats/digest.ts`) are two 32-bit halves in typed arrays. About 40 bytes a record.
 *
 * It is read in pages of 10,000 items, each page one text the database joins (`PACKED_ITEM`): a driver
 * hands over every value of every row as a value of its own, and at a million items that was most of the
 * read and its garbage (bench/README, "28 November 2026, evening").
 */
import { decimalOf, KeyMap } from '../core/key-map.js';
import type { BulkWriter } from '../store/bulk.js';
import type { Executor } from '../store/executor.js';

/** `RemoteIndex.visit`: a record the index does not hold. */
export const NOT_KNOWN = -1;
/** `RemoteIndex.visit`: a record this run has met before. */
export const REPEATED = -2;

/** Items per query of the packed read. */
const PAGE = 10_000;
/** Flag bits per slot. */
const LIVE = 1; // the remote record is not deleted
const LINKED = 2;
const HASHED = 4; // the hash is a 16-hex-digit digest, held in hashHigh/hashLow

/**
 * One item as text: `signedId,hash,keyLength:key` — the id negated for a linked item, the hash `-` for a
 * deleted record (hashes are hex digests: never a comma), the key's length in characters so that any
 * key reads back whole. Only `remote_deleted` says deleted: a live record without a hash (an undo
 * brought it back) is empty here, live, and matches no row.
 */
const PACKED_ITEM = `cast(case when linked = 1 then -id else id end as text) || ',' ||
  case when remote_deleted = 1 then '-' else coalesce(remote_hash, '') end || ',' ||
  cast(length(remote_key) as text) || ':' || remote_key`;

export class RemoteIndex {
  private readonly slots = new KeyMap();
  private ids = new Float64Array(1024);
  private hashHigh = new Uint32Array(1024);
  private hashLow = new Uint32Array(1024);
  private flags = new Uint8Array(1024);
  /** The row of this run's snapshot that carried each record, 0 while none has. */
  private seenAt = new Uint32Array(0);
  private count = 0;

  static async load(db: Executor, bulk: BulkWriter, integrationId: number): Promise<RemoteIndex> {
    const index = new RemoteIndex();
    // Keyset pages along the unique (integration_id, remote_key) index; the first one takes the key ''.
    const page = (from: '>=' | '>') =>
      `select max(remote_key) as last_key, ${bulk.joinText('item_text')} as packed from (
         select remote_key, ${PACKED_ITEM} as item_text from item
         where integration_id = ? and remote_key is not null and remote_key ${from} ?
         order by remote_key limit ${PAGE}) page`;
    let after = '';
    for (let first = true; ; first = false) {
      const [last, packed] = ((await firstRow(
        bulk.scan(db, page(first ? '>=' : '>'), [integrationId, after]),
      )) ?? [null, null]) as [string | null, string | null];
      if (last === null || packed === null) break;
      index.addPacked(packed);
      after = last;
    }
    index.seenAt = new Uint32Array(index.count);
    return index;
  }

  /** Add the items of one packed page (see `PACKED_ITEM`). */
  private addPacked(text: string): void {
    let i = 0;
    while (i < text.length) {
      const negative = text.charCodeAt(i) === 45; // '-'
      if (negative) i++;
      let id = 0;
      for (let c = text.charCodeAt(i); c !== 44; c = text.charCodeAt(++i)) id = id * 10 + (c - 48);
      const hashStart = ++i;
      while (text.charCodeAt(i) !== 44) i++;
      const hashEnd = i++;
      let length = 0;
      for (let c = text.charCodeAt(i); c !== 58; c = text.charCodeAt(++i)) length = length * 10 + (c - 48);
      const keyStart = ++i;
      // The length counts characters; one outside the BMP is two UTF-16 units.
      for (let n = 0; n < length; n++) i += isHighSurrogate(text.charCodeAt(i)) ? 2 : 1;
      const slot = this.next(id, negative);
      const decimal = decimalOf(text, keyStart, i);
      if (decimal < 0) this.slots.set(text.slice(keyStart, i), slot);
      else this.slots.setDecimal(decimal, slot);
      if (hashEnd - hashStart === 1 && text.charCodeAt(hashStart) === 45) continue; // deleted
      this.flags[slot]! |= LIVE;
      const high = hashEnd - hashStart === 16 ? hex32(text, hashStart) : -1;
      const low = high < 0 ? -1 : hex32(text, hashStart + 8);
      if (low < 0) continue; // a hash of another format never matches
      this.hashHigh[slot] = high;
      this.hashLow[slot] = low;
      this.flags[slot]! |= HASHED;
    }
  }

  private next(id: number, linked: boolean): number {
    const i = this.count++;
    if (i === this.ids.length) this.grow();
    this.ids[i] = id;
    this.flags[i] = linked ? LINKED : 0;
    return i;
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
   * Mark `key` as present in this run, on snapshot row `row`. Returns its slot, `NOT_KNOWN` for a record
   * not seen before, or `REPEATED` when this run has met it already (a duplicate number in the snapshot;
   * `firstRow` says where). A number, not an object: this runs for every row of a million.
   */
  visit(key: string, row: number): number {
    const i = this.slots.get(key);
    if (i === undefined) return NOT_KNOWN;
    if (this.seenAt[i] !== 0) return REPEATED;
    this.seenAt[i] = Math.max(row, 1);
    return i;
  }

  /** The row that carried `key` first in this run, if a row did. */
  firstRow(key: string): number | undefined {
    const i = this.slots.get(key);
    return i === undefined || this.seenAt[i] === 0 ? undefined : this.seenAt[i];
  }

  /** Whether the record in `slot` had content `hash` (a digest of this run) last time, and was not deleted. */
  unchanged(slot: number, hash: string): boolean {
    return (
      (this.flags[slot]! & (LIVE | HASHED)) === (LIVE | HASHED) &&
      hash.length === 16 &&
      hex32(hash, 0) === this.hashHigh[slot] &&
      hex32(hash, 8) === this.hashLow[slot]
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
      if (this.seenAt[i] === 0 && (this.flags[i]! & LIVE) === LIVE) out.push(this.ids[i]!);
    return out;
  }

  /** Linked items with a remote record (deleted or not) as the run began: the mass-delete guard's base. */
  links(): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) n += (this.flags[i]! & LINKED) >> 1;
    return n;
  }
}

/** `larger` holding `values` at its start. */
function enlarged<T extends Float64Array | Uint32Array | Uint8Array>(values: T, larger: T): T {
  larger.set(values);
  return larger;
}

async function firstRow(pages: AsyncIterable<unknown[][]>): Promise<unknown[] | undefined> {
  for await (const page of pages) return page[0];
  return undefined;
}

/** Eight lowercase hex digits of `text` from `at` as a number, or -1 if they are not that. */
function hex32(text: string, at: number): number {
  let value = 0;
  for (let i = at; i < at + 8; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

/**
 * A map from number keys (`numberKey`) to numbers (never NaN), for the structures a run keeps for every row of a
 * million (the remote index, the file's duplicate check). Keys that are plain decimals — the usual case —
 * are held as numbers: where they lie close together (employee numbers 1 … 1,000,000) in a typed array
 * indexed by the number itself, else in a `Map` of numbers. Either way an entry is no object of its own,
 * and the garbage collector has nothing in it to trace; the array also spares a million hash lookups
 * (about 0.3 µs each at that size). Other keys (leading zeros kept, letters, more than 15 digits) are
 * held as text.
 */

/**
 * The array grows to cover a key only below twice the entries plus this: with its doubling it then costs
 * at most about 32 bytes an entry, what a `Map` entry costs too.
 */
const DENSE_SLACK = 4096;

export class KeyMap {
  /** Value at index `key`; NaN where there is none. */
  private dense = new Float64Array(0);
  private denseCount = 0;
  private readonly numbers = new Map<number, number>();
  private readonly texts = new Map<string, number>();

  get(key: string): number | undefined {
    const n = decimalOf(key);
    return n < 0 ? this.texts.get(key) : this.getDecimal(n);
  }

  set(key: string, value: number): void {
    const n = decimalOf(key);
    if (n < 0) this.texts.set(key, value);
    else this.setDecimal(n, value);
  }

  /** `get` for a plain-decimal key, given as the number it reads as. */
  getDecimal(key: number): number | undefined {
    if (key < this.dense.length) {
      const v = this.dense[key]!;
      return v === v ? v : undefined; // NaN: none
    }
    return this.numbers.get(key);
  }

  /** `set` for a plain-decimal key, given as the number it reads as. */
  setDecimal(key: number, value: number): void {
    if (key >= this.dense.length && key < 2 * this.size + DENSE_SLACK) this.widen(key);
    if (key < this.dense.length) {
      if (this.dense[key] !== this.dense[key]) this.denseCount++;
      this.dense[key] = value;
    } else {
      this.numbers.set(key, value);
    }
  }

  get size(): number {
    return this.denseCount + this.numbers.size + this.texts.size;
  }

  /** Grow the array to cover `key`, moving the map's entries it now covers into it. */
  private widen(key: number): void {
    let length = Math.max(DENSE_SLACK, this.dense.length);
    while (length <= key) length *= 2;
    const dense = new Float64Array(length).fill(NaN);
    dense.set(this.dense);
    this.dense = dense;
    for (const [k, v] of this.numbers) {
      if (k >= length) continue;
      dense[k] = v;
      this.denseCount++;
      this.numbers.delete(k);
    }
  }
}

/**
 * The number a plain-decimal key reads as — no leading zero, at most 15 digits, so that it and its text
 * stand for each other — or -1 for any other key. `start`/`end`: the key is that part of `text`.
 */
export function decimalOf(text: string, start = 0, end = text.length): number {
  if (end - start === 0 || end - start > 15) return -1;
  let c = text.charCodeAt(start);
  if (c < 49 || c > 57) return -1;
  let value = c - 48;
  for (let i = start + 1; i < end; i++) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    value = value * 10 + (c - 48);
  }
  return value;
}

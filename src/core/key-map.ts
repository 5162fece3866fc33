/**
 * A map from number keys (`numberKey`) to small integers, for the structures a run keeps for every row
 * of a million (the remote index, the file's duplicate check). Keys that are plain decimals — the usual
 * case — are held as numbers: a small integer key is no object of its own, so the map costs a few bytes
 * an entry and the garbage collector has nothing in it to trace. Other keys (leading zeros kept,
 * letters, more than 15 digits) are held as text.
 */
const DECIMAL = /^[1-9]\d{0,14}$/;

export class KeyMap {
  private readonly numbers = new Map<number, number>();
  private readonly texts = new Map<string, number>();

  get(key: string): number | undefined {
    return DECIMAL.test(key) ? this.numbers.get(Number(key)) : this.texts.get(key);
  }

  set(key: string, value: number): void {
    if (DECIMAL.test(key)) this.numbers.set(Number(key), value);
    else this.texts.set(key, value);
  }

  /** `set` for a key that is a plain decimal, given as the number it reads as (`DECIMAL`'s texts only). */
  setDecimal(key: number, value: number): void {
    this.numbers.set(key, value);
  }

  get size(): number {
    return this.numbers.size + this.texts.size;
  }
}

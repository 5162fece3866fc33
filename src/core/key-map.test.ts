import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyMap } from './key-map.js';

describe('KeyMap', () => {
  it('keeps keys that read as the same number apart when their texts differ', () => {
    const map = new KeyMap();
    const keys = [
      '7',
      '07',
      '007',
      '0',
      '00',
      '123456789012345',
      '1234567890123456',
      '12345678901234567',
      'A7',
      '7A',
      '',
    ];
    keys.forEach((k, i) => map.set(k, i));
    keys.forEach((k, i) => expect(map.get(k)).toBe(i));
    expect(map.size).toBe(keys.length);
    expect(map.get('8')).toBeUndefined();
    expect(map.get('1234567890123457')).toBeUndefined();
  });

  it('behaves as a Map<string, number> for any keys, close or far apart', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.stringMatching(/^\d{1,18}$/),
              fc.string(),
              fc.integer({ min: 0, max: 20_000 }).map(String), // dense: the array, and its growth
              fc.integer({ min: 0, max: 2 ** 40 }).map(String),
              fc.stringMatching(/^0\d{0,4}$/),
            ),
            fc.double({ noNaN: true }),
          ),
          { maxLength: 3000 },
        ),
        (entries) => {
          const map = new KeyMap();
          const model = new Map<string, number>();
          for (const [k, v] of entries) {
            map.set(k, v);
            model.set(k, v);
          }
          expect(map.size).toBe(model.size);
          for (const [k, v] of model) expect(map.get(k)).toBe(v);
          for (const [k] of entries) expect(map.get(`${k}9`)).toBe(model.get(`${k}9`));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('holds close numbers in its array and moves earlier far ones there as it grows', () => {
    const map = new KeyMap();
    map.set('100000', -1); // far from the entries so far: kept in the map of numbers
    map.set('A1', -2);
    // Past 65,536 the array grows to 131,072 entries: it then covers 100000 too.
    for (let n = 1; n <= 70_000; n++) map.set(String(n), n * 2);
    map.set('7', 0.5); // overwritten, not counted twice
    expect(map.size).toBe(70_002);
    expect(map.get('100000')).toBe(-1);
    expect(map.get('A1')).toBe(-2);
    expect(map.get('7')).toBe(0.5);
    expect(map.get('70000')).toBe(140_000);
    expect(map.get('70001')).toBeUndefined();
    expect(map.get('0')).toBeUndefined();
    expect(map.get('007')).toBeUndefined();
    expect(map.getDecimal(59_999)).toBe(119_998);
  });
});

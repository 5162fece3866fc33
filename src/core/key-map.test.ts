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

  it('behaves as a Map<string, number> for any keys', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(fc.stringMatching(/^\d{1,18}$/), fc.string()), fc.integer()), {
          maxLength: 200,
        }),
        (entries) => {
          const map = new KeyMap();
          const model = new Map<string, number>();
          for (const [k, v] of entries) {
            map.set(k, v);
            model.set(k, v);
          }
          expect(map.size).toBe(model.size);
          for (const [k, v] of model) expect(map.get(k)).toBe(v);
        },
      ),
    );
  });
});

/** Tryton's tagged datetime (`{"__class__": "datetime", …}`) and the ISO watermarks Abgleich keeps. */
import { fail } from '../../core/errors.js';

export interface TrytonDateTime {
  readonly __class__: 'datetime';
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond?: number;
}

/** ISO `YYYY-MM-DDTHH:MM:SS.ffffff` (naive UTC, as Tryton keeps it) → Tryton's tagged datetime. */
export function toDateTime(iso: string): TrytonDateTime {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(iso);
  if (!m) fail('usage', `"${iso}" is not a watermark.`);
  const [, y, mo, d, h, mi, s, f = '0'] = m;
  return {
    __class__: 'datetime',
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    microsecond: Number(f.padEnd(6, '0')),
  };
}

export function fromDateTime(d: TrytonDateTime): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.year, 4)}-${p(d.month)}-${p(d.day)}T${p(d.hour)}:${p(d.minute)}:${p(d.second)}.${p(d.microsecond ?? 0, 6)}`;
}

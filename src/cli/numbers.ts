/**
 * Whole numbers on the command line: limits, offsets, versions, ids, ports, minutes. Every numeric option
 * and argument parses through here, so "abc", "-5" or "1e3" is refused as `usage` naming the option and
 * the value before any work starts (not passed on as NaN to a query or a message).
 */
import { Option } from 'commander';
import { fail } from '../core/errors.js';

/** The largest id, version or count a command takes: PostgreSQL's `integer`, which the ids are. */
export const MAX_WHOLE = 2_147_483_647;

export interface WholeRange {
  readonly min?: number;
  readonly max?: number;
}

/** `value` as a whole number in `[min, max]` (default 0 to MAX_WHOLE); `usage` naming `name` otherwise. */
export function parseWhole(value: string, name: string, range: WholeRange = {}): number {
  const min = range.min ?? 0;
  const max = range.max ?? MAX_WHOLE;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(n) || n < min || n > max) {
    const want = max === MAX_WHOLE && !(n > max) ? `of at least ${min}` : `from ${min} to ${max}`;
    fail('usage', `${name} must be a whole number ${want}, not "${value}".`, { option: name, value });
  }
  return n;
}

/**
 * An option taking a whole number, e.g. `wholeOption('--limit <n>', 'at most this many', { min: 1 }, 50)`:
 * its value arrives as a number, and a bad one is refused naming the option (`--limit`).
 */
export function wholeOption(
  flags: string,
  description: string,
  range: WholeRange = {},
  byDefault?: number,
): Option {
  const option = new Option(flags, description);
  const name = option.long ?? option.flags;
  option.argParser((value: string) => parseWhole(value, name, range));
  if (byDefault !== undefined) option.default(byDefault);
  return option;
}

/** Item ids given as arguments: each a whole number of at least 1. */
export function itemIds(args: readonly string[]): number[] {
  return args.map((a) => parseWhole(a, 'The item id', { min: 1 }));
}

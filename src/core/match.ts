/**
 * Matching (SYNC.md §6 automatic linking, §7 "choose partner"): which unlinked records may be linked
 * automatically, and how candidates for a manual link are ranked.
 */
import type { EntityKind, FieldValues } from './fields.js';
import type { ItemState } from './model.js';
import type { NumberOptions } from './compare.js';
import { isInactive } from './values.js';
import { compareKey, numberKey } from './compare.js';

/** An unlinked record may be linked by number when it is active, not archived/deleted, not "do not sync". */
export function mayAutoLink(s: ItemState, today: string): boolean {
  if (s.linked || s.doNotSync) return false;
  const side = s.local ?? s.remote;
  if (!side) return false;
  const gone = s.local ? s.local.archived : (s.remote?.deleted ?? true);
  return !gone && !isInactive(side.values, today);
}

export const MATCH_REASONS = ['number', 'email', 'phone', 'ssn', 'name-zip'] as const;
export type MatchReason = (typeof MATCH_REASONS)[number];

const WEIGHT: Record<MatchReason, number> = { number: 100, ssn: 90, email: 60, phone: 50, 'name-zip': 40 };

export interface Candidate<Id> {
  readonly id: Id;
  readonly values: FieldValues;
}

export interface RankedCandidate<Id> {
  readonly id: Id;
  readonly score: number;
  readonly reasons: readonly MatchReason[];
}

/** Candidates that share at least one reason with `record`, best first (ties keep their order). */
export function rankCandidates<Id>(
  kind: EntityKind,
  record: FieldValues,
  candidates: readonly Candidate<Id>[],
  numbers: NumberOptions,
): RankedCandidate<Id>[] {
  const ranked: RankedCandidate<Id>[] = [];
  for (const c of candidates) {
    const reasons = MATCH_REASONS.filter((r) => matches(kind, r, record, c.values, numbers));
    if (reasons.length === 0) continue;
    ranked.push({ id: c.id, reasons, score: reasons.reduce((sum, r) => sum + WEIGHT[r], 0) });
  }
  return ranked.sort((a, b) => b.score - a.score);
}

function matches(
  kind: EntityKind,
  reason: MatchReason,
  a: FieldValues,
  b: FieldValues,
  numbers: NumberOptions,
): boolean {
  const same = (v: string | undefined, w: string | undefined) => !!v && !!w && v === w;
  switch (reason) {
    case 'number':
      return same(numberKey(a.number ?? '', numbers), numberKey(b.number ?? '', numbers));
    case 'email':
      return same(a.email, b.email);
    case 'phone': {
      const fields =
        kind === 'employee' ? (['workPhone', 'privatePhone'] as const) : (['phone', 'contactPhone'] as const);
      const keys = (v: FieldValues) =>
        fields.map((f) => compareKey(kind, f, v, numbers)).filter((k) => k.length >= 6);
      const theirs = new Set(keys(b));
      return keys(a).some((k) => theirs.has(k));
    }
    case 'ssn':
      return kind === 'employee' && same(a.ssn?.replace(/-/g, ''), b.ssn?.replace(/-/g, ''));
    case 'name-zip': {
      // Compared as the engine compares them: "1067" is "01067", "Müller, Jürgen" is "Jürgen Müller".
      const key = (v: FieldValues, f: 'zip' | 'name') => (v[f] ? compareKey(kind, f, v, numbers) : '');
      return same(key(a, 'zip'), key(b, 'zip')) && nameSimilarity(key(a, 'name'), key(b, 'name')) >= 0.6;
    }
  }
}

/** Dice coefficient over letter bigrams of the lower-cased, accent-folded names (0 … 1). */
export function nameSimilarity(a: string, b: string): number {
  const grams = (s: string) => {
    const t = s
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    const out: string[] = [];
    for (let i = 0; i < t.length - 1; i++) out.push(t.slice(i, i + 2));
    return out;
  };
  const ga = grams(a);
  const gb = grams(b);
  if (ga.length === 0 || gb.length === 0) return a.trim().toLowerCase() === b.trim().toLowerCase() ? 1 : 0;
  const counts = new Map<string, number>();
  for (const g of ga) counts.set(g, (counts.get(g) ?? 0) + 1);
  let shared = 0;
  for (const g of gb) {
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(g, n - 1);
    }
  }
  return (2 * shared) / (ga.length + gb.length);
}

/**
 * The "resolve" action of SYNC.md §7 as a pure decision: per field, the chosen value goes to both sides
 * (the remote side only when writable) and becomes the baseline.
 */
import type { FieldName } from './fields.js';
import type { Baseline, ItemState, Patch, ReconcileContext } from './model.js';
import { compareKey } from './values.js';

/** Per field: take the local value, the remote value, or a typed (already validated, canonical) value. */
export type Choice = 'local' | 'remote' | { readonly value: string };

export interface Resolution {
  readonly localPatch: Patch;
  readonly remotePatch: Patch;
  readonly baseline: Baseline;
}

export function resolveFields(
  s: ItemState,
  ctx: ReconcileContext,
  choices: Readonly<Partial<Record<FieldName, Choice>>>,
): Resolution {
  const local = s.local?.values ?? {};
  const remote = s.remote?.values ?? {};
  const localPatch: Patch = {};
  const remotePatch: Patch = {};
  const nextLocal: Partial<Record<FieldName, string>> = { ...s.baseline.local };
  const nextRemote: Partial<Record<FieldName, string>> = { ...s.baseline.remote };
  const key = (field: FieldName, value: string) => compareKey(ctx.kind, field, { ...local, [field]: value }, ctx.numbers);
  for (const [field, choice] of Object.entries(choices) as [FieldName, Choice][]) {
    const l = local[field] ?? '';
    const r = remote[field] ?? '';
    const value = choice === 'local' ? l : choice === 'remote' ? r : choice.value;
    if (key(field, l) !== key(field, value)) localPatch[field] = value;
    const pushed = ctx.writable && key(field, r) !== key(field, value);
    if (pushed) remotePatch[field] = value;
    nextLocal[field] = value;
    // lastRemote is what the remote side holds now: it moves to a pushed value only once confirmed.
    nextRemote[field] = r;
  }
  return { localPatch, remotePatch, baseline: { local: nextLocal, remote: nextRemote } };
}

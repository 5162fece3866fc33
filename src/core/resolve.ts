/**
 * The "resolve" action of SYNC.md §7 as a pure decision: per field, the chosen value goes to both sides
 * (the remote side only when writable) and becomes the baseline.
 */
import type { FieldName, FieldValues } from './fields.js';
import { getFieldDef } from './fields.js';
import type { Baseline, ItemState, Patch, ReconcileContext } from './model.js';
import { compareKey, withCodesOf, withCounterpartCodes } from './compare.js';

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
  const isPhone = (field: FieldName) => getFieldDef(ctx.kind, field).kind === 'phone';
  // A phone means a number only with its record's code: phones are resolved after the codes, and read
  // as `reconcile` reads them (own code, else the counterpart's), so both sides get the same number.
  const entries = (Object.entries(choices) as [FieldName, Choice][]).sort(
    ([a], [b]) => +isPhone(a) - +isPhone(b),
  );
  for (const [field, choice] of entries) {
    const localView = withCounterpartCodes(
      ctx.kind,
      { ...local, ...localPatch },
      { ...remote, ...remotePatch },
    );
    const remoteView = withCounterpartCodes(
      ctx.kind,
      { ...remote, ...remotePatch },
      { ...local, ...localPatch },
    );
    const key = (view: FieldValues, value: string) =>
      compareKey(ctx.kind, field, { ...view, [field]: value }, ctx.numbers);
    /** The chosen value as it is to be written on the side read as `view`: E.164 if it would read differently. */
    const carried = (view: FieldValues, value: string, meaning: string) =>
      isPhone(field) && key(view, value) !== meaning ? meaning : value;
    const l = local[field] ?? '';
    const r = remote[field] ?? '';
    const value = choice === 'local' ? l : choice === 'remote' ? r : choice.value;
    // What the choice means: the remote value as the remote side reads it; any other as the local side.
    const meaning = choice === 'remote' ? key(remoteView, r) : key(localView, value);
    if (key(localView, l) !== meaning) localPatch[field] = carried(localView, value, meaning);
    if (ctx.writable && key(remoteView, r) !== meaning)
      remotePatch[field] = carried(remoteView, value, meaning);
    nextLocal[field] = localPatch[field] ?? l;
    // lastRemote is what the remote side holds now: it moves to a pushed value only once confirmed.
    nextRemote[field] = r;
  }
  pinPhoneBaselines(
    ctx,
    choices,
    s.baseline,
    { local, remote },
    { local: localPatch, remote: remotePatch },
    {
      local: nextLocal,
      remote: nextRemote,
    },
  );
  return { localPatch, remotePatch, baseline: { local: nextLocal, remote: nextRemote } };
}

type Sides<T> = { readonly local: T; readonly remote: T };

/**
 * A resolved phone code changes how the phones under it read (SYNC.md §3: a phone's baseline is read
 * with the codes its side holds now). Where one of a side's phone and its baseline is written
 * internationally and the other nationally, that can turn an agreed number into a changed one — say,
 * both records left without a code — and `reconcile` would then show a conflict nobody made. So for a
 * phone that was unchanged on a side before the resolution and would read as changed after it, the
 * baseline takes the number as the side holds it. A phone whose number and baseline both move with the
 * code stays as it is: a code change is the code field's business.
 */
function pinPhoneBaselines(
  ctx: ReconcileContext,
  choices: Readonly<Partial<Record<FieldName, Choice>>>,
  baseline: Baseline,
  before: Sides<FieldValues>,
  patches: Sides<Patch>,
  next: Sides<Partial<Record<FieldName, string>>>,
): void {
  const after = {
    local: { ...before.local, ...patches.local },
    remote: { ...before.remote, ...patches.remote },
  };
  const views = (v: Sides<FieldValues>) => ({
    local: withCounterpartCodes(ctx.kind, v.local, v.remote),
    remote: withCounterpartCodes(ctx.kind, v.remote, v.local),
  });
  const old = views(before);
  const now = views(after);
  const unchanged = (phone: FieldName, last: FieldValues, view: FieldValues) =>
    compareKey(ctx.kind, phone, withCodesOf(ctx.kind, last, view), ctx.numbers) ===
    compareKey(ctx.kind, phone, view, ctx.numbers);
  for (const phone of ctx.fields) {
    const code = getFieldDef(ctx.kind, phone).phoneCodeField;
    if (!code || !Object.hasOwn(choices, code) || Object.hasOwn(choices, phone)) continue;
    for (const side of ['local', 'remote'] as const) {
      if (!Object.hasOwn(baseline[side], phone)) continue;
      if (unchanged(phone, baseline[side], old[side]) && !unchanged(phone, baseline[side], now[side]))
        next[side][phone] = after[side][phone] ?? '';
    }
  }
}

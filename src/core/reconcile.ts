/**
 * Reconciling one overview item (SYNC.md §4, §5): classify it, and for a live link decide every compared
 * field, merge what is safe and report the rest as conflicts.
 */
import type { FieldName, FieldValues } from './fields.js';
import { FIELDS_OF, getFieldDef } from './fields.js';
import type { Baseline, Category, ItemState, Outcome, Patch, ReconcileContext } from './model.js';
import { decideField } from './three-way.js';
import { checkRecord, isInactive } from './values.js';
import { compareKey, withCodesOf, withCounterpartCodes } from './compare.js';

const localGone = (s: ItemState): boolean => s.local === null || s.local.archived;
const remoteGone = (s: ItemState): boolean => s.remote === null || s.remote.deleted;

/** The category of an unlinked item, by SYNC.md §4 precedence `disabled` > `inactive` > `new`. */
export function classifyUnlinked(s: ItemState, today: string): Category {
  if (s.doNotSync) return 'disabled';
  const gone = s.local ? s.local.archived : s.remote ? s.remote.deleted : true;
  const values = (s.local ?? s.remote)?.values ?? {};
  return gone || isInactive(values, today) ? 'inactive' : 'new';
}

const nothing = (s: ItemState, category: Category, retire = false): Outcome => ({
  category,
  conflicts: [],
  localPatch: {},
  remotePatch: {},
  baseline: s.baseline,
  retire,
});

/** Decide one item. Applying the outcome and then reconciling again yields no further patches (§10.4). */
export function reconcile(s: ItemState, ctx: ReconcileContext): Outcome {
  if (!s.linked) return nothing(s, classifyUnlinked(s, ctx.today));
  if (!s.syncEnabled) return nothing(s, 'disabled');
  const lGone = localGone(s);
  const rGone = remoteGone(s);
  if (lGone && rGone) return nothing(s, 'deleted', true);
  if (lGone || rGone) return nothing(s, 'deleted');
  return mergeLink(s.local!.values, s.remote!.values, s.baseline, ctx);
}

function mergeLink(
  local: FieldValues,
  remote: FieldValues,
  baseline: Baseline,
  ctx: ReconcileContext,
): Outcome {
  const conflicts: FieldName[] = [];
  const localPatch: Patch = {};
  const remotePatch: Patch = {};
  const nextLocal: Partial<Record<FieldName, string>> = { ...baseline.local };
  const nextRemote: Partial<Record<FieldName, string>> = { ...baseline.remote };
  const key = (values: FieldValues, field: FieldName) => compareKey(ctx.kind, field, values, ctx.numbers);
  // Phones are read with the codes their records hold after this outcome, so they are decided last.
  const isPhone = (field: FieldName) => getFieldDef(ctx.kind, field).kind === 'phone';
  const fields = [...ctx.fields.filter((f) => !isPhone(f)), ...ctx.fields.filter(isPhone)];
  for (const field of fields) {
    const rule = ctx.rules[field] ?? 'two-way';
    if (rule === 'ignore') continue;
    const has = Object.hasOwn(baseline.local, field) && Object.hasOwn(baseline.remote, field);
    const view: Views = isPhone(field)
      ? phoneViews(ctx, { ...local, ...localPatch }, { ...remote, ...remotePatch }, baseline)
      : { local, remote, lastLocal: baseline.local, lastRemote: baseline.remote };
    const inputs = {
      local: key(view.local, field),
      remote: key(view.remote, field),
      lastLocal: has ? key(view.lastLocal, field) : undefined,
      lastRemote: has ? key(view.lastRemote, field) : undefined,
    };
    const l = local[field] ?? '';
    const r = remote[field] ?? '';
    switch (decideField(inputs, rule, ctx.writable)) {
      case 'conflict':
        conflicts.push(field);
        continue;
      case 'take-remote':
        // The baseline holds what the local side holds after the outcome: unpatched, that is still `l`.
        if (inputs.local !== inputs.remote)
          localPatch[field] = carried(ctx, field, r, inputs.remote, view.local);
        nextLocal[field] = localPatch[field] ?? l;
        nextRemote[field] = r;
        continue;
      case 'push-local':
        remotePatch[field] = carried(ctx, field, l, inputs.local, view.remote);
        // lastRemote stays what the remote side holds; it moves when the remote side confirms the write.
        nextLocal[field] = l;
        nextRemote[field] = r;
        continue;
      case 'keep':
        nextLocal[field] = l;
        nextRemote[field] = r;
        continue;
      case 'local-ahead':
        // Not an agreement: the baseline stays at the last agreed values, so that a later remote change
        // of the same field is a conflict rather than an overwrite of the local edit (SYNC.md §10.2).
        continue;
    }
  }
  const next = { local: nextLocal, remote: nextRemote };
  holdBackInvalid(ctx, { ...local, ...localPatch }, localPatch, baseline, next, conflicts);
  holdBackInvalid(ctx, { ...remote, ...remotePatch }, remotePatch, baseline, next, conflicts);
  const order = FIELDS_OF[ctx.kind];
  conflicts.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return {
    category: conflicts.length > 0 ? 'conflict' : 'synced',
    conflicts,
    localPatch,
    remotePatch,
    baseline: { local: nextLocal, remote: nextRemote },
    retire: false,
  };
}

/**
 * Fields merged one by one can make a record that breaks a rule spanning fields: a private customer
 * given the other side's CVR number while the type itself is in conflict, an end of employment before
 * its start. Such a merge is not safe (SYNC.md §5 merges only what is): the patched fields of the broken
 * rule are held back as conflicts, their baseline left where it was, and the person decides them with the
 * rest. `merged` is one side's values after `patch`.
 */
function holdBackInvalid(
  ctx: ReconcileContext,
  merged: FieldValues,
  patch: Patch,
  baseline: Baseline,
  next: { local: Partial<Record<FieldName, string>>; remote: Partial<Record<FieldName, string>> },
  conflicts: FieldName[],
): void {
  for (const problem of checkRecord(ctx.kind, merged, [])) {
    for (const field of [problem.field, problem.related]) {
      if (field === undefined || !Object.hasOwn(patch, field)) continue;
      delete patch[field];
      for (const side of ['local', 'remote'] as const) {
        const agreed = baseline[side][field];
        if (agreed !== undefined) next[side][field] = agreed;
        else delete next[side][field];
      }
      if (!conflicts.includes(field)) conflicts.push(field);
    }
  }
}

interface Views {
  readonly local: FieldValues;
  readonly remote: FieldValues;
  readonly lastLocal: FieldValues;
  readonly lastRemote: FieldValues;
}

/**
 * How a phone field is read (E.164, SYNC.md §3): each record with its own codes, else its counterpart's
 * (both describe the same person), and each baseline with the codes its side holds now, so that a code
 * missing or stale in the baseline is not mistaken for a change of the number.
 */
function phoneViews(
  ctx: ReconcileContext,
  local: FieldValues,
  remote: FieldValues,
  baseline: Baseline,
): Views {
  const localView = withCounterpartCodes(ctx.kind, local, remote);
  const remoteView = withCounterpartCodes(ctx.kind, remote, local);
  return {
    local: localView,
    remote: remoteView,
    lastLocal: withCodesOf(ctx.kind, baseline.local, localView),
    lastRemote: withCodesOf(ctx.kind, baseline.remote, remoteView),
  };
}

/**
 * The value to write on the side read as `target`: as it is, unless that side would read it as another
 * value (a national phone under another code); then its compare key (E.164), so that the sides agree
 * after the write (SYNC.md §10.4).
 */
function carried(
  ctx: ReconcileContext,
  field: FieldName,
  value: string,
  meaning: string,
  target: FieldValues,
): string {
  return compareKey(ctx.kind, field, { ...target, [field]: value }, ctx.numbers) === meaning
    ? value
    : meaning;
}

/**
 * `reconcile` of a link between two records holding the same `values`, with no baseline yet — a
 * partner just created from the other side: every compared field is agreed as it stands. The same
 * outcome as `reconcile` gives (a property test holds the two together), without comparing each field
 * four ways; "create all partners" asks this a million times.
 */
export function agreedLink(values: FieldValues, ctx: ReconcileContext): Outcome {
  const agreed: Partial<Record<FieldName, string>> = {};
  for (const field of ctx.fields) if (ctx.rules[field] !== 'ignore') agreed[field] = values[field] ?? '';
  return {
    category: 'synced',
    conflicts: [],
    localPatch: {},
    remotePatch: {},
    baseline: { local: agreed, remote: agreed },
    retire: false,
  };
}

/** Whether two sets of values are the same (a field present on one side only makes them differ). */
/** The fields whose values differ between `a` and `b` (one missing counts as empty). */
export function changedFields(a: FieldValues, b: FieldValues): FieldName[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as FieldName[]);
  return [...keys].filter((k) => (a[k] ?? '') !== (b[k] ?? ''));
}

export function sameValues(a: FieldValues, b: FieldValues): boolean {
  if (a === b) return true;
  const ka = Object.keys(a) as FieldName[];
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

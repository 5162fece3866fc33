/**
 * Reconciling one overview item (SYNC.md §4, §5): classify it, and for a live link decide every compared
 * field, merge what is safe and report the rest as conflicts.
 */
import type { FieldName, FieldValues } from './fields.js';
import { FIELDS_OF, getFieldDef } from './fields.js';
import type { Baseline, Category, ItemState, Outcome, Patch, ReconcileContext } from './model.js';
import { decideField } from './three-way.js';
import { compareKey, isInactive, withCodesOf, withCounterpartCodes } from './values.js';

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

function mergeLink(local: FieldValues, remote: FieldValues, baseline: Baseline, ctx: ReconcileContext): Outcome {
  const conflicts: FieldName[] = [];
  const localPatch: Patch = {};
  const remotePatch: Patch = {};
  const nextLocal: Partial<Record<FieldName, string>> = { ...baseline.local };
  const nextRemote: Partial<Record<FieldName, string>> = { ...baseline.remote };
  const key = (values: FieldValues, field: FieldName) => compareKey(ctx.kind, field, values, ctx.numbers);
  // Phones are compared in E.164: a record without its own code is read with its counterpart's, and a
  // baseline phone with the codes its side has now (see `withCounterpartCodes`, `withCodesOf`).
  const localView = withCounterpartCodes(ctx.kind, local, remote);
  const remoteView = withCounterpartCodes(ctx.kind, remote, local);
  const lastLocalView = withCodesOf(ctx.kind, baseline.local, localView);
  const lastRemoteView = withCodesOf(ctx.kind, baseline.remote, remoteView);
  for (const field of ctx.fields) {
    const rule = ctx.rules[field] ?? 'two-way';
    if (rule === 'ignore') continue;
    const has = Object.hasOwn(baseline.local, field) && Object.hasOwn(baseline.remote, field);
    const phone = getFieldDef(ctx.kind, field).kind === 'phone';
    const inputs = {
      local: key(phone ? localView : local, field),
      remote: key(phone ? remoteView : remote, field),
      lastLocal: has ? key(phone ? lastLocalView : baseline.local, field) : undefined,
      lastRemote: has ? key(phone ? lastRemoteView : baseline.remote, field) : undefined,
    };
    const l = local[field] ?? '';
    const r = remote[field] ?? '';
    /**
     * The value to write on the side read as `target`: as written, unless that side's phone code would
     * read it as another number; then in E.164, so that the sides agree after the write (SYNC.md §10.4).
     */
    const carried = (value: string, valueKey: string, target: FieldValues, f: FieldName): string =>
      phone && key({ ...target, [f]: value }, f) !== valueKey ? valueKey : value;
    switch (decideField(inputs, rule, ctx.writable)) {
      case 'conflict':
        conflicts.push(field);
        continue;
      case 'take-remote':
        // The baseline holds what the local side holds after the outcome: unpatched, that is still `l`.
        if (inputs.local !== inputs.remote) localPatch[field] = carried(r, inputs.remote, localView, field);
        nextLocal[field] = localPatch[field] ?? l;
        nextRemote[field] = r;
        continue;
      case 'push-local':
        remotePatch[field] = carried(l, inputs.local, remoteView, field);
        // lastRemote stays what the remote side holds; it moves when the remote side confirms the write.
        nextLocal[field] = l;
        nextRemote[field] = r;
        continue;
      case 'keep':
      case 'local-ahead':
        nextLocal[field] = l;
        nextRemote[field] = r;
        continue;
    }
  }
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

/** Whether two baselines hold the same values (used to skip writes when nothing moved). */
export function sameBaseline(a: Baseline, b: Baseline): boolean {
  return sameValues(a.local, b.local) && sameValues(a.remote, b.remote);
}

export function sameValues(a: FieldValues, b: FieldValues): boolean {
  const ka = Object.keys(a) as FieldName[];
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

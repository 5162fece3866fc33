/**
 * SYNC.md §10 invariants 1–4 at the level of one item, as fast-check properties. Values come from tiny
 * per-kind alphabets (with '' and absent) so that equal, changed and representation-only-changed values
 * all happen often; phone numbers come with and without their code fields.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntityKind, FieldName, FieldValues } from './fields.js';
import { FIELDS_OF, getFieldDef } from './fields.js';
import type { Baseline, FieldRule, ItemState, Outcome, ReconcileContext } from './model.js';
import { CATEGORIES, FIELD_RULES } from './model.js';
import { agreedLink, reconcile } from './reconcile.js';
import type { Choice } from './resolve.js';
import { resolveFields } from './resolve.js';
import { compareKey } from './compare.js';
import { checkRecord } from './values.js';

/** `RUNS=100000` for a deeper search (add `--testTimeout`); `SEED=n` replays a reported failure. */
const RUNS = {
  numRuns: Number(process.env.RUNS ?? 2000),
  ...(process.env.SEED ? { seed: Number(process.env.SEED) } : {}),
};

const ALPHABET: Record<ReturnType<typeof getFieldDef>['kind'], readonly string[]> = {
  identifier: ['', '1', '01', 'A1', 'a1'],
  // 'b, a' is 'a b' as a name, '01' is '1' as a ZIP code (compareKey): equal values written differently.
  text: ['', 'a', 'b', 'a b', 'b, a', '1', '01'],
  country: ['', 'DE', 'DK'],
  ssn: ['', 'x-1', 'x1'],
  digits: ['', '1', '2'],
  account: ['', '1', '2'],
  phoneCode: ['', '+49', '+45'],
  phone: ['', '0170 1', '170 1', '+49 170 1', '+491701', '00491701', '+45 170 1'],
  email: ['', 'a@x.de', 'b@x.de'],
  date: ['', '2020-01-01', '2030-01-01'],
  boolean: ['true', 'false'],
  customerType: ['', 'business', 'private'],
  ean: ['', '4006381333931'],
};

/** A value of `field`, or undefined for "absent" (which the engine must treat as ''). */
const valueOf = (kind: EntityKind, field: FieldName) =>
  fc.option(fc.constantFrom(...ALPHABET[getFieldDef(kind, field).kind]), { nil: undefined, freq: 6 });

/** Drop absent entries: with exactOptionalPropertyTypes a present key must hold a string. */
function compact(entries: readonly (readonly [FieldName, string | undefined])[]): FieldValues {
  const out: Partial<Record<FieldName, string>> = {};
  for (const [field, value] of entries) if (value !== undefined) out[field] = value;
  return out;
}

interface FieldHistory {
  readonly lastLocal: string | undefined;
  readonly lastRemote: string | undefined;
  readonly local: string | undefined;
  readonly remote: string | undefined;
}

/** One field's baseline and current values; each side unchanged since the baseline about half the time. */
const historyOf = (kind: EntityKind, field: FieldName): fc.Arbitrary<FieldHistory> => {
  const v = valueOf(kind, field);
  return fc
    .record({
      presence: fc.constantFrom('both', 'both', 'both', 'none', 'local-only', 'remote-only'),
      lastLocal: v,
      lastRemote: v,
      local: fc.oneof(fc.constant('same' as const), v),
      remote: fc.oneof(fc.constant('same' as const), v),
    })
    .map(({ presence, lastLocal, lastRemote, local, remote }) => {
      const L = presence === 'both' || presence === 'local-only' ? (lastLocal ?? '') : undefined;
      const R = presence === 'both' || presence === 'remote-only' ? (lastRemote ?? '') : undefined;
      return {
        lastLocal: L,
        lastRemote: R,
        local: local === 'same' ? lastLocal : local,
        remote: remote === 'same' ? lastRemote : remote,
      };
    });
};

const ruleArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom(...FIELD_RULES) },
);

interface Scenario {
  readonly item: ItemState;
  readonly ctx: ReconcileContext;
}

const scenarioOf = (kind: EntityKind): fc.Arbitrary<Scenario> => {
  const all = FIELDS_OF[kind];
  return fc
    .record({
      histories: fc.tuple(...all.map((f) => historyOf(kind, f))),
      rules: fc.tuple(...all.map(() => ruleArb)),
      fields: fc.subarray([...all], { minLength: 1 }),
      writable: fc.boolean(),
      ignoreLeadingZeros: fc.boolean(),
      linked: fc.oneof(
        { weight: 6, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      syncEnabled: fc.oneof(
        { weight: 6, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      doNotSync: fc.oneof(
        { weight: 6, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      localState: fc.constantFrom('present', 'present', 'present', 'present', 'archived', 'missing'),
      remoteState: fc.constantFrom('present', 'present', 'present', 'present', 'deleted', 'missing'),
      unlinkedSide: fc.constantFrom('local', 'remote'),
    })
    .map((g) => {
      const pick = (k: keyof FieldHistory) => compact(all.map((f, i) => [f, g.histories[i]![k]] as const));
      const localValues = pick('local');
      const remoteValues = pick('remote');
      const baseline: Baseline = { local: pick('lastLocal'), remote: pick('lastRemote') };
      const rules: Partial<Record<FieldName, FieldRule>> = {};
      all.forEach((f, i) => {
        const rule = g.rules[i];
        if (rule) rules[f] = rule;
      });
      const localSide = { values: localValues, archived: g.localState === 'archived' };
      const remoteSide = { values: remoteValues, deleted: g.remoteState === 'deleted' };
      const item: ItemState = g.linked
        ? {
            local: g.localState === 'missing' ? null : localSide,
            remote: g.remoteState === 'missing' ? null : remoteSide,
            linked: true,
            syncEnabled: g.syncEnabled,
            doNotSync: false,
            baseline,
          }
        : {
            local: g.unlinkedSide === 'local' ? localSide : null,
            remote: g.unlinkedSide === 'remote' ? remoteSide : null,
            linked: false,
            syncEnabled: true,
            doNotSync: g.doNotSync,
            baseline: { local: {}, remote: {} },
          };
      const ctx: ReconcileContext = {
        kind,
        fields: g.fields,
        rules,
        writable: g.writable,
        numbers: { ignoreLeadingZeros: g.ignoreLeadingZeros },
        today: '2025-01-01',
      };
      return { item, ctx };
    });
};

const scenario = fc.oneof(scenarioOf('employee'), scenarioOf('customer'));

/** A link whose records are both present and whose sync is enabled: the only items that merge. */
const isLive = (s: ItemState): boolean =>
  s.linked && s.syncEnabled && !!s.local && !s.local.archived && !!s.remote && !s.remote.deleted;

const compared = (ctx: ReconcileContext): FieldName[] => ctx.fields.filter((f) => ctx.rules[f] !== 'ignore');

const CODE_FIELDS = ['phoneCode', 'workPhoneCode'] as const;

/**
 * `values` with an empty phone-code field filled from `fallback`: a phone is read in E.164 with its own
 * record's code, else with the best code known for the same person (the counterpart's, or for a
 * baseline the current record's).
 */
function withCodes(values: FieldValues, fallback: FieldValues): FieldValues {
  const out: Partial<Record<FieldName, string>> = { ...values };
  for (const code of CODE_FIELDS) if (!out[code] && fallback[code]) out[code] = fallback[code];
  return out;
}

const isPhone = (ctx: ReconcileContext, field: FieldName) => getFieldDef(ctx.kind, field).kind === 'phone';

/** The compare key of `field` in a record, a phone read with the code from `counterpart` when it has none. */
function keyOf(
  ctx: ReconcileContext,
  field: FieldName,
  values: FieldValues,
  counterpart: FieldValues = {},
): string {
  return compareKey(
    ctx.kind,
    field,
    isPhone(ctx, field) ? withCodes(values, counterpart) : values,
    ctx.numbers,
  );
}

/** The compare key of `field` in a baseline: a phone is read with the codes its record (`view`) has now. */
function lastKeyOf(
  ctx: ReconcileContext,
  field: FieldName,
  baseline: FieldValues,
  view: FieldValues,
): string {
  if (!isPhone(ctx, field)) return compareKey(ctx.kind, field, baseline, ctx.numbers);
  const codes = Object.fromEntries(CODE_FIELDS.map((c) => [c, view[c] ?? '']));
  return compareKey(ctx.kind, field, { ...baseline, ...codes }, ctx.numbers);
}

/**
 * How values read on each side of a live link once the outcome is applied: a phone is compared in E.164
 * with the codes its record then holds (its own, else its counterpart's); a baseline phone likewise.
 */
function readers(ctx: ReconcileContext, item: ItemState, o: Outcome) {
  const codesAfter = (values: FieldValues, patch: FieldValues): FieldValues => ({
    ...values,
    ...Object.fromEntries(CODE_FIELDS.filter((c) => Object.hasOwn(patch, c)).map((c) => [c, patch[c]])),
  });
  const localAfter = codesAfter(item.local!.values, o.localPatch);
  const remoteAfter = codesAfter(item.remote!.values, ctx.writable ? o.remotePatch : {});
  return {
    onLocal: (f: FieldName, v: string | undefined) =>
      keyOf(ctx, f, { ...localAfter, [f]: v ?? '' }, remoteAfter),
    onRemote: (f: FieldName, v: string | undefined) =>
      keyOf(ctx, f, { ...remoteAfter, [f]: v ?? '' }, localAfter),
    localView: withCodes(localAfter, remoteAfter),
    remoteView: withCodes(remoteAfter, localAfter),
  };
}

const hasBaseline = (b: Baseline, f: FieldName) => Object.hasOwn(b.local, f) && Object.hasOwn(b.remote, f);

/**
 * Apply an outcome as a run would (SYNC.md §6): local patch in the registry; on a writable side the
 * remote write is confirmed, so the remote record and lastRemote both take the pushed values.
 */
function applyOutcome(
  s: ItemState,
  ctx: ReconcileContext,
  localPatch: FieldValues,
  remotePatch: FieldValues,
  baseline: Baseline,
): ItemState {
  const pushed = ctx.writable ? remotePatch : {};
  return {
    ...s,
    local: s.local ? { ...s.local, values: { ...s.local.values, ...localPatch } } : null,
    remote: s.remote ? { ...s.remote, values: { ...s.remote.values, ...pushed } } : null,
    baseline: { local: baseline.local, remote: { ...baseline.remote, ...pushed } },
  };
}

const applied = (s: ItemState, ctx: ReconcileContext, o: Outcome) =>
  applyOutcome(s, ctx, o.localPatch, o.remotePatch, o.baseline);

/** Baselines compared as the engine reads them: per field present, by compare key. */
function expectSameBaseline(ctx: ReconcileContext, s: ItemState, actual: Baseline, expected: Baseline): void {
  const side = (b: FieldValues, current: FieldValues) =>
    Object.fromEntries((Object.keys(b) as FieldName[]).map((f) => [f, lastKeyOf(ctx, f, b, current)]));
  const local = withCodes(s.local?.values ?? {}, s.remote?.values ?? {});
  const remote = withCodes(s.remote?.values ?? {}, s.local?.values ?? {});
  expect(side(actual.local, local)).toEqual(side(expected.local, local));
  expect(side(actual.remote, remote)).toEqual(side(expected.remote, remote));
}

describe('SYNC.md §10.1 totality, per item', () => {
  it('every item gets exactly one category, and conflicts only in the conflict category', () => {
    fc.assert(
      fc.property(scenario, ({ item, ctx }) => {
        const o = reconcile(item, ctx);
        expect(CATEGORIES).toContain(o.category);
        expect(o.conflicts.length > 0).toBe(o.category === 'conflict');
        if (!item.linked) expect(['new', 'inactive', 'disabled']).toContain(o.category);
        if (o.retire) {
          expect(item.linked).toBe(true);
          expect(o.category).toBe('deleted');
        }
        const order = FIELDS_OF[ctx.kind];
        const positions = o.conflicts.map((f) => order.indexOf(f));
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        expect(new Set(o.conflicts).size).toBe(o.conflicts.length);
        for (const f of o.conflicts) expect(compared(ctx)).toContain(f);
      }),
      RUNS,
    );
  });

  it('only a live link proposes changes, only on compared fields, and never to a file', () => {
    fc.assert(
      fc.property(scenario, ({ item, ctx }) => {
        const o = reconcile(item, ctx);
        const patched = [...Object.keys(o.localPatch), ...Object.keys(o.remotePatch)] as FieldName[];
        if (!isLive(item)) expect(patched).toEqual([]);
        for (const f of patched) expect(compared(ctx)).toContain(f);
        if (!ctx.writable) expect(o.remotePatch).toEqual({});
        for (const f of FIELDS_OF[ctx.kind].filter((x) => !compared(ctx).includes(x))) {
          expect(o.baseline.local[f]).toBe(item.baseline.local[f]);
          expect(o.baseline.remote[f]).toBe(item.baseline.remote[f]);
        }
      }),
      RUNS,
    );
  });
});

describe('SYNC.md §10.2 safety, per field of a live link', () => {
  it('a value changed on one side since the baseline is never overwritten, and is propagated or in conflict', () => {
    fc.assert(
      fc.property(scenario, ({ item, ctx }) => {
        fc.pre(isLive(item));
        const o = reconcile(item, ctx);
        const local = item.local!.values;
        const remote = item.remote!.values;
        const { onLocal, onRemote, localView, remoteView } = readers(ctx, item, o);
        for (const f of compared(ctx)) {
          if ((ctx.rules[f] ?? 'two-way') !== 'two-way' || !hasBaseline(item.baseline, f)) continue;
          const l = onLocal(f, local[f]);
          const r = onRemote(f, remote[f]);
          const localChanged = l !== lastKeyOf(ctx, f, item.baseline.local, localView);
          const remoteChanged = r !== lastKeyOf(ctx, f, item.baseline.remote, remoteView);
          const conflict = o.conflicts.includes(f);
          if (localChanged) {
            expect(o.localPatch, `local ${f} was changed and must not be overwritten`).not.toHaveProperty(f);
            if (l !== r && !conflict) {
              if (ctx.writable) expect(onRemote(f, o.remotePatch[f]), `local ${f} must be pushed`).toBe(l);
              // On a file the local value stays ahead of the file, and the baseline stays the last
              // agreement: a later remote change of the field is then a conflict, not an overwrite.
              else expect(o.baseline.local[f]).toBe(item.baseline.local[f]);
            }
          }
          if (remoteChanged) {
            expect(o.remotePatch, `remote ${f} was changed and must not be overwritten`).not.toHaveProperty(
              f,
            );
            if (l !== r && !conflict)
              expect(onLocal(f, o.localPatch[f]), `remote ${f} must be taken`).toBe(r);
          }
          if (!localChanged && !remoteChanged) {
            expect(o.localPatch).not.toHaveProperty(f);
            expect(o.remotePatch).not.toHaveProperty(f);
          }
        }
      }),
      RUNS,
    );
  });

  it('without a baseline, two different non-empty values are a conflict and neither is overwritten', () => {
    fc.assert(
      fc.property(scenario, ({ item, ctx }) => {
        fc.pre(isLive(item));
        const o = reconcile(item, ctx);
        const { onLocal, onRemote } = readers(ctx, item, o);
        for (const f of compared(ctx)) {
          if ((ctx.rules[f] ?? 'two-way') !== 'two-way' || hasBaseline(item.baseline, f)) continue;
          const l = onLocal(f, item.local!.values[f]);
          const r = onRemote(f, item.remote!.values[f]);
          if (l !== '' && r !== '' && l !== r) expect(o.conflicts).toContain(f);
          if (l !== '') expect(o.localPatch).not.toHaveProperty(f);
          if (r !== '') expect(o.remotePatch).not.toHaveProperty(f);
        }
      }),
      RUNS,
    );
  });

  it('a field rule never yields a conflict and never overwrites the side it prefers', () => {
    fc.assert(
      fc.property(scenario, ({ item, ctx }) => {
        fc.pre(isLive(item));
        const o = reconcile(item, ctx);
        const local = item.local!.values;
        const remote = item.remote!.values;
        for (const f of compared(ctx)) {
          const rule = ctx.rules[f] ?? 'two-way';
          if (rule === 'two-way') continue;
          // The one exception: taking the rule's value would break a rule spanning fields on the side it
          // is written to (a CVR number onto a private customer); that is held back for a person.
          if (o.conflicts.includes(f)) {
            const breaks = (values: FieldValues) =>
              checkRecord(ctx.kind, values, []).some((p) => p.field === f || p.related === f);
            const taking = (from: FieldValues) =>
              Object.fromEntries(o.conflicts.map((c) => [c, from[c] ?? '']));
            expect(
              breaks({ ...local, ...o.localPatch, [f]: remote[f] ?? '' }) ||
                breaks({ ...remote, ...o.remotePatch, [f]: local[f] ?? '' }) ||
                breaks({ ...local, ...o.localPatch, ...taking(remote) }) ||
                breaks({ ...remote, ...o.remotePatch, ...taking(local) }),
              `${f} (${rule}) is a conflict`,
            ).toBe(true);
          }
          const l = keyOf(ctx, f, local, remote);
          const r = keyOf(ctx, f, remote, local);
          if (rule === 'prefer-local' || (rule === 'prefer-local-unless-empty' && l !== '')) {
            expect(o.localPatch).not.toHaveProperty(f);
          }
          if (rule === 'prefer-remote' || (rule === 'prefer-remote-unless-empty' && r !== '')) {
            expect(o.remotePatch).not.toHaveProperty(f);
          }
        }
      }),
      RUNS,
    );
  });
});

/** The fields that rules spanning fields (values.ts `checkRecord`) read. */
const SPANNING: Record<EntityKind, readonly FieldName[]> = {
  employee: ['employedSince', 'employedUntil'],
  customer: ['type', 'companyRegNo', 'ean'],
};

/** Whether every record made of these fields taken from `a` or `b`, in any mix, is valid. */
function everyMixValid(kind: EntityKind, a: FieldValues, b: FieldValues): boolean {
  const fields = SPANNING[kind];
  for (let mask = 0; mask < 1 << fields.length; mask++) {
    const mix = Object.fromEntries(fields.map((f, i) => [f, ((mask >> i) & 1 ? b : a)[f] ?? '']));
    if (checkRecord(kind, mix, []).length > 0) return false;
  }
  return true;
}

describe('SYNC.md §10.3 idempotence and §10.4 convergence, per item', () => {
  it('reconciling after the outcome is applied proposes nothing and keeps category, conflicts and baseline', () => {
    fc.assert(
      fc.property(scenario, ({ item, ctx }) => {
        const first = reconcile(item, ctx);
        const next = applied(item, ctx, first);
        const second = reconcile(next, ctx);
        expect(second.localPatch).toEqual({});
        expect(second.remotePatch).toEqual({});
        expect(second.category).toBe(first.category);
        expect(second.conflicts).toEqual(first.conflicts);
        expect(second.retire).toBe(first.retire);
        expectSameBaseline(ctx, next, second.baseline, next.baseline);
      }),
      RUNS,
    );
  });

  it('a file import repeated without any change proposes nothing the second time', () => {
    fc.assert(
      fc.property(scenario, ({ item, ctx }) => {
        const fileCtx = { ...ctx, writable: false };
        const first = reconcile(item, fileCtx);
        const second = reconcile(applied(item, fileCtx, first), fileCtx);
        expect(second.localPatch).toEqual({});
        expect(second.remotePatch).toEqual({});
      }),
      RUNS,
    );
  });
});

/** The phone fields read with each phone-code field. */
const PHONES_OF_CODE: Partial<Record<FieldName, readonly FieldName[]>> = {
  phoneCode: ['privatePhone'],
  workPhoneCode: ['workPhone'],
};

describe('SYNC.md §7 resolve', () => {
  const choiceArb = (kind: EntityKind, field: FieldName): fc.Arbitrary<Choice> =>
    fc.oneof(
      fc.constant('local' as const),
      fc.constant('remote' as const),
      fc.constantFrom(...ALPHABET[getFieldDef(kind, field).kind]).map((value) => ({ value })),
    );

  it('after every conflicting field is resolved and applied, the link is synced and proposes nothing', () => {
    fc.assert(
      fc.property(
        scenario.chain(({ item, ctx }) => {
          const settled = applied(item, ctx, reconcile(item, ctx));
          const conflicts = reconcile(settled, ctx).conflicts;
          return fc.tuple(...conflicts.map((f) => choiceArb(ctx.kind, f))).map((choices) => ({
            ctx,
            settled,
            choices: Object.fromEntries(conflicts.map((f, i) => [f, choices[i]!])),
          }));
        }),
        ({ ctx, settled, choices }) => {
          fc.pre(Object.keys(choices).length > 0);
          const resolution = resolveFields(settled, ctx, choices);
          if (!ctx.writable) expect(resolution.remotePatch).toEqual({});
          const after = applyOutcome(
            settled,
            ctx,
            resolution.localPatch,
            resolution.remotePatch,
            resolution.baseline,
          );
          // Both sides now hold the chosen value: a remote choice as the remote side read it, any other as
          // the local side reads it (phones with the codes the records hold after the resolution).
          const localAfter = after.local!.values;
          const remoteAfter = after.remote!.values;
          for (const [f, choice] of Object.entries(choices) as [FieldName, Choice][]) {
            const meaning =
              choice === 'remote'
                ? keyOf(ctx, f, { ...remoteAfter, [f]: settled.remote!.values[f] ?? '' }, localAfter)
                : keyOf(
                    ctx,
                    f,
                    {
                      ...localAfter,
                      [f]: choice === 'local' ? (settled.local!.values[f] ?? '') : choice.value,
                    },
                    remoteAfter,
                  );
            expect(keyOf(ctx, f, localAfter, remoteAfter), `local ${f} holds the choice`).toBe(meaning);
            if (ctx.writable)
              expect(keyOf(ctx, f, remoteAfter, localAfter), `remote ${f} holds the choice`).toBe(meaning);
          }
          // A resolution that breaks a rule spanning fields is refused by the action (sync/actions.ts).
          // So is a pair of records that no merge can make valid (a start of employment on one side
          // after the end on the other, under a field rule that keeps taking it).
          fc.pre(everyMixValid(ctx.kind, localAfter, remoteAfter));
          const o = reconcile(after, ctx);
          expect(o.category).toBe('synced');
          expect(o.conflicts).toEqual([]);
          // Choosing a phone code changes what a nationally written phone of that record means; a field
          // rule on that phone (not a two-way field) may then act on it once. Anything else stays still.
          // So may a field with a rule that was held back as a conflict (its value would have broken a rule
          // spanning fields): once that is out of the way, the rule takes its side's value again.
          const ruled = (f: FieldName) => (ctx.rules[f] ?? 'two-way') !== 'two-way';
          const knockOn = [
            ...(Object.keys(choices) as FieldName[])
              .flatMap((f) => PHONES_OF_CODE[f] ?? [])
              .filter((p) => compared(ctx).includes(p) && ruled(p)),
            ...(Object.keys(choices) as FieldName[]).filter(ruled),
          ];
          const patched = [...Object.keys(o.localPatch), ...Object.keys(o.remotePatch)] as FieldName[];
          for (const f of patched) expect(knockOn, `${f} must not change after a resolution`).toContain(f);
          const settledAgain = reconcile(applied(after, ctx, o), ctx);
          expect(settledAgain.localPatch).toEqual({});
          expect(settledAgain.remotePatch).toEqual({});
          expect(settledAgain.category).toBe('synced');
        },
      ),
      RUNS,
    );
  });
});

describe('agreedLink', () => {
  it('is what reconcile decides for a new link between records holding the same values', () => {
    fc.assert(
      fc.property(scenario, ({ item, ctx }) => {
        const values = (item.local ?? item.remote)?.values ?? {};
        const state: ItemState = {
          local: { values, archived: false },
          remote: { values, deleted: false },
          linked: true,
          syncEnabled: true,
          doNotSync: false,
          baseline: { local: {}, remote: {} },
        };
        expect(agreedLink(values, ctx)).toEqual(reconcile(state, ctx));
      }),
      RUNS,
    );
  });
});

/**
 * SYNC.md §5, row by row: each row is checked on `decideField` directly and through `reconcile`
 * (patches, baseline after, category), on a one-field customer integration comparing `city`.
 */
import { describe, expect, it } from 'vitest';
import type { Baseline, FieldRule, ItemState, Outcome, ReconcileContext } from './model.js';
import { EMPTY_BASELINE } from './model.js';
import { reconcile } from './reconcile.js';
import type { FieldDecision, FieldInputs } from './three-way.js';
import { decideField } from './three-way.js';

type Rule = Exclude<FieldRule, 'ignore'>;

interface Row {
  readonly name: string;
  readonly rule: Rule;
  readonly writable: boolean;
  readonly inputs: FieldInputs;
  readonly decision: FieldDecision;
  /** For field-rule rows: what two-way would have decided (it must differ). */
  readonly twoWay?: FieldDecision;
}

const io = (local: string, remote: string, lastLocal?: string, lastRemote?: string): FieldInputs => ({
  local,
  remote,
  lastLocal,
  lastRemote,
});

const MAIN_TABLE: Row[] = [
  {
    name: 'a field unchanged on both sides stays as it is',
    rule: 'two-way',
    writable: true,
    inputs: io('Berlin', 'Berlin', 'Berlin', 'Berlin'),
    decision: 'keep',
  },
  {
    name: 'an accepted difference from an earlier decision stays accepted (writable)',
    rule: 'two-way',
    writable: true,
    inputs: io('Berlin', 'Bremen', 'Berlin', 'Bremen'),
    decision: 'keep',
  },
  {
    name: 'an accepted difference from an earlier decision stays accepted (file)',
    rule: 'two-way',
    writable: false,
    inputs: io('Berlin', 'Bremen', 'Berlin', 'Bremen'),
    decision: 'keep',
  },
  {
    name: 'a field changed only remotely is taken locally (writable)',
    rule: 'two-way',
    writable: true,
    inputs: io('Berlin', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'take-remote',
  },
  {
    name: 'a field changed only remotely is taken locally (file)',
    rule: 'two-way',
    writable: false,
    inputs: io('Berlin', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'take-remote',
  },
  {
    name: 'a field cleared only remotely is cleared locally',
    rule: 'two-way',
    writable: false,
    inputs: io('Berlin', '', 'Berlin', 'Berlin'),
    decision: 'take-remote',
  },
  {
    name: 'a field changed only locally is pushed to a writable remote side',
    rule: 'two-way',
    writable: true,
    inputs: io('Hamburg', 'Berlin', 'Berlin', 'Berlin'),
    decision: 'push-local',
  },
  {
    name: 'a field cleared only locally is pushed to a writable remote side',
    rule: 'two-way',
    writable: true,
    inputs: io('', 'Berlin', 'Berlin', 'Berlin'),
    decision: 'push-local',
  },
  {
    name: 'a field changed only locally stays local on a file integration (local is ahead)',
    rule: 'two-way',
    writable: false,
    inputs: io('Hamburg', 'Berlin', 'Berlin', 'Berlin'),
    decision: 'local-ahead',
  },
  {
    name: 'a field changed on both sides to the same value is agreed',
    rule: 'two-way',
    writable: true,
    inputs: io('Hamburg', 'Hamburg', 'Berlin', 'Berlin'),
    decision: 'keep',
  },
  {
    name: 'a field changed on both sides to different values is a conflict (writable)',
    rule: 'two-way',
    writable: true,
    inputs: io('Hamburg', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'conflict',
  },
  {
    name: 'a field changed on both sides to different values is a conflict (file)',
    rule: 'two-way',
    writable: false,
    inputs: io('Hamburg', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'conflict',
  },
  {
    name: 'a field cleared locally and changed remotely is a conflict',
    rule: 'two-way',
    writable: true,
    inputs: io('', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'conflict',
  },
];

const NO_BASELINE: Row[] = [
  {
    name: 'without a baseline, equal values are agreed',
    rule: 'two-way',
    writable: true,
    inputs: io('Berlin', 'Berlin'),
    decision: 'keep',
  },
  {
    name: 'without a baseline, two empty values are agreed',
    rule: 'two-way',
    writable: false,
    inputs: io('', ''),
    decision: 'keep',
  },
  {
    name: 'without a baseline, an empty local field is filled from the remote side (writable)',
    rule: 'two-way',
    writable: true,
    inputs: io('', 'Berlin'),
    decision: 'take-remote',
  },
  {
    name: 'without a baseline, an empty local field is filled from the remote side (file)',
    rule: 'two-way',
    writable: false,
    inputs: io('', 'Berlin'),
    decision: 'take-remote',
  },
  {
    name: 'without a baseline, an empty writable remote field is filled from the local side',
    rule: 'two-way',
    writable: true,
    inputs: io('Berlin', ''),
    decision: 'push-local',
  },
  {
    name: 'without a baseline, an empty field in a file is not filled: local is ahead',
    rule: 'two-way',
    writable: false,
    inputs: io('Berlin', ''),
    decision: 'local-ahead',
  },
  {
    name: 'without a baseline, two different non-empty values are a conflict (writable)',
    rule: 'two-way',
    writable: true,
    inputs: io('Berlin', 'Bremen'),
    decision: 'conflict',
  },
  {
    name: 'without a baseline, two different non-empty values are a conflict (file)',
    rule: 'two-way',
    writable: false,
    inputs: io('Berlin', 'Bremen'),
    decision: 'conflict',
  },
];

const FIELD_RULES: Row[] = [
  // prefer-local
  {
    name: 'prefer-local pushes the local value over a remote change (writable)',
    rule: 'prefer-local',
    writable: true,
    inputs: io('Berlin', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'push-local',
    twoWay: 'take-remote',
  },
  {
    name: 'prefer-local keeps the local value over a remote change in a file',
    rule: 'prefer-local',
    writable: false,
    inputs: io('Berlin', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'local-ahead',
    twoWay: 'take-remote',
  },
  {
    name: 'prefer-local settles a change on both sides for the local value',
    rule: 'prefer-local',
    writable: true,
    inputs: io('Hamburg', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'push-local',
    twoWay: 'conflict',
  },
  {
    name: 'prefer-local settles different values without a baseline for the local value',
    rule: 'prefer-local',
    writable: false,
    inputs: io('Hamburg', 'Bremen'),
    decision: 'local-ahead',
    twoWay: 'conflict',
  },
  {
    name: 'prefer-local pushes even an empty local value',
    rule: 'prefer-local',
    writable: true,
    inputs: io('', 'Bremen'),
    decision: 'push-local',
    twoWay: 'take-remote',
  },
  // prefer-remote
  {
    name: 'prefer-remote overwrites a local change with the remote value (writable)',
    rule: 'prefer-remote',
    writable: true,
    inputs: io('Hamburg', 'Berlin', 'Berlin', 'Berlin'),
    decision: 'take-remote',
    twoWay: 'push-local',
  },
  {
    name: 'prefer-remote overwrites a local change with the value of the file',
    rule: 'prefer-remote',
    writable: false,
    inputs: io('Hamburg', 'Berlin', 'Berlin', 'Berlin'),
    decision: 'take-remote',
    twoWay: 'local-ahead',
  },
  {
    name: 'prefer-remote settles a change on both sides for the remote value',
    rule: 'prefer-remote',
    writable: true,
    inputs: io('Hamburg', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'take-remote',
    twoWay: 'conflict',
  },
  {
    name: 'prefer-remote takes even an empty remote value',
    rule: 'prefer-remote',
    writable: true,
    inputs: io('Hamburg', ''),
    decision: 'take-remote',
    twoWay: 'push-local',
  },
  // prefer-local-unless-empty
  {
    name: 'prefer-local-unless-empty takes the remote value when the local side was emptied',
    rule: 'prefer-local-unless-empty',
    writable: true,
    inputs: io('', 'Berlin', 'Berlin', 'Berlin'),
    decision: 'take-remote',
    twoWay: 'push-local',
  },
  {
    name: 'prefer-local-unless-empty takes the remote value when local is empty and both changed',
    rule: 'prefer-local-unless-empty',
    writable: false,
    inputs: io('', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'take-remote',
    twoWay: 'conflict',
  },
  {
    name: 'prefer-local-unless-empty settles a change on both sides for a non-empty local value',
    rule: 'prefer-local-unless-empty',
    writable: true,
    inputs: io('Hamburg', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'push-local',
    twoWay: 'conflict',
  },
  {
    name: 'prefer-local-unless-empty keeps a non-empty local value over a remote change in a file',
    rule: 'prefer-local-unless-empty',
    writable: false,
    inputs: io('Berlin', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'local-ahead',
    twoWay: 'take-remote',
  },
  {
    name: 'prefer-local-unless-empty pushes a local value over a remote side that was emptied',
    rule: 'prefer-local-unless-empty',
    writable: true,
    inputs: io('Berlin', '', 'Berlin', 'Berlin'),
    decision: 'push-local',
    twoWay: 'take-remote',
  },
  // prefer-remote-unless-empty
  {
    name: 'prefer-remote-unless-empty pushes the local value when the remote side was emptied',
    rule: 'prefer-remote-unless-empty',
    writable: true,
    inputs: io('Berlin', '', 'Berlin', 'Berlin'),
    decision: 'push-local',
    twoWay: 'take-remote',
  },
  {
    name: 'prefer-remote-unless-empty keeps the local value when the file field was emptied',
    rule: 'prefer-remote-unless-empty',
    writable: false,
    inputs: io('Berlin', '', 'Berlin', 'Berlin'),
    decision: 'local-ahead',
    twoWay: 'take-remote',
  },
  {
    name: 'prefer-remote-unless-empty settles a change on both sides for a non-empty remote value',
    rule: 'prefer-remote-unless-empty',
    writable: true,
    inputs: io('Hamburg', 'Bremen', 'Berlin', 'Berlin'),
    decision: 'take-remote',
    twoWay: 'conflict',
  },
  {
    name: 'prefer-remote-unless-empty overwrites a local change with a non-empty remote value',
    rule: 'prefer-remote-unless-empty',
    writable: false,
    inputs: io('Hamburg', 'Berlin', 'Berlin', 'Berlin'),
    decision: 'take-remote',
    twoWay: 'local-ahead',
  },
  {
    name: 'prefer-remote-unless-empty settles local change against remote clearing for the local value',
    rule: 'prefer-remote-unless-empty',
    writable: true,
    inputs: io('Hamburg', '', 'Berlin', 'Berlin'),
    decision: 'push-local',
    twoWay: 'conflict',
  },
  {
    name: 'prefer-remote-unless-empty fills an empty local field without a baseline',
    rule: 'prefer-remote-unless-empty',
    writable: true,
    inputs: io('', 'Bremen'),
    decision: 'take-remote',
    twoWay: 'take-remote',
  },
];

const ALL_ROWS = [...MAIN_TABLE, ...NO_BASELINE, ...FIELD_RULES];

describe('decideField: the main table of SYNC.md §5 (two-way, with a baseline)', () => {
  it.each(MAIN_TABLE)('$name', ({ inputs, rule, writable, decision }) => {
    expect(decideField(inputs, rule, writable)).toBe(decision);
  });
});

describe('decideField: no baseline yet (SYNC.md §5)', () => {
  it.each(NO_BASELINE)('$name', ({ inputs, rule, writable, decision }) => {
    expect(decideField(inputs, rule, writable)).toBe(decision);
  });

  it('a baseline known on one side only counts as no baseline', () => {
    expect(decideField(io('Berlin', '', 'Berlin', undefined), 'two-way', true)).toBe('push-local');
    expect(decideField(io('', 'Berlin', undefined, 'Bremen'), 'two-way', true)).toBe('take-remote');
  });
});

describe('decideField: field rules (SYNC.md §5), where they differ from two-way', () => {
  it.each(FIELD_RULES.filter((r) => r.twoWay !== r.decision))(
    '$name',
    ({ inputs, rule, writable, decision, twoWay }) => {
      expect(decideField(inputs, rule, writable)).toBe(decision);
      expect(decideField(inputs, 'two-way', writable)).toBe(twoWay);
    },
  );

  it.each(FIELD_RULES.filter((r) => r.twoWay === r.decision))(
    '$name',
    ({ inputs, rule, writable, decision }) => {
      expect(decideField(inputs, rule, writable)).toBe(decision);
    },
  );
});

describe('decideField: every rule keeps a field on which nothing differs', () => {
  const rules: Rule[] = [
    'two-way',
    'prefer-local',
    'prefer-remote',
    'prefer-local-unless-empty',
    'prefer-remote-unless-empty',
  ];
  const cases: [string, FieldInputs][] = [
    ['equal values with an equal baseline', io('a', 'a', 'a', 'a')],
    ['equal values without a baseline', io('a', 'a')],
    ['two empty values after both sides were cleared', io('', '', 'a', 'b')],
  ];
  it.each(rules.flatMap((rule) => cases.map(([what, inputs]) => ({ rule, what, inputs }))))(
    '$rule keeps $what',
    ({ rule, inputs }) => {
      expect(decideField(inputs, rule, true)).toBe('keep');
      expect(decideField(inputs, rule, false)).toBe('keep');
    },
  );
});

// ---- the same rows through reconcile -------------------------------------------------------------

const cityBaseline = (i: FieldInputs): Baseline =>
  i.lastLocal === undefined || i.lastRemote === undefined
    ? EMPTY_BASELINE
    : { local: { city: i.lastLocal }, remote: { city: i.lastRemote } };

const linkOf = (i: FieldInputs): ItemState => ({
  local: { values: { number: 'K1', city: i.local }, archived: false },
  remote: { values: { number: 'K1', city: i.remote }, deleted: false },
  linked: true,
  syncEnabled: true,
  doNotSync: false,
  baseline: cityBaseline(i),
});

const contextOf = (rule: Rule, writable: boolean): ReconcileContext => ({
  kind: 'customer',
  fields: ['city'],
  rules: { city: rule },
  writable,
  numbers: { ignoreLeadingZeros: true },
  today: '2024-06-01',
});

/** What SYNC.md §5 says the outcome of one decision is: patches, and the baseline the sides then hold. */
function expectedOutcome(row: Row): Omit<Outcome, 'retire'> {
  const { local: l, remote: r } = row.inputs;
  const held = (local: string, remote: string): Baseline => ({
    local: { city: local },
    remote: { city: remote },
  });
  switch (row.decision) {
    case 'keep':
      return { category: 'synced', conflicts: [], localPatch: {}, remotePatch: {}, baseline: held(l, r) };
    case 'local-ahead':
      // Not an agreement: the baseline stays the last agreed values.
      return {
        category: 'synced',
        conflicts: [],
        localPatch: {},
        remotePatch: {},
        baseline: cityBaseline(row.inputs),
      };
    case 'take-remote':
      return {
        category: 'synced',
        conflicts: [],
        localPatch: l === r ? {} : { city: r },
        remotePatch: {},
        baseline: held(r, r),
      };
    case 'push-local':
      // lastRemote moves to the pushed value only when the remote side confirms the write.
      return {
        category: 'synced',
        conflicts: [],
        localPatch: {},
        remotePatch: { city: l },
        baseline: held(l, r),
      };
    case 'conflict':
      return {
        category: 'conflict',
        conflicts: ['city'],
        localPatch: {},
        remotePatch: {},
        baseline: cityBaseline(row.inputs),
      };
  }
}

describe('reconcile applies every row of SYNC.md §5 to a link', () => {
  it.each(ALL_ROWS)('$name', (row) => {
    const outcome = reconcile(linkOf(row.inputs), contextOf(row.rule, row.writable));
    expect(outcome).toEqual({ ...expectedOutcome(row), retire: false });
  });
});

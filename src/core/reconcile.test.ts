/**
 * SYNC.md §4 (categories and their precedence) and the link-level parts of §5 that a single field
 * cannot show: merging beside a conflict, ignored and uncompared fields, normalised comparison.
 * The per-field table of §5 runs through `reconcile` in `three-way.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import type { FieldValues } from './fields.js';
import type { Baseline, Category, ItemState, ReconcileContext } from './model.js';
import { CATEGORIES, EMPTY_BASELINE } from './model.js';
import { classifyUnlinked, reconcile, sameValues } from './reconcile.js';

const TODAY = '2024-06-01';

const ctx = (over: Partial<ReconcileContext> = {}): ReconcileContext => ({
  kind: 'employee',
  fields: ['number', 'name', 'city', 'email', 'active'],
  rules: {},
  writable: true,
  numbers: { ignoreLeadingZeros: true },
  today: TODAY,
  ...over,
});

const anna: FieldValues = {
  number: 'M1',
  name: 'Anna Berg',
  city: 'Berlin',
  email: 'anna@x.de',
  active: 'true',
};
const agreed: Baseline = { local: anna, remote: anna };
/** Both sides changed `city` to different values since the baseline. */
const inConflict = { local: { ...anna, city: 'Hamburg' }, remote: { ...anna, city: 'Bremen' } };
const inactive: FieldValues = { ...anna, active: 'false' };
const leftInPast: FieldValues = { ...anna, employedUntil: '2024-05-31' };

interface LinkSpec {
  local?: FieldValues | 'archived' | 'missing';
  remote?: FieldValues | 'deleted' | 'missing';
  syncEnabled?: boolean;
  baseline?: Baseline;
}

function link({ local = anna, remote = anna, syncEnabled = true, baseline = agreed }: LinkSpec): ItemState {
  return {
    local:
      local === 'missing'
        ? null
        : local === 'archived'
          ? { values: anna, archived: true }
          : { values: local, archived: false },
    remote:
      remote === 'missing'
        ? null
        : remote === 'deleted'
          ? { values: anna, deleted: true }
          : { values: remote, deleted: false },
    linked: true,
    syncEnabled,
    doNotSync: false,
    baseline,
  };
}

function unlinked(side: 'local' | 'remote', values: FieldValues, gone = false, doNotSync = false): ItemState {
  return {
    local: side === 'local' ? { values, archived: gone } : null,
    remote: side === 'remote' ? { values, deleted: gone } : null,
    linked: false,
    syncEnabled: true,
    doNotSync,
    baseline: EMPTY_BASELINE,
  };
}

interface PrecedenceRow {
  readonly name: string;
  readonly item: ItemState;
  readonly category: Category;
  readonly retire?: boolean;
}

const LINK_ROWS: PrecedenceRow[] = [
  {
    name: 'a disabled link with a conflict is disabled',
    item: link({ ...inConflict, syncEnabled: false }),
    category: 'disabled',
  },
  {
    name: 'a disabled link whose local record is archived is disabled',
    item: link({ local: 'archived', syncEnabled: false }),
    category: 'disabled',
  },
  {
    name: 'a disabled link whose remote record is deleted is disabled',
    item: link({ remote: 'deleted', syncEnabled: false }),
    category: 'disabled',
  },
  {
    name: 'a disabled link in agreement is disabled',
    item: link({ syncEnabled: false }),
    category: 'disabled',
  },
  {
    name: 'a link whose local record is archived is deleted, even with differing fields',
    item: link({ local: 'archived', remote: inConflict.remote }),
    category: 'deleted',
  },
  {
    name: 'a link whose remote record is deleted is deleted, even with differing fields',
    item: link({ local: inConflict.local, remote: 'deleted' }),
    category: 'deleted',
  },
  {
    name: 'a link whose remote record is missing is deleted',
    item: link({ remote: 'missing' }),
    category: 'deleted',
  },
  {
    name: 'a link whose local record is missing is deleted',
    item: link({ local: 'missing' }),
    category: 'deleted',
  },
  {
    name: 'a link gone on both sides (archived and deleted) retires',
    item: link({ local: 'archived', remote: 'deleted' }),
    category: 'deleted',
    retire: true,
  },
  {
    name: 'a link gone on both sides (missing and deleted) retires',
    item: link({ local: 'missing', remote: 'deleted' }),
    category: 'deleted',
    retire: true,
  },
  {
    name: 'a link gone on both sides (archived and missing) retires',
    item: link({ local: 'archived', remote: 'missing' }),
    category: 'deleted',
    retire: true,
  },
  {
    name: 'a link with a field changed on both sides to different values is a conflict',
    item: link(inConflict),
    category: 'conflict',
  },
  { name: 'a link in agreement is synced', item: link({}), category: 'synced' },
  {
    name: 'a link inactive on both sides stays synced',
    item: link({ local: inactive, remote: inactive, baseline: { local: inactive, remote: inactive } }),
    category: 'synced',
  },
  {
    name: 'a link of an employee who left on both sides stays synced',
    item: link({ local: leftInPast, remote: leftInPast, baseline: EMPTY_BASELINE }),
    category: 'synced',
  },
  {
    name: 'a link inactive on one side only is synced once the change is taken',
    item: link({ remote: inactive }),
    category: 'synced',
  },
];

const UNLINKED_ROWS: PrecedenceRow[] = [
  {
    name: 'an unlinked local record marked do-not-sync is disabled even when inactive',
    item: unlinked('local', inactive, false, true),
    category: 'disabled',
  },
  {
    name: 'an unlinked local record marked do-not-sync is disabled even when archived',
    item: unlinked('local', anna, true, true),
    category: 'disabled',
  },
  {
    name: 'an unlinked remote record marked do-not-sync is disabled',
    item: unlinked('remote', anna, false, true),
    category: 'disabled',
  },
  {
    name: 'an unlinked inactive local record is inactive',
    item: unlinked('local', inactive),
    category: 'inactive',
  },
  {
    name: 'an unlinked inactive remote record is inactive',
    item: unlinked('remote', inactive),
    category: 'inactive',
  },
  {
    name: 'an unlinked archived local record is inactive',
    item: unlinked('local', anna, true),
    category: 'inactive',
  },
  {
    name: 'an unlinked employee whose employedUntil lies before today is inactive',
    item: unlinked('remote', leftInPast),
    category: 'inactive',
  },
  {
    name: 'an unlinked employee whose employedUntil is today is still new',
    item: unlinked('local', { ...anna, employedUntil: TODAY }),
    category: 'new',
  },
  {
    name: 'an unlinked employee leaving in the future is new',
    item: unlinked('local', { ...anna, employedUntil: '2030-01-01' }),
    category: 'new',
  },
  { name: 'an unlinked active local record is new', item: unlinked('local', anna), category: 'new' },
  { name: 'an unlinked active remote record is new', item: unlinked('remote', anna), category: 'new' },
  {
    name: 'an unlinked record without an active flag is new',
    item: unlinked('remote', { number: 'M2', name: 'Ben' }),
    category: 'new',
  },
];

describe('SYNC.md §4 precedence for links: disabled > deleted > conflict > synced', () => {
  it.each(LINK_ROWS)('$name', ({ item, category, retire = false }) => {
    const outcome = reconcile(item, ctx());
    expect(outcome.category).toBe(category);
    expect(outcome.retire).toBe(retire);
    expect(outcome.conflicts.length > 0).toBe(category === 'conflict');
  });
});

describe('SYNC.md §4 precedence for unlinked records: disabled > inactive > new', () => {
  it.each(UNLINKED_ROWS)('$name', ({ item, category }) => {
    const outcome = reconcile(item, ctx());
    expect(outcome).toEqual({
      category,
      conflicts: [],
      localPatch: {},
      remotePatch: {},
      baseline: EMPTY_BASELINE,
      retire: false,
    });
    expect(classifyUnlinked(item, TODAY)).toBe(category);
  });
});

describe('reconcile on links', () => {
  it('every category the engine gives is one of the six ids', () => {
    for (const row of [...LINK_ROWS, ...UNLINKED_ROWS])
      expect(CATEGORIES).toContain(reconcile(row.item, ctx()).category);
  });

  it('a deleted or disabled link proposes no changes and keeps its baseline', () => {
    for (const item of [
      link({ local: 'archived', remote: inConflict.remote }),
      link({ ...inConflict, syncEnabled: false }),
    ]) {
      const outcome = reconcile(item, ctx());
      expect(outcome.localPatch).toEqual({});
      expect(outcome.remotePatch).toEqual({});
      expect(outcome.baseline).toBe(item.baseline);
    }
  });

  it('non-conflicting fields are merged while another field of the same link is in conflict', () => {
    const local = { ...inConflict.local, name: 'Anna Berg-Lund' };
    const remote = { ...inConflict.remote, email: 'anna@y.de' };
    const outcome = reconcile(link({ local, remote }), ctx());
    expect(outcome.category).toBe('conflict');
    expect(outcome.conflicts).toEqual(['city']);
    expect(outcome.localPatch).toEqual({ email: 'anna@y.de' });
    expect(outcome.remotePatch).toEqual({ name: 'Anna Berg-Lund' });
    expect(outcome.baseline.local).toEqual({ ...anna, name: 'Anna Berg-Lund', email: 'anna@y.de' });
    // lastRemote of the pushed name waits for confirmation; the conflicting city keeps its old baseline.
    expect(outcome.baseline.remote).toEqual({ ...anna, email: 'anna@y.de' });
  });

  it('a merge that would break a rule spanning fields is held back as a conflict with its cause', () => {
    // The registry's customer is private; the file says business and carries a CVR number. Taking the
    // number alone, beside the type in conflict, would make a private customer with a CVR number.
    const customers = ctx({ kind: 'customer', fields: ['number', 'name', 'type', 'companyRegNo'] });
    const first = { local: {}, remote: {} };
    const local = { number: 'K7', name: 'Jens', type: 'private' };
    const remote = { number: 'K7', name: 'Jens', type: 'business', companyRegNo: '12345678' };
    const outcome = reconcile(link({ local, remote, baseline: first }), customers);
    expect(outcome.conflicts).toEqual(['type', 'companyRegNo']);
    expect(outcome.localPatch).toEqual({});
    expect(outcome.baseline.local).toEqual({ number: 'K7', name: 'Jens' });
    // The same end of employment taken alone would lie before the registry's start.
    const staff = ctx({ fields: ['number', 'employedSince', 'employedUntil'] });
    const since = { ...anna, employedSince: '2024-03-01' };
    const held = reconcile(
      link({
        local: since,
        remote: { ...anna, employedSince: '2020-01-01', employedUntil: '2023-12-31' },
        baseline: { local: anna, remote: anna },
      }),
      staff,
    );
    expect(held.conflicts).toEqual(['employedSince', 'employedUntil']);
    expect(held.localPatch).toEqual({});
  });

  it('conflicts are listed in catalogue order, whatever the order of the compared fields', () => {
    const local = { ...anna, city: 'Hamburg', email: 'a@l.de', name: 'Anna L' };
    const remote = { ...anna, city: 'Bremen', email: 'a@r.de', name: 'Anna R' };
    const outcome = reconcile(link({ local, remote }), ctx({ fields: ['email', 'city', 'name', 'number'] }));
    expect(outcome.conflicts).toEqual(['name', 'city', 'email']);
  });

  it('an ignored field is neither compared nor propagated and keeps its baseline', () => {
    const outcome = reconcile(
      link({ remote: { ...anna, city: 'Bremen' } }),
      ctx({ rules: { city: 'ignore' } }),
    );
    expect(outcome.category).toBe('synced');
    expect(outcome.localPatch).toEqual({});
    expect(outcome.baseline.local.city).toBe('Berlin');
    expect(outcome.baseline.remote.city).toBe('Berlin');
  });

  it('a field outside the compared fields is neither propagated nor given a baseline', () => {
    const outcome = reconcile(
      link({ local: { ...anna, zip: '10115' }, remote: { ...anna, zip: '28195' }, baseline: EMPTY_BASELINE }),
      ctx(),
    );
    expect(outcome.category).toBe('synced');
    expect(outcome.localPatch).toEqual({});
    expect(outcome.remotePatch).toEqual({});
    expect(Object.hasOwn(outcome.baseline.local, 'zip')).toBe(false);
    expect(Object.hasOwn(outcome.baseline.remote, 'zip')).toBe(false);
  });

  it('a field just added to the comparison follows the no-baseline rules beside fields that have one', () => {
    const outcome = reconcile(
      link({ local: { ...anna, zip: '' }, remote: { ...anna, zip: '10115' } }),
      ctx({ fields: ['number', 'name', 'city', 'zip'] }),
    );
    expect(outcome.localPatch).toEqual({ zip: '10115' });
    expect(outcome.baseline.local.zip).toBe('10115');
    expect(outcome.baseline.remote.zip).toBe('10115');
  });

  it('a missing value and an empty value are the same value', () => {
    const { city: _city, ...withoutCity } = anna;
    const outcome = reconcile(
      link({ local: withoutCity, remote: { ...anna, city: '' }, baseline: EMPTY_BASELINE }),
      ctx({ writable: false }),
    );
    expect(outcome.category).toBe('synced');
    expect(outcome.localPatch).toEqual({});
  });

  it('numbers that differ only in case and leading zeros are the same', () => {
    const outcome = reconcile(
      link({
        local: { ...anna, number: 'm1' },
        remote: { ...anna, number: '00M1' },
        baseline: EMPTY_BASELINE,
      }),
      ctx(),
    );
    expect(outcome.category).toBe('synced');
    expect(outcome.remotePatch).toEqual({});
  });

  it('numbers with different leading zeros conflict when the integration compares them exactly', () => {
    const outcome = reconcile(
      link({ local: { ...anna, number: '01' }, remote: { ...anna, number: '1' }, baseline: EMPTY_BASELINE }),
      ctx({ numbers: { ignoreLeadingZeros: false } }),
    );
    expect(outcome.conflicts).toEqual(['number']);
  });

  it('a ZIP code that lost its leading zero in a spreadsheet is the same ZIP code, and is not written back', () => {
    const outcome = reconcile(
      link({
        local: { ...anna, zip: '01067', city: 'Dresden' },
        remote: { ...anna, zip: '1067', city: 'Dresden' },
        baseline: EMPTY_BASELINE,
      }),
      ctx({ fields: ['number', 'name', 'zip', 'city'], writable: true }),
    );
    expect(outcome.category).toBe('synced');
    expect(outcome.conflicts).toEqual([]);
    expect(outcome.localPatch).toEqual({});
    expect(outcome.remotePatch).toEqual({});
  });

  it('a payroll file\'s "Müller, Jürgen" is the registry\'s "Jürgen Müller", and is not written back', () => {
    const outcome = reconcile(
      link({
        local: { ...anna, name: 'Jürgen Müller' },
        remote: { ...anna, name: 'Müller, Jürgen' },
        baseline: EMPTY_BASELINE,
      }),
      ctx({ writable: true }),
    );
    expect(outcome.category).toBe('synced');
    expect(outcome.localPatch).toEqual({});
    expect(outcome.remotePatch).toEqual({});
  });

  it('a phone written nationally with a code equals the same phone in E.164', () => {
    const local = { ...anna, workPhoneCode: '+49', workPhone: '0170 1234567' };
    const remote = { ...anna, workPhoneCode: '+49', workPhone: '+49 170 1234567' };
    const outcome = reconcile(
      link({ local, remote, baseline: EMPTY_BASELINE }),
      ctx({ fields: ['workPhoneCode', 'workPhone'], writable: true }),
    );
    expect(outcome.category).toBe('synced');
    expect(outcome.remotePatch).toEqual({});
    expect(outcome.localPatch).toEqual({});
  });

  it('a remote change of representation only (same E.164 phone) proposes no write', () => {
    const local = { ...anna, workPhoneCode: '+49', workPhone: '0170 1234567' };
    const remote = { ...anna, workPhoneCode: '+49', workPhone: '+491701234567' };
    const outcome = reconcile(
      link({ local, remote, baseline: { local, remote: local } }),
      ctx({ fields: ['workPhoneCode', 'workPhone'] }),
    );
    expect(outcome.localPatch).toEqual({});
    expect(outcome.remotePatch).toEqual({});
  });

  it('a local phone compared without its code field is not mistaken for a change at the next run', () => {
    // The remote side carries the phone but not the code; the local record has both.
    const local = { ...anna, workPhoneCode: '+49', workPhone: '0170 1234567' };
    const remote = { ...anna, workPhone: '+49 170 1234567' };
    const context = ctx({ fields: ['workPhone'], writable: true });
    const first = reconcile(link({ local, remote, baseline: EMPTY_BASELINE }), context);
    expect(first.category).toBe('synced');
    expect(first.remotePatch).toEqual({});
    const second = reconcile(link({ local, remote, baseline: first.baseline }), context);
    expect(second.localPatch).toEqual({});
    expect(second.remotePatch).toEqual({});
  });
});

describe('phones across records with different codes (E.164 comparison)', () => {
  const phones = ctx({
    fields: ['phoneCode', 'privatePhone'],
    writable: true,
    rules: { privatePhone: 'prefer-local' },
  });

  it('a national phone pushed to a record with another code is written in E.164, and then agrees', () => {
    const local = { ...anna, phoneCode: '+49', privatePhone: '0170 1234567' };
    const remote = { ...anna, phoneCode: '+45', privatePhone: '' };
    const baseline = { local: { phoneCode: '+49' }, remote: { phoneCode: '+45' } };
    const first = reconcile(link({ local, remote, baseline }), phones);
    expect(first.remotePatch).toEqual({ privatePhone: '+491701234567' });
    const pushed = { ...remote, privatePhone: '+491701234567' };
    const second = reconcile(
      link({
        local,
        remote: pushed,
        baseline: {
          local: first.baseline.local,
          remote: { ...first.baseline.remote, privatePhone: '+491701234567' },
        },
      }),
      phones,
    );
    expect(second.remotePatch).toEqual({});
    expect(second.localPatch).toEqual({});
  });

  it('a phone taken into a record whose code reads it the same way keeps its written form', () => {
    const local = { ...anna, phoneCode: '+49', privatePhone: '' };
    const remote = { ...anna, phoneCode: '+49', privatePhone: '0170 1234567' };
    const outcome = reconcile(
      link({ local, remote, baseline: EMPTY_BASELINE }),
      ctx({ fields: ['phoneCode', 'privatePhone'] }),
    );
    expect(outcome.localPatch).toEqual({ privatePhone: '0170 1234567' });
  });

  it('a stale code in the baseline is not mistaken for a change of the phone', () => {
    // The code was compared once (baseline +45) and is no longer; the local record now has +49.
    const local = { ...anna, phoneCode: '+49', privatePhone: '0170 1' };
    const remote = { ...anna, privatePhone: '0170 1' };
    const baseline = {
      local: { phoneCode: '+45', privatePhone: '0170 1' },
      remote: { privatePhone: '0170 1' },
    };
    const outcome = reconcile(
      link({ local, remote, baseline }),
      ctx({ fields: ['privatePhone'], writable: true }),
    );
    expect(outcome.category).toBe('synced');
    expect(outcome.remotePatch).toEqual({});
    expect(outcome.localPatch).toEqual({});
  });
});

describe('sameValues', () => {
  it('values with the same fields are the same, in any key order', () => {
    expect(sameValues({ city: 'a', name: 'b' }, { name: 'b', city: 'a' })).toBe(true);
  });

  it('a field present on one side only makes values differ, even when empty', () => {
    expect(sameValues({ city: '' }, {})).toBe(false);
    expect(sameValues({ city: 'a' }, { name: 'a' })).toBe(false);
    expect(sameValues({ city: 'a' }, { city: 'b' })).toBe(false);
  });
});

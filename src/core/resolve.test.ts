/** The resolve action of SYNC.md §7 as a pure decision. Its convergence is a property in reconcile.properties. */
import { describe, expect, it } from 'vitest';
import type { FieldValues } from './fields.js';
import type { Baseline, ItemState, ReconcileContext } from './model.js';
import { reconcile } from './reconcile.js';
import { resolveFields } from './resolve.js';

const ctx = (writable: boolean): ReconcileContext => ({
  kind: 'customer',
  fields: ['number', 'name', 'city', 'phone'],
  rules: {},
  writable,
  numbers: { ignoreLeadingZeros: true },
  today: '2024-06-01',
});

const base: FieldValues = { number: 'K2', name: 'Praxis Weiß', city: 'Hamburg' };
const item = (
  local: FieldValues,
  remote: FieldValues,
  baseline: Baseline = { local: {}, remote: {} },
): ItemState => ({
  local: { values: local, archived: false },
  remote: { values: remote, deleted: false },
  linked: true,
  syncEnabled: true,
  doNotSync: false,
  baseline,
});

const k2 = item(base, { ...base, city: 'Bremen' });

describe('resolveFields', () => {
  it('choosing the remote value sets it locally, and the link is synced', () => {
    const resolution = resolveFields(k2, ctx(false), { city: 'remote' });
    expect(resolution).toEqual({
      localPatch: { city: 'Bremen' },
      remotePatch: {},
      baseline: { local: { city: 'Bremen' }, remote: { city: 'Bremen' } },
    });
  });

  it('choosing the local value on a file changes nothing now and accepts the difference', () => {
    const resolution = resolveFields(k2, ctx(false), { city: 'local' });
    expect(resolution).toEqual({
      localPatch: {},
      remotePatch: {},
      baseline: { local: { city: 'Hamburg' }, remote: { city: 'Bremen' } },
    });
    const after = item(base, { ...base, city: 'Bremen' }, resolution.baseline);
    expect(reconcile(after, ctx(false)).category).toBe('synced');
  });

  it('choosing the local value on a writable side pushes it; lastRemote waits for confirmation', () => {
    const resolution = resolveFields(k2, ctx(true), { city: 'local' });
    expect(resolution.remotePatch).toEqual({ city: 'Hamburg' });
    expect(resolution.localPatch).toEqual({});
    expect(resolution.baseline).toEqual({ local: { city: 'Hamburg' }, remote: { city: 'Bremen' } });
  });

  it('a typed value goes to both sides of a writable link', () => {
    const resolution = resolveFields(k2, ctx(true), { city: { value: 'Lübeck' } });
    expect(resolution.localPatch).toEqual({ city: 'Lübeck' });
    expect(resolution.remotePatch).toEqual({ city: 'Lübeck' });
    const confirmed = item(
      { ...base, city: 'Lübeck' },
      { ...base, city: 'Lübeck' },
      {
        local: resolution.baseline.local,
        remote: { ...resolution.baseline.remote, city: 'Lübeck' },
      },
    );
    expect(reconcile(confirmed, ctx(true))).toMatchObject({
      category: 'synced',
      localPatch: {},
      remotePatch: {},
    });
  });

  it('a typed value on a file integration goes to the local side only', () => {
    const resolution = resolveFields(k2, ctx(false), { city: { value: 'Lübeck' } });
    expect(resolution.localPatch).toEqual({ city: 'Lübeck' });
    expect(resolution.remotePatch).toEqual({});
  });

  it('keeps the baseline of the fields it does not resolve', () => {
    const baseline = { local: { name: 'Praxis Weiß' }, remote: { name: 'Praxis Weiss' } };
    const resolution = resolveFields(item(base, { ...base, city: 'Bremen' }, baseline), ctx(false), {
      city: 'remote',
    });
    expect(resolution.baseline.local.name).toBe('Praxis Weiß');
    expect(resolution.baseline.remote.name).toBe('Praxis Weiss');
  });

  it('writes no value a side already holds in another form', () => {
    const resolution = resolveFields(
      item({ ...base, number: '0042' }, { ...base, number: '42' }),
      ctx(true),
      { number: 'remote' },
    );
    expect(resolution.localPatch).toEqual({});
    expect(resolution.remotePatch).toEqual({});
  });

  it('a phone chosen from one side reaches the other side as the same number, whatever its code', () => {
    const employee = (local: FieldValues, remote: FieldValues): ItemState => ({
      ...item(local, remote),
      baseline: { local: {}, remote: {} },
    });
    const context: ReconcileContext = {
      ...ctx(true),
      kind: 'employee',
      fields: ['phoneCode', 'privatePhone'],
    };
    const resolution = resolveFields(
      employee({ phoneCode: '+45', privatePhone: '170 1' }, { phoneCode: '+49', privatePhone: '170 1' }),
      context,
      { privatePhone: 'local' },
    );
    // The same '170 1' means +491701 on the remote side: the chosen +451701 is sent in E.164.
    expect(resolution.remotePatch).toEqual({ privatePhone: '+451701' });
    expect(resolution.localPatch).toEqual({});
  });

  describe('a resolved code that leaves both records without a code', () => {
    // Found by the property "after every conflicting field is resolved … synced": the phone's baseline is
    // read with the codes the side holds now, so dropping the last code used to turn an agreed number
    // into a changed one — a conflict on the phone that nobody made.
    const context: ReconcileContext = {
      ...ctx(false),
      kind: 'employee',
      fields: ['workPhoneCode', 'workPhone'],
    };
    const full = (values: FieldValues): FieldValues => ({ workPhoneCode: '', workPhone: '', ...values });

    it('an international number against a national baseline agreed under the lost code stays agreed', () => {
      const settled = item(
        { workPhoneCode: '+49', workPhone: '+45 170 1' },
        { workPhone: '00491701' },
        { local: full({}), remote: full({ workPhoneCode: '+49', workPhone: '170 1' }) },
      );
      expect(reconcile(settled, context).conflicts).toEqual(['workPhoneCode']);
      const resolution = resolveFields(settled, context, { workPhoneCode: { value: '' } });
      expect(resolution.baseline.remote.workPhone).toBe('00491701');
      const after = item({ workPhone: '+45 170 1' }, { workPhone: '00491701' }, resolution.baseline);
      expect(reconcile(after, context)).toMatchObject({ category: 'synced', conflicts: [] });
    });

    it('a national number against an international baseline stays agreed', () => {
      const settled = item(
        { workPhoneCode: '+49' },
        { workPhone: '0170 1' },
        {
          local: full({ workPhone: '170 1' }),
          remote: full({ workPhoneCode: '+45', workPhone: '+49 170 1' }),
        },
      );
      const resolution = resolveFields(settled, context, { workPhoneCode: { value: '' } });
      const after = item({}, { workPhone: '0170 1' }, resolution.baseline);
      expect(reconcile(after, context)).toMatchObject({ category: 'synced', conflicts: [] });
    });

    it("a national number and baseline move with their code: a code change is the code field's business", () => {
      const settled = item(
        { workPhoneCode: '+49', workPhone: '170 1' },
        { workPhoneCode: '+45', workPhone: '170 1' },
        { local: full({ workPhone: '170 1' }), remote: full({ workPhone: '170 1' }) },
      );
      const resolution = resolveFields(settled, context, { workPhoneCode: 'remote' });
      expect(resolution.baseline.local.workPhone).toBe('170 1');
      expect(resolution.baseline.remote.workPhone).toBe('170 1');
    });
  });
});

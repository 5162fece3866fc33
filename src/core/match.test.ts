/** Matching (SYNC.md §6 automatic linking, §7 "choose partner"). */
import { describe, expect, it } from 'vitest';
import type { FieldValues } from './fields.js';
import { mayAutoLink, nameSimilarity, rankCandidates } from './match.js';
import type { ItemState } from './model.js';
import { EMPTY_BASELINE } from './model.js';

const TODAY = '2024-06-01';
const numbers = { ignoreLeadingZeros: true };

function unlinked(
  side: 'local' | 'remote',
  values: FieldValues,
  over: Partial<ItemState> = {},
  gone = false,
): ItemState {
  return {
    local: side === 'local' ? { values, archived: gone } : null,
    remote: side === 'remote' ? { values, deleted: gone } : null,
    linked: false,
    syncEnabled: true,
    doNotSync: false,
    baseline: EMPTY_BASELINE,
    ...over,
  };
}

describe('rankCandidates', () => {
  const record: FieldValues = {
    number: 'M7',
    name: 'Anna Berg',
    email: 'anna@x.de',
    zip: '10115',
    workPhoneCode: '+49',
    workPhone: '0170 1234567',
  };

  it('ranks a number match above an e-mail match and reports the reasons', () => {
    const ranked = rankCandidates(
      'employee',
      record,
      [
        { id: 'by-email', values: { number: 'X1', name: 'Someone', email: 'anna@x.de' } },
        { id: 'by-number', values: { number: 'm7', name: 'Other' } },
        { id: 'nothing', values: { number: 'X2', name: 'Nobody', email: 'no@x.de' } },
      ],
      numbers,
    );
    expect(ranked.map((c) => c.id)).toEqual(['by-number', 'by-email']);
    expect(ranked[0]!.reasons).toEqual(['number']);
    expect(ranked[1]!.reasons).toEqual(['email']);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
  });

  it('adds up the reasons of a candidate that matches in several ways', () => {
    const ranked = rankCandidates(
      'employee',
      record,
      [
        { id: 'number-only', values: { number: 'M7' } },
        {
          id: 'email-phone-name',
          values: { name: 'Anna Berg', zip: '10115', email: 'anna@x.de', privatePhone: '+49 170 1234567' },
        },
      ],
      numbers,
    );
    expect(ranked.map((c) => [c.id, c.reasons])).toEqual([
      ['email-phone-name', ['email', 'phone', 'name-zip']],
      ['number-only', ['number']],
    ]);
  });

  it('matches numbers with leading zeros only when the integration ignores them', () => {
    const candidates = [{ id: 1, values: { number: '0042' } }];
    expect(rankCandidates('customer', { number: '42' }, candidates, numbers)).toHaveLength(1);
    expect(rankCandidates('customer', { number: '42' }, candidates, { ignoreLeadingZeros: false })).toEqual(
      [],
    );
  });

  it('matches an SSN with or without dashes, for employees only', () => {
    const candidates = [{ id: 1, values: { ssn: '010190-1234' } }];
    expect(rankCandidates('employee', { ssn: '0101901234' }, candidates, numbers)[0]!.reasons).toEqual([
      'ssn',
    ]);
    expect(rankCandidates('customer', { ssn: '0101901234' }, candidates, numbers)).toEqual([]);
  });

  it('never matches on empty values', () => {
    const ranked = rankCandidates(
      'customer',
      { number: '', email: '', zip: '', name: '' },
      [{ id: 1, values: { email: '', zip: '' } }],
      numbers,
    );
    expect(ranked).toEqual([]);
  });

  it('ignores phone numbers too short to identify anyone', () => {
    expect(
      rankCandidates('customer', { phone: '112' }, [{ id: 1, values: { phone: '112' } }], numbers),
    ).toEqual([]);
  });

  it('matches "Bäckerei Sonnenschein" with "Baeckerei Sonnenschein GmbH" in the same ZIP', () => {
    const similarity = nameSimilarity('Bäckerei Sonnenschein', 'Baeckerei Sonnenschein GmbH');
    expect(similarity).toBeGreaterThanOrEqual(0.6);
    expect(similarity).toBeLessThan(1);
    const ranked = rankCandidates(
      'customer',
      { number: 'K1', name: 'Bäckerei Sonnenschein', zip: '10115' },
      [
        { id: 'same-zip', values: { number: 'D100', name: 'Baeckerei Sonnenschein GmbH', zip: '10115' } },
        { id: 'other-zip', values: { number: 'D101', name: 'Baeckerei Sonnenschein GmbH', zip: '20095' } },
      ],
      numbers,
    );
    expect(ranked).toEqual([{ id: 'same-zip', score: 40, reasons: ['name-zip'] }]);
  });

  it('matches a ZIP code without its leading zero and a name written last name first', () => {
    const ranked = rankCandidates(
      'employee',
      { number: '7', name: 'Jürgen Müller', zip: '01067' },
      [{ id: 'payroll', values: { number: 'P-7', name: 'Müller, Jürgen', zip: '1067' } }],
      numbers,
    );
    expect(ranked).toEqual([{ id: 'payroll', score: 40, reasons: ['name-zip'] }]);
  });

  it('does not match different names in the same ZIP', () => {
    expect(nameSimilarity('Bäckerei Sonnenschein', 'Praxis Weiß')).toBeLessThan(0.2);
    const ranked = rankCandidates(
      'customer',
      { name: 'Bäckerei Sonnenschein', zip: '10115' },
      [{ id: 1, values: { name: 'Praxis Weiß', zip: '10115' } }],
      numbers,
    );
    expect(ranked).toEqual([]);
  });
});

describe('nameSimilarity', () => {
  it('is 1 for names equal after case and accents are folded', () => {
    expect(nameSimilarity('Bäckerei Sonnenschein', 'BACKEREI sonnenschein')).toBe(1);
  });

  it('is symmetric and between 0 and 1', () => {
    const pairs: [string, string][] = [
      ['Café Glück', 'Cafe Glueck'],
      ['Kanzlei Østergaard', 'Kanzlei Ostergaard'],
      ['A', 'B'],
    ];
    for (const [a, b] of pairs) {
      expect(nameSimilarity(a, b)).toBe(nameSimilarity(b, a));
      expect(nameSimilarity(a, b)).toBeGreaterThanOrEqual(0);
      expect(nameSimilarity(a, b)).toBeLessThanOrEqual(1);
    }
  });

  it('compares one-letter names by equality', () => {
    expect(nameSimilarity('A', 'a')).toBe(1);
    expect(nameSimilarity('A', 'B')).toBe(0);
  });
});

describe('mayAutoLink', () => {
  const active: FieldValues = { number: 'K1', name: 'Anna', active: 'true' };

  it('allows an active unlinked record on either side', () => {
    expect(mayAutoLink(unlinked('local', active), TODAY)).toBe(true);
    expect(mayAutoLink(unlinked('remote', active), TODAY)).toBe(true);
  });

  it.each([
    ['an inactive record', unlinked('remote', { ...active, active: 'false' })],
    ['an employee whose employment ended', unlinked('local', { ...active, employedUntil: '2024-05-31' })],
    ['an archived local record', unlinked('local', active, {}, true)],
    ['a deleted remote record', unlinked('remote', active, {}, true)],
    ['a record marked do-not-sync', unlinked('local', active, { doNotSync: true })],
    ['a record that is already linked', unlinked('local', active, { linked: true })],
    ['an item without any record', unlinked('local', active, { local: null })],
  ])('refuses %s', (_what, item) => {
    expect(mayAutoLink(item, TODAY)).toBe(false);
  });
});

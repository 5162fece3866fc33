import { describe, expect, it } from 'vitest';
import { maskAudit, maskConflict } from './history.js';
import type { AuditEntryView } from './history.js';

const entry = (
  target: string,
  field: string | null,
  old: string | null,
  now: string | null,
): AuditEntryView => ({
  id: 1,
  changeSet: 1,
  kind: 'edit',
  actor: 'anna',
  at: '2026-11-29T10:00:00.000Z',
  itemId: null,
  localId: 7,
  target,
  field,
  old,
  new: now,
  reason: 'test',
  undone: false,
});

describe('maskAudit', () => {
  it('masks a sensitive field entry and leaves others', () => {
    expect(maskAudit(entry('local', 'ssn', '12345678901', ''), false)).toMatchObject({
      old: '••••••••01',
      new: '',
    });
    expect(maskAudit(entry('local', 'city', 'Köln', 'Bonn'), false)).toMatchObject({
      old: 'Köln',
      new: 'Bonn',
    });
    expect(maskAudit(entry('local', 'ssn', '12345678901', ''), true).old).toBe('12345678901');
  });

  it('masks inside the snapshots of created, deleted and partner-created records', () => {
    const data = JSON.stringify({ number: '7', ssn: '12345678901', accountNo: 'DE89370400440532013000' });
    const created = maskAudit(entry('local-created', null, null, data), false);
    expect(created.new).not.toContain('12345678901');
    expect(created.new).not.toContain('0532013000');
    expect(created.new).toContain('"number":"7"');
    const deleted = maskAudit(entry('local-deleted', null, JSON.stringify({ id: 7, data }), null), false);
    expect(deleted.old).not.toContain('12345678901');
    const partner = maskAudit(
      entry('partner-created', null, null, `{"local_id":7,"linked":1,"created":${data}}`),
      false,
    );
    expect(partner.new).not.toContain('12345678901');
  });
});

describe('maskConflict', () => {
  const conflict = (field: string | null, expected: string | null, now: string | null) => ({
    auditId: 1,
    itemId: 2,
    localId: 3,
    field,
    expected,
    now,
  });

  it('masks the values of a sensitive field and leaves others readable', () => {
    expect(
      maskConflict(conflict('accountNo', 'DE89370400440532013000', 'DE02120300000000202051')),
    ).toMatchObject({
      expected: expect.stringMatching(/^•+00$/) as string,
      now: expect.stringMatching(/^•+51$/) as string,
    });
    expect(maskConflict(conflict('city', 'Köln', 'Bonn'))).toMatchObject({ expected: 'Köln', now: 'Bonn' });
  });

  it('masks sensitive keys inside an item snapshot, nested remote data included', () => {
    const item = JSON.stringify({
      linked: 1,
      remote_data: JSON.stringify({ name: 'Anna', ssn: '12345678901' }),
    });
    const masked = maskConflict(conflict(null, item, item));
    expect(masked.expected).not.toContain('12345678901');
    expect(masked.now).toContain('Anna');
  });
});

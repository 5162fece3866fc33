/** The registry and overview actions through the real command line, on both databases. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { cli } from '../support/cli.js';

describe.each(DATABASES)('the registry commands on $name', (target) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await target.connect();
  });
  afterAll(() => db.cleanup());

  it('adds, edits, archives and restores an employee, with every field as a kebab-case flag', async () => {
    const add = await cli(db, [
      'employee',
      'add',
      '--number',
      '0042',
      '--name',
      'Anna  Müller',
      '--work-phone-code',
      '49',
      '--work-phone',
      '0170 1234567',
      '--ssn',
      '12-345',
      '--employed-since',
      '01.03.2021',
      '--email',
      'Anna@Example.DE',
      '--json',
    ]);
    expect(add.code).toBe(0);
    expect(add.json()).toMatchObject({
      number: '0042',
      name: 'Anna Müller',
      email: 'anna@example.de',
      workPhoneCode: '+49',
      employedSince: '2021-03-01',
      active: true,
      archived: false,
    });

    // The SSN is masked in every answer, JSON included, unless asked for (FORMATS.md: sensitive).
    expect(add.json()).toMatchObject({ ssn: '••••45' });
    expect((await cli(db, ['employee', 'show', '42', '--json'])).json()).toMatchObject({ ssn: '••••45' });
    expect((await cli(db, ['employee', 'show', '42'])).stdout).not.toContain('12-345');
    expect((await cli(db, ['employee', 'show', '42', '--reveal', '--json'])).json()).toMatchObject({
      ssn: '12-345',
    });

    const edit = await cli(db, ['employee', 'edit', '42', '--city', 'Köln', '--json']);
    expect(edit.code).toBe(0);
    expect(edit.json()).toMatchObject({ city: 'Köln', version: 2 });

    const stale = await cli(db, ['employee', 'edit', '42', '--city', 'Bonn', '--expect-version', '1']);
    expect(stale.code).toBe(5);
    expect(stale.stderr).toContain('stale_version');

    const archived = await cli(db, ['employee', 'archive', '42', '--json']);
    expect(archived.json()).toMatchObject({ archived: true, ssn: '' });
    expect((await cli(db, ['employee', 'list', '--json'])).json()).toEqual({ employees: [] });
    expect(
      (await cli(db, ['employee', 'list', '--archived', '--json'])).json<{ employees: unknown[] }>()
        .employees,
    ).toHaveLength(1);
    // An empty list that is not empty in the archive says so.
    expect((await cli(db, ['employee', 'list', '--search', 'köln'])).stdout).toBe(
      'No employees match "köln" (1 in the archive: add --archived).\n',
    );

    const restored = await cli(db, ['employee', 'restore', '42', '--json']);
    expect(restored.json()).toMatchObject({ archived: false, city: 'Köln' });
  });

  it('says where a list was cut and how to read on', async () => {
    for (const number of ['9101', '9102', '9103'])
      expect((await cli(db, ['employee', 'add', number, '--name', `Liste ${number}`])).code).toBe(0);
    const first = await cli(db, ['employee', 'list', '--search', 'Liste', '--limit', '2']);
    expect(first.stdout).toContain('1–2 of 3; the next ones: --offset 2 (or a larger --limit)');
    const rest = await cli(db, ['employee', 'list', '--search', 'Liste', '--limit', '2', '--offset', '2']);
    expect(rest.stdout).toContain('9103');
    expect(rest.stdout).not.toContain(' of 3');
  });

  it('refuses invalid values naming each field, and changes nothing', async () => {
    const bad = await cli(db, [
      'employee',
      'add',
      '--number',
      '7',
      '--name',
      'Bo',
      '--email',
      'not-an-email',
      '--employed-since',
      '31.02.2024',
      '--json',
    ]);
    expect(bad.code).toBe(3);
    const error = bad.json<{ error: { code: string; details: { fields: { field: string }[] } } }>().error;
    expect(error.code).toBe('validation_failed');
    expect(error.details.fields.map((f) => f.field).sort()).toEqual(['email', 'employedSince']);
    expect((await cli(db, ['employee', 'show', '7'])).code).toBe(4);
  });

  it('refuses a second record with the same number, leading zeros ignored', async () => {
    expect((await cli(db, ['customer', 'add', 'K1', '--name', 'Bäckerei Sonnenschein'])).code).toBe(0);
    const dup = await cli(db, ['customer', 'add', 'k1', '--name', 'Other']);
    expect(dup.code).toBe(5);
    expect(dup.stderr).toContain('duplicate_number');
  });

  it('says when it read a value with a guess: "UK" as GB (SYNC.md §3)', async () => {
    const add = await cli(db, ['customer', 'add', 'K27', '--name', 'Smith & Sons', '--country', 'UK']);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('warning: country "UK" was read as GB');
    const edit = await cli(db, ['customer', 'edit', 'K27', '--country', 'uk', '--json']);
    expect(edit.json()).toMatchObject({ country: 'GB', warnings: ['country "uk" was read as GB'] });
    // Added without a type, a customer is a business (FORMATS.md: "default business").
    expect((await cli(db, ['customer', 'show', 'K27', '--json'])).json()).toMatchObject({ type: 'business' });
  });

  it('answers --help for every command and a usage error with exit status 2', async () => {
    const help = await cli(db, ['import', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--skip-invalid');
    expect((await cli(db, ['overview'])).code).toBe(2);
    expect((await cli(db, ['no-such-command'])).code).toBe(2);
  });
});

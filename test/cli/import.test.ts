/** Importing and exporting real files through the command line, on both databases. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { cli } from '../support/cli.js';

const GERMAN_1252 = [
  'P.-Nr.;Name;Adresse;PLZ;Ort;Land;Eintrittsdatum;Aktiv',
  '0042;Jürgen Weiß;"Große Straße 5\nHinterhaus";20146;Hamburg;DE;01.03.2021;ja',
  '0043;Zoë Çelik;Königsallee 1;40212;Düsseldorf;DE;15.08.2022;ja',
  '0044;Paul Hoffmann;Neustadt 3;28195;Bremen;DE;01.05.2015;nein',
  '',
].join('\r\n');

describe.each(DATABASES)('file import and export through the CLI on $name', (target) => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await target.connect();
    dir = await mkdtemp(join(tmpdir(), 'abgleich-cli-'));
    await writeFile(join(dir, 'lohn.csv'), iconv.encode(GERMAN_1252, 'windows-1252'));
    expect((await cli(db, ['integration', 'add', 'lohn', '--entity', 'employee'])).code).toBe(0);
    expect(
      (await cli(db, ['employee', 'add', '42', '--name', 'Jürgen Weiß', '--city', 'Hamburg'])).code,
    ).toBe(0);
  });
  afterAll(async () => {
    await db.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a Windows-1252 semicolon file with German headers and a quoted newline', async () => {
    const dry = await cli(db, ['import', 'lohn', join(dir, 'lohn.csv'), '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(dry.json()).toMatchObject({
      dryRun: true,
      counts: { synced: 1, new: 1, inactive: 1 },
      changeSet: null,
    });
    expect((await cli(db, ['overview', 'lohn', '--json'])).json()).toEqual({
      integration: 'lohn',
      counts: { conflict: 0, new: 1, deleted: 0, disabled: 0, synced: 0, inactive: 0 },
    });

    const run = await cli(db, ['import', 'lohn', join(dir, 'lohn.csv'), '--json']);
    expect(run.code).toBe(0);
    expect((await cli(db, ['overview', 'lohn', '--json'])).json()).toEqual({
      integration: 'lohn',
      counts: { conflict: 0, new: 1, deleted: 0, disabled: 0, synced: 1, inactive: 1 },
    });
    const anna = (await cli(db, ['employee', 'show', '42', '--json'])).json();
    expect(anna).toMatchObject({
      address: 'Große Straße 5 Hinterhaus',
      zip: '20146',
      employedSince: '2021-03-01',
    });
    const items = (await cli(db, ['items', 'lohn', '--category', 'new', '--json'])).json<{
      items: Record<string, unknown>[];
    }>();
    expect(items.items).toEqual([
      expect.objectContaining({
        category: 'new',
        number: '0043',
        local: null,
        remote: expect.objectContaining({ name: 'Zoë Çelik' }),
        conflicts: [],
      }),
    ]);
  });

  it('refuses a file with invalid rows with exit status 6, naming row, column and reason, and changes nothing', async () => {
    const bad =
      'Employee no.,Employee name,E-mail,Employed since\n7,Bo,bo@example.de,2024-01-01\n8,Al,not-mail,2024-13-01\n';
    await writeFile(join(dir, 'bad.csv'), bad);
    const run = await cli(db, [
      'import',
      'lohn',
      join(dir, 'bad.csv'),
      '--json',
      '--report',
      join(dir, 'report.csv'),
    ]);
    expect(run.code).toBe(6);
    const error = run.json<{ error: { code: string; details: { problems: Record<string, unknown>[] } } }>()
      .error;
    expect(error.code).toBe('file_invalid');
    expect(run.json<{ error: { message: string } }>().error.message).toBe(
      '1 of 2 rows is invalid (2 problems); nothing was imported.',
    );
    expect(error.details.problems).toEqual([
      expect.objectContaining({ row: 3, column: 'E-mail', value: 'not-mail' }),
      expect.objectContaining({ row: 3, column: 'Employed since', value: '2024-13-01' }),
    ]);
    expect(await readFile(join(dir, 'report.csv'), 'utf8')).toContain('3,E-mail,email,not-mail');
    expect((await cli(db, ['overview', 'lohn', '--json'])).json()).toMatchObject({
      counts: { synced: 1, new: 1 },
    });
  });

  it('refuses a file without a number column as unreadable (exit 6)', async () => {
    await writeFile(join(dir, 'nonumber.csv'), 'Name;Stadt\nAnna;Berlin\n');
    const run = await cli(db, ['import', 'lohn', join(dir, 'nonumber.csv')]);
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/number/i);
  });

  it('refuses a report or export file it cannot write before doing anything (exit 2)', async () => {
    const before = (await cli(db, ['overview', 'lohn', '--json'])).json();
    await writeFile(join(dir, 'more.csv'), 'P.-Nr.;Name\n0042;Jürgen Weiß\n0099;Neu Person\n');
    const missing = join(dir, 'missing');
    const run = await cli(db, ['import', 'lohn', join(dir, 'more.csv'), '--report', join(missing, 'r.csv')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--report: cannot write ${join(missing, 'r.csv')}: the folder`);
    expect((await cli(db, ['overview', 'lohn', '--json'])).json()).toEqual(before);
    const exported = await cli(db, ['export', 'lohn', join(missing, 'x.csv')]);
    expect(exported.code).toBe(2);
    expect(exported.stderr).toContain('does not exist');
    const pdf = await cli(db, ['export', 'lohn', join(dir, 'x.pdf')]);
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toContain('ends in .pdf, but the export is CSV or XLSX');
  });

  it('exports the local-only record after create partner, in German', async () => {
    expect(
      (await cli(db, ['employee', 'add', '77', '--name', 'Lena Fischer', '--employed-since', '2026-11-01']))
        .code,
    ).toBe(0);
    const item = (await cli(db, ['items', 'lohn', '--side', 'local', '--json'])).json<{
      items: { id: number }[];
    }>().items[0]!;
    expect((await cli(db, ['partner', 'lohn', String(item.id)])).code).toBe(0);
    // A correction the payroll should take: local 42 is its 0042, and goes out under that number.
    expect((await cli(db, ['employee', 'edit', '42', '--city', 'Lübeck'])).code).toBe(0);
    const out = join(dir, 'export.csv');
    expect((await cli(db, ['export', 'lohn', out, '--lang', 'de'])).code).toBe(0);
    const text = (await readFile(out, 'utf8')).replace(/^\uFEFF/, '');
    const [header, ...rows] = text.trim().split(/\r?\n/);
    expect(header).toContain('P.-Nr.;Name');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^0042;Jürgen Weiß;.*;Lübeck;/);
    expect(rows[1]).toContain('77;Lena Fischer');
  });

  it('a rule set on the integration decides a waiting conflict at once', async () => {
    // The payroll file says Hamburg for 0042; the registry says Lübeck since the last test: a conflict
    // after the next import.
    await writeFile(
      join(dir, 'lohn2.csv'),
      iconv.encode(GERMAN_1252.replace(';Hamburg;', ';Kiel;'), 'windows-1252'),
    );
    expect((await cli(db, ['import', 'lohn', join(dir, 'lohn2.csv')])).code).toBe(0);
    const before = (await cli(db, ['overview', 'lohn', '--json'])).json<{ counts: { conflict: number } }>();
    expect(before.counts.conflict).toBe(1);
    const set = await cli(db, ['integration', 'set', 'lohn', '--rule', 'city=prefer-remote']);
    expect(set.code).toBe(0);
    // It says what the rule did: the registry's Lübeck is overwritten, not only saved settings.
    expect(set.stdout).toMatch(
      /1 item of the overview changed with them; 1 value in the registry overwritten/,
    );
    const after = (await cli(db, ['overview', 'lohn', '--json'])).json<{ counts: { conflict: number } }>();
    expect(after.counts.conflict).toBe(0);
    expect((await cli(db, ['employee', 'show', '42', '--json'])).json()).toMatchObject({ city: 'Kiel' });
  });

  it('links a payroll export as Excel leaves it to the registry without a single conflict', async () => {
    // Title lines, the name in two columns, ZIP codes without their leading zero, date-time cells,
    // WAHR/FALSCH — against a registry that writes "01067" and "Jürgen Müller".
    expect((await cli(db, ['integration', 'add', 'lohnexport', '--entity', 'employee'])).code).toBe(0);
    for (const [number, name, zip] of [
      ['4711', 'Karin Schulze', '01067'],
      ['4712', 'Søren Østergård', '01069'],
    ])
      expect((await cli(db, ['employee', 'add', number!, '--name', name!, '--zip', zip!])).code).toBe(0);
    const file = [
      'Lohnexport Personalstamm;;;;;',
      'Stand: 01.11.2026 08:15;;;;;',
      ';;;;;',
      'Personalnummer;Nachname;Vorname;PLZ;Eintrittsdatum;Aktiv',
      '4711;Schulze;Karin;1067;01.03.2021 00:00;WAHR',
      '4712;Østergård;Søren;1069;15.08.2022 00:00;WAHR',
      '4713;Weiß;Grete;1099;01.01.2023 00:00;FALSCH',
      '',
    ].join('\r\n');
    await writeFile(join(dir, 'lohnexport.csv'), iconv.encode(file, 'windows-1252'));
    const run = await cli(db, ['import', 'lohnexport', join(dir, 'lohnexport.csv'), '--json']);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({
      rows: { read: 3, invalid: 0 },
      changes: { linked: 2, conflicts: 0 },
      counts: { conflict: 0, synced: 2, inactive: 1 },
    });
    expect((await cli(db, ['employee', 'show', '4711', '--json'])).json()).toMatchObject({
      name: 'Karin Schulze',
      zip: '01067',
      employedSince: '2021-03-01',
    });
  });

  it('a dry run with more changes than it lists says how many there are', async () => {
    expect((await cli(db, ['integration', 'add', 'gross', '--entity', 'employee'])).code).toBe(0);
    const rows = Array.from({ length: 620 }, (_, i) => `${9000 + i},Person ${i}`);
    await writeFile(join(dir, 'gross.csv'), ['Employee no.,Employee name', ...rows, ''].join('\r\n'));
    const dry = await cli(db, ['import', 'gross', join(dir, 'gross.csv'), '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('… 600 more planned changes (--json lists the first 500)');
    const json = await cli(db, ['import', 'gross', join(dir, 'gross.csv'), '--dry-run', '--json']);
    expect(json.json<{ planned: unknown[] }>().planned).toHaveLength(500);
  });

  it('names the rows --skip-invalid leaves out, and counts problems past the first 1,000', async () => {
    expect((await cli(db, ['integration', 'add', 'kaputt', '--entity', 'employee'])).code).toBe(0);
    // 1,200 rows with an e-mail that is none, then one good row.
    const bad = Array.from({ length: 1200 }, (_, i) => `${7000 + i},Person ${i},kein-at-zeichen`);
    await writeFile(
      join(dir, 'kaputt.csv'),
      ['Employee no.,Employee name,E-mail', ...bad, '8999,Gute Zeile,gut@example.de', ''].join('\r\n'),
    );
    const refused = await cli(db, ['import', 'kaputt', join(dir, 'kaputt.csv')]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('… and 1,150 more (--report FILE or --json list the first 1,000)');
    const refusedJson = await cli(db, ['import', 'kaputt', join(dir, 'kaputt.csv'), '--json']);
    const details = refusedJson.json<{ error: { details: { problems: unknown[]; problemCount: number } } }>()
      .error.details;
    expect(details.problems).toHaveLength(1000);
    expect(details.problemCount).toBe(1200);

    const run = await cli(db, ['import', 'kaputt', join(dir, 'kaputt.csv'), '--skip-invalid']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'skipped: row 2, column "E-mail": "kein-at-zeichen" is not a valid e-mail address',
    );
    expect(run.stdout).toContain('… 1,180 more problems (--report FILE writes the first 1,000)');
    const json = await cli(db, ['import', 'kaputt', join(dir, 'kaputt.csv'), '--skip-invalid', '--json']);
    expect(json.json()).toMatchObject({ problemCount: 1200, rows: { invalid: 1200, valid: 1 } });
  });

  it('pages through the audit log with --before, and says where a page was cut', async () => {
    const all = (await cli(db, ['audit', '--json'])).json<{ entries: { id: number }[] }>().entries;
    expect(all.length).toBeGreaterThan(3);
    const first = await cli(db, ['audit', '--limit', '2']);
    expect(first.stdout).toContain(`The 2 newest entries; older ones: --before ${all[1]!.id}`);
    const next = await cli(db, ['audit', '--limit', '2', '--before', String(all[1]!.id), '--json']);
    expect(next.json<{ entries: { id: number }[] }>().entries.map((e) => e.id)).toEqual(
      all.slice(2, 4).map((e) => e.id),
    );
  });
});

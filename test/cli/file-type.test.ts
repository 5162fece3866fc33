/** Custom file types and choosing a partner, through the command line (SQLite and PostgreSQL). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

describe.each(DATABASES)('custom file types and candidates on $name', (target) => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await target.connect();
    dir = await mkdtemp(join(tmpdir(), 'abgleich-ft-'));
  });
  afterAll(async () => {
    await db.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a payroll layout through a saved mapping with its own date format', async () => {
    const type = {
      name: 'DATEV-Export',
      entity: 'employee',
      columns: { 'Pers.Nr': 'number', Mitarbeiter: 'name', Eintritt: 'employedSince', Mail: 'email' },
      dateFormat: 'MM/DD/YYYY',
    };
    await writeFile(join(dir, 'type.json'), JSON.stringify(type));
    expect(
      (
        await cli(db, [
          'integration',
          'add',
          'datev',
          '--entity',
          'employee',
          '--file-type',
          join(dir, 'type.json'),
        ])
      ).code,
    ).toBe(0);
    await writeFile(
      join(dir, 'datev.csv'),
      'Pers.Nr;Mitarbeiter;Eintritt;Mail\n501;Ida Holm;04/13/2022;ida@example.dk\n',
    );
    const run = await cli(db, ['import', 'datev', join(dir, 'datev.csv'), '--json']);
    expect(run.code).toBe(0);
    const items = (await cli(db, ['items', 'datev', '--json'])).json<{
      items: { remote: Record<string, string> }[];
    }>();
    expect(items.items[0]!.remote).toMatchObject({
      number: '501',
      name: 'Ida Holm',
      employedSince: '2022-04-13',
    });
  });

  it('refuses a file type that maps to no number column, naming the problem', async () => {
    await writeFile(
      join(dir, 'bad.json'),
      JSON.stringify({ name: 'x', entity: 'employee', columns: { Navn: 'name' } }),
    );
    const run = await cli(db, ['integration', 'set', 'datev', '--file-type', join(dir, 'bad.json')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('number');
  });

  it('ranks a local record with the same e-mail as a candidate partner, and links them', async () => {
    expect(
      (await cli(db, ['employee', 'add', '9001', '--name', 'Ida Holm-Jensen', '--email', 'IDA@example.dk']))
        .code,
    ).toBe(0);
    const remote = (await cli(db, ['items', 'datev', '--side', 'remote', '--json'])).json<{
      items: { id: number }[];
    }>().items[0]!;
    const found = (await cli(db, ['candidates', 'datev', String(remote.id), '--json'])).json<{
      candidates: { itemId: number; reasons: string[] }[];
    }>();
    expect(found.candidates[0]!.reasons).toContain('email');
    const link = await cli(db, [
      'link',
      'datev',
      String(remote.id),
      String(found.candidates[0]!.itemId),
      '--json',
    ]);
    expect(link.code).toBe(0);
    expect((await cli(db, ['overview', 'datev', '--json'])).json()).toMatchObject({
      counts: { new: 0, conflict: 1 },
    });
  });
});

/** File runs through the file connector: unchanged rows are recognised by fingerprint, duplicates still caught. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AbgleichError } from '../../src/core/errors.js';
import type { App } from '../../src/sync/app.js';
import { importFile } from '../../src/sync/import-file.js';
import { addIntegration } from '../../src/sync/integrations.js';
import { openTestApp } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

const HEADER = 'Employee no.;Employee name;City\n';
const ROWS = ['1;Anna Müller;Berlin', '2;Bo Jensen;Aarhus', '3;Cem Yıldız;Köln'];

describe.each(DATABASES)('file runs on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  let dir: string;
  const file = async (name: string, rows: readonly string[]) => {
    const path = join(dir, name);
    await writeFile(path, HEADER + rows.join('\n') + '\n');
    return path;
  };
  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    dir = await mkdtemp(join(tmpdir(), 'abgleich-run-'));
    await app.unit('setup', null, (u) =>
      addIntegration(u.db, app.workspace, u.now, { name: 'pay', entity: 'employee', source: 'file' }),
    );
  });
  afterEach(async () => {
    await app.close();
    await db.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports what it read with a guess or ignored as warnings with code, row, column and value', async () => {
    const path = join(dir, 'w.csv');
    await writeFile(path, 'Employee no.;Employee name;Country;Remark\n1;Anna Müller;UK;x\n');
    const report = await importFile(app, 'pay', path);
    expect(report.warnings).toEqual([
      {
        code: 'unknown_header',
        row: 1,
        column: 'Remark',
        value: '',
        message: 'w.csv, column "Remark": unknown column "Remark" is ignored',
      },
      {
        code: 'country_alias',
        row: 2,
        column: 'Country',
        value: 'UK',
        message: 'row 2, column "Country": "UK" was read as GB',
      },
    ]);
  });

  it('a re-import recognises unchanged rows and reconciles only the changed one', async () => {
    await importFile(app, 'pay', await file('a.csv', ROWS));
    const report = await importFile(
      app,
      'pay',
      await file('b.csv', [ROWS[0]!, '2;Bo Jensen;Odense', ROWS[2]!]),
    );
    expect(report.rows).toEqual({ read: 3, valid: 3, invalid: 0, unchanged: 2 });
    expect(report.changes.updated).toBe(1);
  });

  it('a row written again with other quotes is unchanged, not updated', async () => {
    await importFile(app, 'pay', await file('a.csv', ROWS));
    const quoted = await importFile(
      app,
      'pay',
      await file('q.csv', ['"1";"Anna Müller";Berlin', ...ROWS.slice(1)]),
    );
    expect(quoted.rows.unchanged).toBe(3);
    expect(quoted.changes.updated).toBe(0);
    expect(quoted.planned).toEqual([]);
  });

  it('hashes of an earlier format (SHA-1, or cells joined) cost one re-check, change nothing and are replaced', async () => {
    await importFile(app, 'pay', await file('a.csv', ROWS));
    await app.db.kysely.updateTable('item').set({ remote_hash: 'f1d2d2f924e986ac86fd' }).execute();
    const auditBefore = await app.db.kysely.selectFrom('audit').select('id').execute();
    const first = await importFile(app, 'pay', await file('b.csv', ROWS));
    // Re-checked, found equal: unchanged to the user, and nothing in the audit log.
    expect(first.rows).toEqual({ read: 3, valid: 3, invalid: 0, unchanged: 3 });
    expect(first.changes).toMatchObject({
      updated: 0,
      conflicts: 0,
      new: 0,
      deleted: 0,
      localFieldsChanged: 0,
    });
    expect(await app.db.kysely.selectFrom('audit').select('id').execute()).toEqual(auditBefore);
    const hashes = await app.db.kysely.selectFrom('item').select('remote_hash').execute();
    expect(hashes.every((h) => /^[0-9a-f]{16}$/.test(h.remote_hash ?? ''))).toBe(true);
    const second = await importFile(app, 'pay', await file('c.csv', ROWS));
    expect(second.rows.unchanged).toBe(3);
  });

  it('a number repeated after an unchanged row is refused as a duplicate on the later row', async () => {
    await importFile(app, 'pay', await file('a.csv', ROWS));
    const error = await importFile(app, 'pay', await file('b.csv', [...ROWS, '01;Anna Müller;Berlin'])).catch(
      (e: unknown) => e,
    );
    expect((error as AbgleichError).code).toBe('file_invalid');
    expect((error as AbgleichError).details).toMatchObject({
      problems: [{ row: 5, column: 'Employee no.', code: 'duplicate' }],
    });
  });

  it('a row that stays invalid with --skip-invalid does not mark its record deleted', async () => {
    await importFile(app, 'pay', await file('a.csv', ROWS));
    const report = await importFile(app, 'pay', await file('b.csv', [ROWS[0]!, '2;;Aarhus', ROWS[2]!]), {
      skipInvalid: true,
    });
    expect(report.rows.invalid).toBe(1);
    expect(report.changes.deleted + report.changes.removed).toBe(0);
  });
});

describe('planner statistics after a large run, on postgres', () => {
  const target = DATABASES.find((d) => d.name === 'postgres')!;
  let db: TestDatabase;
  let app: App;
  let dir: string;
  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
    dir = await mkdtemp(join(tmpdir(), 'abgleich-analyze-'));
    await app.unit('setup', null, (u) =>
      addIntegration(u.db, app.workspace, u.now, { name: 'pay', entity: 'employee', source: 'file' }),
    );
  });
  afterEach(async () => {
    await app.close();
    await db.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('an import of many rows leaves the item table analyzed, so the next run reads its index in order', async () => {
    // Without statistics PostgreSQL took the freshly filled table for a few hundred rows, and read each
    // page of the next run's remote index by scanning and sorting the whole integration.
    const path = join(dir, 'many.csv');
    const rows = Array.from({ length: 12_000 }, (_, i) => `${100000 + i};Person ${i};Köln`);
    await writeFile(path, HEADER + rows.join('\n') + '\n');
    await importFile(app, 'pay', path);
    const { rows: stats } = await sql<{ reltuples: number }>`
      select reltuples from pg_class where relname = 'item'`.execute(app.db.kysely);
    expect(Number(stats[0]?.reltuples)).toBeGreaterThan(10_000);
    const { rows: plan } = await sql<{ 'QUERY PLAN': string }>`
      explain select remote_key from item where integration_id = 1 and remote_key is not null
        and remote_key > '100500' order by remote_key limit 10000`.execute(app.db.kysely);
    expect(plan.map((p) => p['QUERY PLAN']).join('\n')).not.toContain('Sort');
  });
});

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
import type { DatabaseTarget, TestDatabase } from '../support/databases.js';

const HEADER = 'Employee no.;Employee name;City\n';
const ROWS = ['1;Anna Müller;Berlin', '2;Bo Jensen;Aarhus', '3;Cem Yıldız;Köln'];

/** A fresh database with the file integration `pay`, a temporary folder, and a writer of CSV files there. */
function fileRun(target: DatabaseTarget) {
  const run = {} as { db: TestDatabase; app: App; dir: string };
  beforeEach(async () => {
    run.db = await target.connect();
    run.app = await openTestApp(run.db);
    run.dir = await mkdtemp(join(tmpdir(), 'abgleich-run-'));
    await run.app.unit('setup', null, (u) =>
      addIntegration(u.db, run.app.workspace, u.now, { name: 'pay', entity: 'employee', source: 'file' }),
    );
  });
  afterEach(async () => {
    await run.app.close();
    await run.db.cleanup();
    await rm(run.dir, { recursive: true, force: true });
  });
  const file = async (name: string, rows: readonly string[]) => {
    const path = join(run.dir, name);
    await writeFile(path, HEADER + rows.join('\n') + '\n');
    return path;
  };
  return Object.assign(run, { file });
}

describe.each(DATABASES)('file runs on $name', (target) => {
  const run = fileRun(target);

  it('reports what it read with a guess or ignored as warnings with code, row, column and value', async () => {
    const path = join(run.dir, 'w.csv');
    await writeFile(path, 'Employee no.;Employee name;Country;Remark\n1;Anna Müller;UK;x\n');
    const report = await importFile(run.app, 'pay', path);
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
        readAs: 'GB',
      },
    ]);
  });

  it('imports a file with a totals row below the records and reports the row as a warning', async () => {
    const path = join(run.dir, 't.csv');
    await writeFile(path, 'Employee no.;Employee name\n1;Anna Müller\n2;Bo Jensen\nTotal;2 employees\n');
    const report = await importFile(run.app, 'pay', path);
    expect(report.rows).toMatchObject({ read: 2, invalid: 0 });
    expect(report.changes.new).toBe(2);
    expect(report.warnings).toEqual([
      {
        code: 'totals_row',
        row: 4,
        column: '',
        value: 'Total',
        message: 'row 4: "Total" sums up the rows above it and was not read',
      },
    ]);
  });

  it('says so when empty "active" cells are read as no in a column that says yes/no in words', async () => {
    const words = join(run.dir, 'aktiv.csv');
    await writeFile(
      words,
      'Employee no.;Employee name;Active\n1;Anna Müller;ja\n2;Bo Jensen;\n3;Cem Çelik;nein\n',
    );
    const report = await importFile(run.app, 'pay', words);
    expect(report.warnings).toEqual([
      expect.objectContaining({ code: 'empty_as_no', row: 3, column: 'Active' }),
    ]);
    expect(report.warnings[0]!.message).toContain('1 empty cell was read as "no" (row 3)');
    // The x / empty convention itself is no news: nothing to say.
    const marks = join(run.dir, 'x.csv');
    await writeFile(marks, 'Employee no.;Employee name;Active\n1;Anna Müller;x\n2;Bo Jensen;\n');
    expect((await importFile(run.app, 'pay', marks)).warnings).toEqual([]);
  });

  it('a re-import recognises unchanged rows and reconciles only the changed one', async () => {
    await importFile(run.app, 'pay', await run.file('a.csv', ROWS));
    const report = await importFile(
      run.app,
      'pay',
      await run.file('b.csv', [ROWS[0]!, '2;Bo Jensen;Odense', ROWS[2]!]),
    );
    expect(report.rows).toEqual({ read: 3, valid: 3, invalid: 0, unchanged: 2 });
    expect(report.changes.updated).toBe(1);
  });

  it('a row written again with other quotes is unchanged, not updated', async () => {
    await importFile(run.app, 'pay', await run.file('a.csv', ROWS));
    const quoted = await importFile(
      run.app,
      'pay',
      await run.file('q.csv', ['"1";"Anna Müller";Berlin', ...ROWS.slice(1)]),
    );
    expect(quoted.rows.unchanged).toBe(3);
    expect(quoted.changes.updated).toBe(0);
    expect(quoted.planned).toEqual([]);
  });

  it('hashes of an earlier format (SHA-1, or cells joined) cost one re-check, change nothing and are replaced', async () => {
    await importFile(run.app, 'pay', await run.file('a.csv', ROWS));
    await run.app.db.kysely.updateTable('item').set({ remote_hash: 'f1d2d2f924e986ac86fd' }).execute();
    const auditBefore = await run.app.db.kysely.selectFrom('audit').select('id').execute();
    const first = await importFile(run.app, 'pay', await run.file('b.csv', ROWS));
    // Re-checked, found equal: unchanged to the user, and nothing in the audit log.
    expect(first.rows).toEqual({ read: 3, valid: 3, invalid: 0, unchanged: 3 });
    expect(first.changes).toMatchObject({
      updated: 0,
      conflicts: 0,
      new: 0,
      deleted: 0,
      localFieldsChanged: 0,
    });
    expect(await run.app.db.kysely.selectFrom('audit').select('id').execute()).toEqual(auditBefore);
    const hashes = await run.app.db.kysely.selectFrom('item').select('remote_hash').execute();
    expect(hashes.every((h) => /^[0-9a-f]{16}$/.test(h.remote_hash ?? ''))).toBe(true);
    const second = await importFile(run.app, 'pay', await run.file('c.csv', ROWS));
    expect(second.rows.unchanged).toBe(3);
  });

  it('a number repeated after an unchanged row is refused as a duplicate on the later row', async () => {
    await importFile(run.app, 'pay', await run.file('a.csv', ROWS));
    const error = await importFile(
      run.app,
      'pay',
      await run.file('b.csv', [...ROWS, '01;Anna Müller;Berlin']),
    ).catch((e: unknown) => e);
    expect((error as AbgleichError).code).toBe('file_invalid');
    expect((error as AbgleichError).details).toMatchObject({
      problems: [
        {
          row: 5,
          column: 'Employee no.',
          code: 'duplicate_in_file',
          reason: 'is the same number as row 2 (numbers are unique in the file)',
        },
      ],
    });
  });

  describe("with --skip-invalid, a number on two rows (SYNC.md §10.5: the rows' order changes nothing)", () => {
    const state = async () =>
      (
        await run.app.db.kysely
          .selectFrom('item')
          .select(['number', 'remote_data', 'category'])
          .orderBy('number')
          .execute()
      ).map((i) => ({ ...i, remote_data: JSON.parse(i.remote_data ?? 'null') as unknown }));

    it.each([
      ['known, changed on both rows', ['1;Anna Müller;Hamburg', '1;Anna Alt;Bonn']],
      ['known, the first row unchanged', ['1;Anna Müller;Berlin', '1;Anna Alt;Bonn']],
      ['new', ['4;Dora Dahl;Ulm', '4;Dieter Dorn;Jena']],
    ])('%s: neither row is imported, in either order, and the record stays', async (_, twice) => {
      await importFile(run.app, 'pay', await run.file('a.csv', ROWS));
      const before = await state();
      const outcomes = [];
      const others = ROWS.filter((r) => r.split(';')[0] !== twice[0]!.split(';')[0]);
      const last = others.length + 3; // the header is row 1, the first of the two row 2
      for (const order of [twice, [...twice].reverse()]) {
        const report = await importFile(
          run.app,
          'pay',
          await run.file('b.csv', [order[0]!, ...others, order[1]!]),
          { skipInvalid: true },
        );
        expect(report.problems).toEqual([
          expect.objectContaining({
            row: 2,
            code: 'duplicate_in_file',
            reason: expect.stringContaining(`row ${last}`),
          }),
          expect.objectContaining({
            row: last,
            code: 'duplicate_in_file',
            reason: expect.stringContaining('row 2'),
          }),
        ]);
        expect(report.warnings.map((w) => w.code)).not.toContain('deletions_skipped');
        outcomes.push(await state());
      }
      expect(outcomes[1]).toEqual(outcomes[0]);
      // A known record keeps what it had; record 1's row was in the file, so nothing is deleted.
      expect(outcomes[0]).toEqual(before);
    });
  });

  it('with --skip-invalid, a repeated number is no unreadable one: the file is complete, deletions go on', async () => {
    await importFile(run.app, 'pay', await run.file('a.csv', ROWS));
    // Record 3 is gone from the file; record 1 comes twice, changed both times (both rows are checked).
    const report = await importFile(
      run.app,
      'pay',
      await run.file('b.csv', ['1;Anna Müller;Hamburg', ROWS[1]!, '01;Anna Müller;Bonn']),
      { skipInvalid: true },
    );
    expect(report.problems).toMatchObject([
      { row: 2, code: 'duplicate_in_file' },
      { row: 4, code: 'duplicate_in_file' },
    ]);
    expect(report.warnings.map((w) => w.code)).not.toContain('deletions_skipped');
    expect(report.changes.removed).toBe(1);
  });

  it('a row that stays invalid with --skip-invalid does not mark its record deleted', async () => {
    await importFile(run.app, 'pay', await run.file('a.csv', ROWS));
    const report = await importFile(
      run.app,
      'pay',
      await run.file('b.csv', [ROWS[0]!, '2;;Aarhus', ROWS[2]!]),
      {
        skipInvalid: true,
      },
    );
    expect(report.rows.invalid).toBe(1);
    expect(report.changes.deleted + report.changes.removed).toBe(0);
  });
});

describe('planner statistics after a large run, on postgres', () => {
  const run = fileRun(DATABASES.find((d) => d.name === 'postgres')!);

  it('an import of many rows leaves the item table analyzed, so the next run reads its index in order', async () => {
    // Without statistics PostgreSQL took the freshly filled table for a few hundred rows, and read each
    // page of the next run's remote index by scanning and sorting the whole integration.
    const rows = Array.from({ length: 12_000 }, (_, i) => `${100000 + i};Person ${i};Köln`);
    await importFile(run.app, 'pay', await run.file('many.csv', rows));
    const { rows: stats } = await sql<{ reltuples: number }>`
      select reltuples from pg_class where relname = 'item'`.execute(run.app.db.kysely);
    expect(Number(stats[0]?.reltuples)).toBeGreaterThan(10_000);
    const { rows: plan } = await sql<{ 'QUERY PLAN': string }>`
      explain select remote_key from item where integration_id = 1 and remote_key is not null
        and remote_key > '100500' order by remote_key limit 10000`.execute(run.app.db.kysely);
    expect(plan.map((p) => p['QUERY PLAN']).join('\n')).not.toContain('Sort');
  });
});

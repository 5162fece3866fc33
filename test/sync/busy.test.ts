/**
 * Another process holding the database (the CLI beside the server, a long import): a write waits for
 * it up to `LOCK_WAIT_MS`, and is refused as `database_busy` with nothing changed when it waits longer.
 * The lock is held by a child process: SQLite's wait blocks node's own thread, so a lock held in this
 * process could never be let go while the write waits.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_WAIT_MS } from '../../src/store/database.js';
import type { App } from '../../src/sync/app.js';
import type { FieldName } from '../../src/core/fields.js';
import type { RemoteSnapshot } from '../../src/core/port.js';
import { createAllPartners } from '../../src/sync/partner-all.js';
import { createRecord } from '../../src/sync/registry.js';
import { runSnapshot } from '../../src/sync/run.js';
import { listLocal } from '../../src/store/records.js';
import { countsAgree, memorySnapshot, openTestApp, payrollWorld } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

/** A child process that takes the write lock (SQLite) or locks the record table (PostgreSQL) for `ms`. */
async function holdLock(url: string, ms: number): Promise<ChildProcess> {
  const script = url.startsWith('postgres')
    ? `const pg = require('pg');
       const c = new pg.Client({ connectionString: process.argv[1] });
       (async () => {
         await c.connect();
         await c.query('begin');
         await c.query('lock table local_record in exclusive mode');
         console.log('locked');
         await c.query('select pg_sleep($1)', [Number(process.argv[2]) / 1000]);
         await c.query('commit');
         await c.end();
       })();`
    : `const Database = require('better-sqlite3');
       const db = new Database(process.argv[1]);
       db.exec('begin immediate');
       console.log('locked');
       setTimeout(() => { db.exec('commit'); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, url, String(ms)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(child.stdout!, 'data'); // "locked"
  return child;
}

describe.each(DATABASES)('a database another process holds, on $name', (target) => {
  let db: TestDatabase;
  let app: App;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    db = await target.connect();
    app = await openTestApp(db);
  });
  afterEach(async () => {
    if (child && child.exitCode === null) await once(child, 'exit');
    await app.close();
    await db.cleanup();
  });

  const add = (number: string) =>
    app.unit('registry', null, (u) => createRecord(u, 'employee', { number, name: `Person ${number}` }));
  const numbers = async () =>
    (
      await listLocal(app.db.kysely, app.db.dialect, {
        workspace: app.workspace,
        kind: 'employee',
        limit: 10,
        offset: 0,
      })
    ).map((r) => r.number);

  it('waits for a lock let go within the wait, then writes', async () => {
    child = await holdLock(db.url, 800);
    const started = Date.now();
    await add('1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(await numbers()).toEqual(['1']);
  });

  it('refuses a write that waits longer as database_busy, and changes nothing', async () => {
    child = await holdLock(db.url, LOCK_WAIT_MS + 3000);
    await expect(add('2')).rejects.toMatchObject({ code: 'database_busy' });
    if (child.exitCode === null) await once(child, 'exit');
    expect(await numbers()).toEqual([]);
    await add('3'); // and the database is usable as before
    expect(await numbers()).toEqual(['3']);
  }, 20_000);
});

/**
 * Two units of one workspace at the same time in one process (the server's jobs and requests, two
 * imports): the second begins when the first has committed, and reads what it wrote. SQLite has one
 * connection per process and one writer per file; PostgreSQL's pool had both at once, under read
 * committed, and two imports interleaved their batches into a state neither file holds.
 */
describe.each(DATABASES)('two units of one workspace at once, on $name', (target) => {
  const world = payrollWorld(target);
  const FIELDS: FieldName[] = ['number', 'name', 'city', 'email', 'active'];
  const people = (n: number, city: (i: number) => string, email: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => ({
      number: String(i + 1),
      name: `Person ${i + 1}`,
      city: city(i),
      email: email(i),
    }));
  /** A snapshot that takes its time, so that two runs are sure to overlap. */
  const slow = (rows: Partial<Record<FieldName, string>>[]): RemoteSnapshot => {
    const inner = memorySnapshot('employee', FIELDS, rows);
    return {
      ...inner,
      async *rows() {
        let n = 0;
        for await (const row of inner.rows()) {
          if (++n % 25 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
          yield row;
        }
      },
    };
  };

  it('runs the second after the first has committed', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const first = world.app.unit('first', null, async (u) => {
      order.push('first begins');
      started();
      await gate;
      await createRecord(u, 'employee', { number: '1', name: 'Erste' });
      order.push('first ends');
    });
    await firstStarted;
    const second = world.app.unit('second', null, async (u) => {
      order.push('second begins');
      const seen = await u.db.selectFrom('local_record').select('number').execute();
      order.push(`second sees ${seen.map((r) => r.number).join(',') || 'nothing'}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const meanwhile = [...order];
    release();
    await Promise.all([first, second]);
    expect(meanwhile).toEqual(['first begins']);
    expect(order).toEqual(['first begins', 'first ends', 'second begins', 'second sees 1']);
  });

  it('applies two imports at once one after the other: the state is one file, not a mix', async () => {
    const base = people(
      400,
      () => 'Berlin',
      (i) => `p${i}@example.de`,
    );
    await runSnapshot(world.app, 'pay', memorySnapshot('employee', FIELDS, base));
    await createAllPartners(world.app, 'pay', {});
    const a = people(
      400,
      (i) => (i % 2 === 0 ? 'Ulm' : 'Berlin'),
      (i) => `p${i}@example.de`,
    );
    const b = people(
      400,
      () => 'Berlin',
      (i) => (i % 2 === 1 ? `q${i}@example.de` : `p${i}@example.de`),
    );
    await Promise.all([runSnapshot(world.app, 'pay', slow(a)), runSnapshot(world.app, 'pay', slow(b))]);
    const planned = async (rows: typeof a) =>
      (await runSnapshot(world.app, 'pay', memorySnapshot('employee', FIELDS, rows), { dryRun: true }))
        .changes;
    const [again, otherAgain] = [await planned(a), await planned(b)];
    // Whichever ran last is what the store holds: importing it again changes nothing.
    expect([again.updated, otherAgain.updated].sort((x, y) => x - y)).toEqual([0, 400]);
    expect(await countsAgree(world.app)).toBe(true);
  });
});

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
import { createRecord } from '../../src/sync/registry.js';
import { listLocal } from '../../src/store/records.js';
import { openTestApp } from '../support/app.js';
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

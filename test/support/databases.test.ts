import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DATABASES, getServerUrl, POSTGRES_URL_VAR, type DatabaseName } from './databases.js';

/** Runs statements on a test database with the plain driver; returns the rows of the last one. */
async function query(name: DatabaseName, url: string, ...statements: string[]): Promise<unknown[]> {
  if (name === 'sqlite') {
    const db = new Database(url);
    try {
      const last = statements.pop() ?? '';
      for (const sql of statements) db.exec(sql);
      return /^\s*select/i.test(last) ? db.prepare(last).all() : (db.exec(last), []);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let rows: unknown[] = [];
    for (const sql of statements) rows = (await client.query(sql)).rows;
    return rows;
  } finally {
    await client.end();
  }
}

describe.each(DATABASES)('test databases on $name', (db) => {
  it('each connect gives an empty database of its own', async () => {
    const [first, second] = await Promise.all([db.connect(), db.connect()]);
    try {
      expect(first.url).not.toBe(second.url);
      await query(db.name, first.url, 'CREATE TABLE t (id integer)', 'INSERT INTO t VALUES (1)');
      expect(await query(db.name, first.url, 'SELECT id FROM t')).toEqual([{ id: 1 }]);
      await expect(query(db.name, second.url, 'SELECT id FROM t')).rejects.toThrow(
        /no such table|does not exist/,
      );
    } finally {
      await Promise.all([first.cleanup(), second.cleanup()]);
    }
  });

  it('cleanup removes the database', async () => {
    const database = await db.connect();
    await query(db.name, database.url, 'CREATE TABLE t (id integer)');
    await database.cleanup();
    if (db.name === 'sqlite') {
      expect(existsSync(database.url)).toBe(false);
    } else {
      const name = new URL(database.url).pathname.slice(1);
      const rows = await query(
        'postgres',
        getServerUrl(),
        `SELECT 1 FROM pg_database WHERE datname = '${name}'`,
      );
      expect(rows).toEqual([]);
    }
  });
});

describe('the postgres test database', () => {
  it('is dropped by cleanup even while a test still holds a connection', async () => {
    const postgres = DATABASES.find((d) => d.name === 'postgres');
    const database = await postgres!.connect();
    const leaked = new pg.Client({ connectionString: database.url });
    leaked.on('error', () => {}); // the forced drop terminates it
    await leaked.connect();
    await database.cleanup();
    await leaked.end().catch(() => {});
  });
});

describe('without a PostgreSQL server', () => {
  it('fails in CI, naming the variable, instead of skipping', () => {
    expect(() => getServerUrl({ CI: 'true' })).toThrow(new RegExp(`${POSTGRES_URL_VAR} is not set in CI`));
  });

  it('tells a developer to run npm test', () => {
    expect(() => getServerUrl({})).toThrow(/Run them through `npm test`/);
  });
});

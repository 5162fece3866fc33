/**
 * SQLite statements are prepared once per SQL text and kept, the most recently used ones up to
 * `STATEMENT_CACHE` (`cachingStatements`): on a database that counts its `prepare` calls, and on a real
 * one after its schema changed beneath a kept statement (a bulk run drops and builds an index).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachingStatements, openDb, STATEMENT_CACHE } from '../../src/store/database.js';

/** A stand-in for better-sqlite3 that only counts what it is asked to prepare. */
function countingDatabase() {
  const prepared: string[] = [];
  const database = {
    prepare: (sql: string) => {
      prepared.push(sql);
      return { sql } as unknown as SqliteDatabase.Statement;
    },
    close: () => database,
  } as unknown as SqliteDatabase.Database;
  return { database, prepared };
}

describe('SQLite statements kept per SQL text', () => {
  it('prepares a query once and hands out the same statement again', () => {
    const { database, prepared } = countingDatabase();
    const db = cachingStatements(database);
    const first = db.prepare('select 1');
    expect(db.prepare('select 1')).toBe(first);
    expect(db.prepare('select 2')).not.toBe(first);
    expect(prepared).toEqual(['select 1', 'select 2']);
  });

  it('keeps the most recently used statements and prepares a dropped one again', () => {
    const { database, prepared } = countingDatabase();
    const db = cachingStatements(database);
    db.prepare('select 0');
    for (let i = 1; i < STATEMENT_CACHE; i++) db.prepare(`select ${i}`);
    db.prepare('select 0'); // used again: now the most recent
    db.prepare('select new'); // one too many: the least recently used ("select 1") goes
    expect(prepared).toHaveLength(STATEMENT_CACHE + 1);
    db.prepare('select 0');
    expect(prepared).toHaveLength(STATEMENT_CACHE + 1);
    db.prepare('select 1');
    expect(prepared.at(-1)).toBe('select 1');
  });

  it('runs a kept statement again after the schema changed beneath it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'abgleich-statements-'));
    const db = await openDb({ sqlitePath: join(dir, 'a.db') });
    try {
      for (const id of ['a', 'b'])
        await db.kysely.insertInto('workspace').values({ id, name: id, created_at: '2026-11-29' }).execute();
      const ids = async () =>
        (await db.kysely.selectFrom('workspace').select('id').orderBy('id').execute()).map((r) => r.id);
      expect(await ids()).toEqual(['a', 'b']);
      await db.kysely.schema.createIndex('workspace_name').on('workspace').column('name').execute();
      await db.kysely.schema.dropIndex('workspace_name').execute();
      await db.kysely.deleteFrom('workspace').where('id', '=', 'b').execute();
      expect(await ids()).toEqual(['a']);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

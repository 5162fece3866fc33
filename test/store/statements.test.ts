/**
 * SQLite statements are prepared once per SQL text and kept (`cachingStatements`): a query run again
 * sees what the table holds now, also after the schema changed beneath it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/database.js';
import { openDb } from '../../src/store/database.js';

describe('SQLite statements kept per SQL text', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'abgleich-statements-'));
    db = await openDb({ sqlitePath: join(dir, 'a.db') });
    for (const id of ['a', 'b', 'c'])
      await db.kysely.insertInto('workspace').values({ id, name: id, created_at: '2026-11-29' }).execute();
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ids = () => db.kysely.selectFrom('workspace').select('id').orderBy('id');

  it('answers a query run again with what the table holds now', async () => {
    expect((await ids().execute()).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    await db.kysely.deleteFrom('workspace').where('id', '=', 'b').execute();
    expect((await ids().execute()).map((r) => r.id)).toEqual(['a', 'c']);
  });

  it('runs a kept statement again after the schema changed beneath it (a bulk run drops an index)', async () => {
    expect((await ids().execute()).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    await db.kysely.schema.createIndex('workspace_name').on('workspace').column('name').execute();
    await db.kysely.schema.dropIndex('workspace_name').execute();
    expect((await ids().execute()).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});

#!/usr/bin/env node
/**
 * The floor under the scenarios: what the item table's own writes and reads cost on SQLite, with no
 * file, no engine and no JavaScript beyond one prepared statement — so that a scenario's figure can be
 * split into "the store" and "the rest". It opens a fresh database with the product's migrations
 * (dist/store/database.js, the real table and indexes), then, in one transaction each:
 *
 *   insert     N items as S1 writes them (the same columns, values of the same size)
 *   insert −name   the same without the index for lists sorted by name (built afterwards, timed apart)
 *   insert −all    the same without any secondary index (all four built afterwards)
 *   category   an update of every item's category, new → synced, as partner-all makes it (S2)
 *   row        an update of one column no index holds: the cost of rewriting the row alone
 *   scan       the read of the remote index (S3, S4): key and hash of every item, from the table
 *
 *   npm run build && node bench/floor.mjs [--rows 1000000] [--dir /tmp/abgleich-bench]
 *
 * Prints a table of ms and µs per row. A measurement, not a test: it never fails on a slow figure.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { parseFlags } from './generate.mjs';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

/** The app's pragmas (src/store/database.ts). */
function open(path) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  return db;
}

async function freshStore(path) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const { openDb } = await import(pathToFileURL(join(DIST, 'store/database.js')).href);
  const store = await openDb({ sqlitePath: path });
  await store.close();
  const db = open(path);
  db.prepare(`insert into workspace (id, name, created_at) values ('w', 'w', '2026-11-28')`).run();
  db.prepare(
    `insert into integration (workspace_id, name, entity, source, settings, created_at, updated_at)
     values ('w', 'payroll', 'employee', 'file', '{}', '2026-11-28', '2026-11-28')`,
  ).run();
  const indexes = db
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and tbl_name = 'item' and sql is not null`,
    )
    .all();
  return { db, indexes };
}

const DATA = JSON.stringify({
  number: '0000001',
  name: 'Jürgen Müller-Lüdenscheidt',
  street: 'Hauptstraße 12',
  zip: '12345',
  city: 'Berlin',
  country: 'DE',
  email: 'juergen.mueller@example.de',
  workPhoneCode: '+49',
  workPhone: '30 1234567',
  employedSince: '2003-02-01',
  active: 'true',
});

function insertItems(db, rows) {
  const insert = db.prepare(
    `insert into item (workspace_id, integration_id, remote_key, remote_data, remote_hash, category, number, name, updated_at)
     values (?, 1, ?, ?, ?, 'new', ?, ?, ?)`,
  );
  for (let i = 1; i <= rows; i++) {
    const number = String(i).padStart(7, '0');
    // Names in an order unrelated to the numbers, as in real files.
    const name = `Name ${String((i * 7919) % rows).padStart(7, '0')}`;
    insert.run(
      '00000000-0000-4000-8000-000000000000',
      String(i),
      DATA,
      '0123456789abcdef',
      number,
      name,
      '2026-11-28T00:00:00.000Z',
    );
  }
}

function timed(db, fn) {
  const started = performance.now();
  db.exec('begin');
  fn();
  db.exec('commit');
  return performance.now() - started;
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.help || flags.h) {
    process.stdout.write(
      'Usage: node bench/floor.mjs [--rows 1000000] [--dir /tmp/abgleich-bench]   (build first)\n',
    );
    return;
  }
  const rows = Number(flags.rows ?? 1_000_000);
  const dir = String(flags.dir ?? '/tmp/abgleich-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'floor.db');
  const results = [];
  const note = (what, ms, extra = '') => results.push({ what, ms, extra });

  for (const variant of ['insert', 'insert −name', 'insert −all']) {
    const { db, indexes } = await freshStore(path);
    const later =
      variant === 'insert'
        ? []
        : variant === 'insert −name'
          ? indexes.filter((i) => i.name === 'item_category_name')
          : indexes;
    for (const i of later) db.exec(`drop index ${i.name}`);
    const ms = timed(db, () => insertItems(db, rows));
    const built = later.length === 0 ? 0 : timed(db, () => later.forEach((i) => db.exec(i.sql)));
    note(
      variant,
      ms,
      later.length === 0
        ? 'with every item index'
        : `+ ${Math.round(built).toLocaleString('en-US')} ms to build ${later.map((i) => i.name).join(', ')} afterwards`,
    );
    if (variant === 'insert') {
      const ids = db.prepare('select id from item order by id').pluck().all();
      const category = db.prepare(`update item set category = ? where id = ?`);
      note(
        'category',
        timed(db, () => ids.forEach((id) => category.run('synced', id))),
        'new → synced, every item',
      );
      const row = db.prepare(`update item set updated_at = ? where id = ?`);
      note(
        'row',
        timed(db, () => ids.forEach((id) => row.run('2026-11-28T00:00:01.000Z', id))),
        'updated_at only: the row rewritten, no index touched',
      );
      const scan = db
        .prepare(
          'select id, remote_key, remote_hash, remote_deleted, linked from item where integration_id = ? and remote_key is not null',
        )
        .raw(true);
      note(
        'scan',
        timed(db, () => {
          for (const _ of scan.iterate(1));
        }),
        'the remote index: key and hash of every item',
      );
    }
    db.close();
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });

  process.stdout.write(
    `item table floor, SQLite, ${rows.toLocaleString('en-US')} rows, Node ${process.version}\n`,
  );
  for (const r of results) {
    const perRow = ((r.ms * 1000) / rows).toFixed(1);
    process.stdout.write(
      `  ${r.what.padEnd(13)} ${Math.round(r.ms).toLocaleString('en-US').padStart(8)} ms  ${perRow.padStart(5)} µs/row  ${r.extra}\n`,
    );
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});

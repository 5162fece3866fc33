#!/usr/bin/env node
/**
 * The floor every scenario is measured against: read the same file and store its rows, with nothing in
 * between. SQLite: papaparse streams arrays, one prepared INSERT per row into a table with the file's
 * columns, one transaction. PostgreSQL: papaparse streams arrays into COPY … FROM STDIN (pg-copy-streams)
 * of a fresh table. Run in a process of its own so that its peak RSS is its own:
 *
 *   node bench/baseline.mjs --db sqlite --file F --sqlite /tmp/base.db
 *   node bench/baseline.mjs --db postgres --file F --url postgres://…
 *
 * Prints one JSON line: { scenario: 'baseline', db, rows, ms, maxRssMb }.
 */
import { createReadStream, rmSync } from 'node:fs';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { FIELDS, parseFlags } from './generate.mjs';

const COLUMNS = FIELDS.map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

/**
 * Streams the rows of `file` (header skipped) to `onRows`, one parsed chunk at a time; `onRows` may
 * return a promise, and parsing waits for it (back-pressure).
 * @param {string} file
 * @param {(rows: string[][]) => void | Promise<void>} onRows
 */
export function streamRows(file, onRows) {
  let header = true;
  return new Promise((resolve, reject) => {
    Papa.parse(createReadStream(file), {
      skipEmptyLines: true,
      chunk(results, parser) {
        const rows = /** @type {string[][]} */ (results.data);
        if (header) {
          rows.shift();
          header = false;
        }
        const pending = onRows(rows);
        if (pending) {
          parser.pause();
          pending.then(() => parser.resume(), reject);
        }
      },
      complete: () => resolve(undefined),
      error: reject,
    });
  });
}

const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** CPU time (user + system, all threads of this process) since `start`, in ms. */
export function cpuMsSince(start) {
  const { user, system } = process.cpuUsage(start);
  return Math.round((user + system) / 1000);
}

/** @param {{ file: string, dbPath: string }} options */
export async function sqliteBaseline({ file, dbPath }) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const db = new Database(dbPath);
  // The pragmas the app uses (src/store/database.ts), so the two write to the same kind of file.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -131072');
  db.exec(`create table employee (id integer primary key, ${COLUMNS.map((c) => `${c} text`).join(', ')})`);
  const insert = db.prepare(
    `insert into employee (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`,
  );
  const width = COLUMNS.length;
  let rows = 0;
  db.exec('begin');
  await streamRows(file, (chunk) => {
    for (const cells of chunk) {
      insert.run(cells.length === width ? cells : COLUMNS.map((_, i) => cells[i] ?? null));
      rows++;
    }
  });
  db.exec('commit');
  db.close();
  return {
    scenario: 'baseline',
    db: 'sqlite',
    rows,
    ms: Math.round(performance.now() - started),
    cpuMs: cpuMsSince(cpuStarted),
    maxRssMb: maxRssMb(),
  };
}

/** COPY text format: tab-separated, `\N` is null; backslash, tab and newlines escaped. */
const copyText = (value) =>
  value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c);

/** @param {{ file: string, url: string }} options */
export async function postgresBaseline({ file, url }) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await client.query('drop table if exists bench_baseline');
    await client.query(
      `create table bench_baseline (id serial primary key, ${COLUMNS.map((c) => `${c} text`).join(', ')})`,
    );
    const copy = client.query(copyStreams.from(`copy bench_baseline (${COLUMNS.join(', ')}) from stdin`));
    const done = once(copy, 'finish');
    let rows = 0;
    await streamRows(file, (chunk) => {
      let text = '';
      for (const cells of chunk) {
        for (let i = 0; i < COLUMNS.length; i++) text += (i === 0 ? '' : '\t') + copyText(cells[i] ?? '');
        text += '\n';
        rows++;
      }
      return copy.write(text) ? undefined : once(copy, 'drain').then(() => undefined);
    });
    copy.end();
    await done;
    const ms = Math.round(performance.now() - started);
    const cpuMs = cpuMsSince(cpuStarted);
    await client.query('drop table bench_baseline');
    return { scenario: 'baseline', db: 'postgres', rows, ms, cpuMs, maxRssMb: maxRssMb() };
  } finally {
    await client.end();
  }
}

const HELP = `Usage:
  node bench/baseline.mjs --db sqlite --file FILE [--sqlite DB_PATH]
  node bench/baseline.mjs --db postgres --file FILE --url POSTGRES_URL
Prints one JSON line: { scenario: "baseline", db, rows, ms, maxRssMb }.
`;

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.help || !flags.file || (flags.db === 'postgres' && !flags.url)) {
    process.stdout.write(HELP);
    return flags.help ? 0 : 2;
  }
  const file = String(flags.file);
  const result =
    flags.db === 'postgres'
      ? await postgresBaseline({ file, url: String(flags.url) })
      : await sqliteBaseline({ file, dbPath: String(flags.sqlite ?? '/tmp/abgleich-bench-baseline.db') });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`bench/baseline.mjs: ${error instanceof Error ? error.stack : error}\n`);
      process.exit(1);
    },
  );
}

#!/usr/bin/env node
/**
 * The benchmark (`npm run bench`): generates the employee files, then for SQLite and PostgreSQL runs
 * the bare baseline and the scenarios S1–S4 and the overview reads, each in a process of its own, and
 * prints every figure next to its target. A benchmark, not a test: a missed target is shown with ✗ and
 * the exit code stays 0; only a crash makes it 1. See bench/README.md and `node bench/run.mjs --help`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgres } from '../scripts/lib/postgres.mjs';
import { deriveChanged, generateFile, parseFlags } from './generate.mjs';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const URL_VAR = 'ABGLEICH_BENCH_DATABASE_URL';
/** Bump when the generator's output changes, so cached files are made again. */
const GENERATOR_VERSION = 2;

/** The targets of the issue: a scenario's time as a multiple of the baseline's; memory; reads. */
const TARGETS = { S1: 2, S2: 3, S3: 1.5, S4: 1 };
const MAX_RSS_MB = 400;
const MAX_READ_MS = 50;
const STEPS = /** @type {const} */ (['S1', 'S2', 'edit', 'S3', 'S4', 'overview']);
const WHAT = {
  baseline: 'papaparse → one prepared INSERT per row, one transaction',
  baseline_pg: 'papaparse → COPY … FROM STDIN',
  S1: 'first import into an empty integration',
  S2: 'partner-all for every new item',
  edit: 'local edits of 0.1 % of records (set-up)',
  S3: 're-import: 1 % changed, 0.1 % removed, 0.1 % added',
  S4: 're-import of an unchanged file',
};

const HELP = `Usage: npm run bench [-- options]      (builds dist/ first)
       node bench/run.mjs [options]       (uses dist/ as it is)

Generates N-row employee files (F0; F1 = F0 with 1 % changed, 0.1 % removed, 0.1 % added), then per
database: the baseline (stream-parse F0 and store every row: SQLite one prepared INSERT in one
transaction, PostgreSQL COPY), and Abgleich on the same data:
  S1  first import of F0 into an empty integration        target ≤ 2 × baseline
  S2  partner-all for all new items                       target ≤ 3 × baseline
      (set-up, not timed: local edits of 0.1 % of the records)
  S3  import of F1 against the linked records             target ≤ 1.5 × baseline
  S4  import of F1 again (nothing changed)                target ≤ 1 × baseline
  peak RSS of every step < ${MAX_RSS_MB} MB; overview counts and the first page of 50 items < ${MAX_READ_MS} ms
  (median of 20). Every step runs in a process of its own. Besides the wall time, each step's CPU
  time (user + system, all threads) is shown against the baseline's: on a shared virtual machine
  (steal time) it varies less than the wall time.

Options:
  --rows N          rows of F0 (default 1000000)
  --only DB         sqlite or postgres (default: both)
  --lang en|de      headers of the files: English with "," (default) or German with ";"
  --dir DIR         where files and the SQLite database go (default ${join(tmpdir(), 'abgleich-bench')});
                    generated files are kept there and reused by later runs with the same --rows
  --via snapshot    imports read the file with the bench's own papaparse reader and call runSnapshot
                    (the engine without src/formats' file reader); default: importFile, as the CLI
  --cpu-prof        write a V8 CPU profile of every step into DIR/profiles (see profile-summary.mjs)
  --json FILE       also write all results as JSON to FILE
  -h, --help        this text

Environment:
  ${URL_VAR}  PostgreSQL server to use (its user must be allowed to CREATE DATABASE);
                               without it a throw-away cluster is started (scripts/lib/postgres.mjs)
Exit code: 0 whether targets are met or not; 1 when a step crashed.
`;

const log = (line) => process.stdout.write(`${line}\n`);

/** Runs `node script args` and returns its last JSON line; stderr is shown as it comes. */
function runNode(script, args, nodeFlags = []) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, join(BENCH, script), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code, signal) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code === 0) return resolve(JSON.parse(last));
      } catch {
        // fall through: a crash
      }
      resolve({
        error: `${script} ${args[1] ?? ''} exited with ${signal ?? code}`,
        output: out.slice(-2000),
      });
    });
  });
}

/** F0 and F1 for `rows`, made once and kept in `dir`. */
async function ensureFiles(dir, rows, lang) {
  const f0 = join(dir, `employees-${rows}-${lang}-f0.csv`);
  const f1 = join(dir, `employees-${rows}-${lang}-f1.csv`);
  const stamp = join(dir, `employees-${rows}-${lang}.json`);
  const wanted = { version: GENERATOR_VERSION, rows, lang };
  const known = existsSync(stamp) ? JSON.parse(readFileSync(stamp, 'utf8')) : undefined;
  if (known?.version === wanted.version && existsSync(f0) && existsSync(f1)) {
    log(`files: reusing ${f0} and ${f1}`);
    return { f0, f1, changes: known.changes };
  }
  log(`files: generating ${rows} rows into ${f0} …`);
  // Every row active, so that all of them are `new` after S1 and linked after S2 (the issue's 1,000,000).
  await generateFile({ rows, out: f0, lang, inactive: 0 });
  const changes = await deriveChanged({ from: f0, out: f1 });
  writeFileSync(stamp, JSON.stringify({ ...wanted, changes }));
  return { f0, f1, changes };
}

/** A fresh database on the server at `url`, and a way to drop it. */
async function freshPostgres(url) {
  const name = `abgleich_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name}`);
      await c.end();
    },
  };
}

/** Baseline and steps on one database; returns the results by step. */
async function runDatabase(db, { files, rows, dir, pgUrl, profDir, via }) {
  const results = {};
  // Every step runs with the heap cap the product runs with (./abgleich, npm start, the package bin).
  const nodeFlags = (step) => [
    '--max-old-space-size=512',
    ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', join(profDir, `${db}-${step}`)] : []),
  ];
  const baseArgs =
    db === 'sqlite'
      ? ['--db', 'sqlite', '--file', files.f0, '--sqlite', join(dir, 'baseline.db')]
      : ['--db', 'postgres', '--file', files.f0, '--url', pgUrl];
  log(`${db}: baseline …`);
  results.baseline = await runNode('baseline.mjs', baseArgs, nodeFlags('baseline'));
  if (db === 'sqlite')
    for (const s of ['', '-wal', '-shm']) rmSync(join(dir, `baseline.db${s}`), { force: true });

  const store = db === 'sqlite' ? { path: join(dir, 'abgleich.db') } : await freshPostgres(pgUrl);
  if (store.path) for (const s of ['', '-wal', '-shm']) rmSync(store.path + s, { force: true });
  const where = store.path ? ['--sqlite', store.path] : ['--url', store.url];
  try {
    for (const step of STEPS) {
      const file = step === 'S1' ? files.f0 : files.f1;
      log(`${db}: ${step} …`);
      const args = ['--step', step, ...where, '--file', file, '--rows', String(rows), '--via', via];
      const result = await runNode('scenario.mjs', args, nodeFlags(step));
      results[step] = result;
      if (result.error) {
        log(`${db}: ${step} crashed; the steps after it are skipped`);
        break;
      }
    }
  } finally {
    if (store.drop) await store.drop().catch((e) => log(`could not drop the database: ${e.message}`));
    if (store.path) for (const s of ['', '-wal', '-shm']) rmSync(store.path + s, { force: true });
  }
  return results;
}

const mark = (ok) => (ok ? '✓' : '✗');
const fmtMs = (ms) => (ms === undefined || ms === null ? '—' : ms.toLocaleString('en-US'));

/** The table of one database's figures. */
function report(db, results) {
  const base = results.baseline;
  const lines = [];
  const head = ['step', 'what', 'ms', '× base', 'target', 'CPU ms', 'CPU × base', 'peak RSS MB', ''];
  const rows = [];
  if (base?.error) rows.push(['baseline', base.error, '', '', '', '', '', '', '✗ crashed']);
  else if (base) {
    const what = db === 'sqlite' ? WHAT.baseline : WHAT.baseline_pg;
    rows.push([
      'baseline',
      what,
      fmtMs(base.ms),
      '1.00',
      '',
      fmtMs(base.cpuMs),
      '1.00',
      String(base.maxRssMb),
      '',
    ]);
  }
  for (const step of ['S1', 'S2', 'edit', 'S3', 'S4']) {
    const r = results[step];
    if (!r) continue;
    if (r.error) {
      rows.push([step, WHAT[step], '', '', '', '', '', '', '✗ crashed']);
      continue;
    }
    const ratio = base?.ms ? r.ms / base.ms : undefined;
    const cpuRatio = base?.cpuMs && r.cpuMs !== undefined ? r.cpuMs / base.cpuMs : undefined;
    const target = TARGETS[step];
    const rssOk = r.maxRssMb < MAX_RSS_MB;
    const timeOk = target === undefined || (ratio !== undefined && ratio <= target);
    const verdict = target === undefined ? `${mark(rssOk)} (rss)` : `${mark(timeOk)} time ${mark(rssOk)} rss`;
    rows.push([
      step,
      WHAT[step],
      fmtMs(r.ms),
      ratio === undefined ? '—' : ratio.toFixed(2),
      target === undefined ? '' : `≤ ${target.toFixed(1)}`,
      fmtMs(r.cpuMs),
      cpuRatio === undefined ? '—' : cpuRatio.toFixed(2),
      String(r.maxRssMb),
      verdict,
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r) =>
    r.map((c, i) => ([2, 3, 5, 6, 7].includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  lines.push(`\n━━━ ${db} ━━━`);
  lines.push(fmt(head));
  lines.push(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) lines.push(fmt(r));
  const o = results.overview;
  if (o?.error) lines.push(`overview: ✗ crashed`);
  else if (o) {
    const items = Object.values(o.counts ?? {}).reduce((a, b) => a + b, 0);
    lines.push(
      `overview at ${items.toLocaleString('en-US')} items (median of 20, first call in brackets), target < ${MAX_READ_MS} ms:`,
      `  counts per category        ${String(o.countsMs).padStart(8)} ms  (${o.countsFirstMs} ms)  ${mark(o.countsMs < MAX_READ_MS)}`,
      `  first page of 50 'synced'  ${String(o.pageMs).padStart(8)} ms  (${o.pageFirstMs} ms)  ${mark(o.pageMs < MAX_READ_MS)}   peak RSS ${o.maxRssMb} MB ${mark(o.maxRssMb < MAX_RSS_MB)}`,
    );
  }
  for (const step of ['S1', 'S3', 'S4']) {
    const r = results[step];
    if (r?.changes)
      lines.push(`${step} via ${r.via}: rows ${JSON.stringify(r.rows)} changes ${JSON.stringify(r.changes)}`);
  }
  if (results.S2?.created !== undefined) {
    lines.push(
      `S2: created ${results.S2.created}, exported ${results.S2.exported}, skipped ${results.S2.skipped}`,
    );
  }
  if (results.edit?.edited !== undefined) lines.push(`edit: ${results.edit.edited} records edited locally`);
  if (results.overview?.counts) lines.push(`counts after S4: ${JSON.stringify(results.overview.counts)}`);
  return lines.join('\n');
}

async function startPostgres() {
  const fromEnv = process.env[URL_VAR];
  if (fromEnv) return { url: fromEnv, stop: () => {} };
  const say = (line) => log(`[postgres] ${line}`);
  await postgres.ensure(say);
  const env = await postgres.start(say);
  const stop = () => postgres.stop(say);
  process.on('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  }
  return { url: String(Object.values(env)[0]), stop };
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.help || flags.h) {
    process.stdout.write(HELP);
    return 0;
  }
  const rows = Number(flags.rows ?? 1_000_000);
  const lang = flags.lang === 'de' ? 'de' : 'en';
  const only = flags.only ? String(flags.only) : undefined;
  if (!Number.isInteger(rows) || rows < 1000 || (only && only !== 'sqlite' && only !== 'postgres')) {
    process.stderr.write(`bad arguments\n\n${HELP}`);
    return 2;
  }
  if (!existsSync(join(ROOT, 'dist', 'sync', 'app.js'))) {
    process.stderr.write('dist/ is missing: run `npm run build` first (or `npm run bench`).\n');
    return 1;
  }
  const dir = String(flags.dir ?? join(tmpdir(), 'abgleich-bench'));
  mkdirSync(dir, { recursive: true });
  const profDir = flags['cpu-prof'] ? join(dir, 'profiles') : undefined;
  const via = flags.via === 'snapshot' ? 'snapshot' : 'importFile';
  const started = Date.now();
  log(
    `Abgleich benchmark: ${rows.toLocaleString('en-US')} rows, imports via ${via}, Node ${process.version}, ${new Date().toISOString()}`,
  );
  const files = await ensureFiles(dir, rows, lang);
  log(`F1: ${JSON.stringify(files.changes)}`);

  const all = {};
  let crashed = false;
  for (const db of only ? [only] : ['sqlite', 'postgres']) {
    let server;
    try {
      server = db === 'postgres' ? await startPostgres() : undefined;
      all[db] = await runDatabase(db, { files, rows, dir, pgUrl: server?.url, profDir, via });
    } catch (error) {
      all[db] = { baseline: { error: error instanceof Error ? error.message : String(error) } };
    } finally {
      server?.stop();
    }
    crashed ||= Object.values(all[db]).some((r) => r?.error);
    log(report(db, all[db]));
  }
  log(
    `\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s${profDir ? `; CPU profiles in ${profDir}` : ''}`,
  );
  if (flags.json)
    writeFileSync(String(flags.json), JSON.stringify({ rows, lang, files, results: all }, null, 2));
  return crashed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`bench/run.mjs: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);

#!/usr/bin/env node
/**
 * Load check of the HTTP API (issue 3): the overview and list endpoints of an integration with N
 * items, p50/p95 latency for C concurrent clients on loopback. Not a timed test: it prints figures.
 *
 *   npm run build && node bench/load.mjs --rows 1000000 [--clients 50] [--requests 1000] [--dir DIR]
 *
 * It generates an employee file (bench/generate.mjs, kept and reused), imports it into a SQLite
 * database (kept and reused for the same --rows), adds a user and an API token, starts `abgleich
 * serve` on a free port and measures each scenario with C clients sending R requests in all.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';

/* global fetch */

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/cli/main.js');

const HELP = `Usage: node bench/load.mjs [options]      (needs dist/: npm run build)

  --rows N        items in the integration (default 1000000)
  --clients C     concurrent clients (default 50)
  --requests R    requests per scenario, shared by the clients (default 1000)
  --dir DIR       where the file and the database go (default ${join(tmpdir(), 'abgleich-load')})
  -h, --help      this text`;

function flags(argv) {
  const out = { rows: 1_000_000, clients: 50, requests: 1000, dir: join(tmpdir(), 'abgleich-load') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      console.log(HELP);
      process.exit(0);
    }
    const v = argv[++i];
    if (a === '--rows') out.rows = Number(v);
    else if (a === '--clients') out.clients = Number(v);
    else if (a === '--requests') out.requests = Number(v);
    else if (a === '--dir') out.dir = v;
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  return out;
}

const cli = (db, args, env = {}) =>
  run(process.execPath, ['--max-old-space-size=512', MAIN, '--db', db, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 1 << 26,
  });

async function prepare(opts) {
  mkdirSync(opts.dir, { recursive: true });
  const file = join(opts.dir, `load-${opts.rows}.csv`);
  const db = join(opts.dir, `load-${opts.rows}.sqlite`);
  if (!existsSync(file)) {
    console.log(`generating ${opts.rows} rows → ${file}`);
    await run(process.execPath, [
      join(ROOT, 'bench/generate.mjs'),
      '--rows',
      String(opts.rows),
      '--out',
      file,
      '--inactive',
      '0.05',
    ]);
  }
  if (!existsSync(db)) {
    console.log(`importing into ${db}`);
    const t0 = performance.now();
    await cli(db, ['integration', 'add', 'lohn', '--entity', 'employee']);
    await cli(db, ['import', 'lohn', file]);
    console.log(`  import: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await cli(db, ['user', 'add', 'bench', '--role', 'supervisor', '--password-env', 'BENCH_PASSWORD'], {
      BENCH_PASSWORD: 'bench-password-1',
    });
  }
  const { stdout } = await cli(db, ['token', 'create', 'bench', '--name', 'load', '--json']);
  return { db, token: JSON.parse(stdout).token };
}

function startServer(db) {
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=512', MAIN, '--db', db, 'serve', '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /running at (http:\/\/[^/\s]+)/.exec(out);
      if (m) resolve({ child, base: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** C clients share R requests; `next(i)` gives the i-th request's path (may await the previous answer). */
async function scenario(name, opts, base, token, next) {
  const times = [];
  let issued = 0;
  let failed = 0;
  const t0 = performance.now();
  const client = async (c) => {
    const state = {};
    while (issued < opts.requests) {
      issued++;
      const path = next(state, c);
      const s = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.json();
      times.push(performance.now() - s);
      if (!res.ok) failed++;
      state.last = body;
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, c) => client(c)));
  const wall = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  return {
    name,
    n: times.length,
    failed,
    p50: pct(times, 50),
    p95: pct(times, 95),
    max: times[times.length - 1],
    rps: times.length / wall,
  };
}

async function main() {
  const opts = flags(process.argv.slice(2));
  if (!existsSync(MAIN)) throw new Error('dist/ is missing: run npm run build first');
  const { db, token } = await prepare(opts);
  const { child, base } = await startServer(db);
  const items = '/api/integrations/lohn/items';
  try {
    const results = [];
    const counts = await (
      await fetch(`${base}/api/integrations/lohn/overview`, { headers: { authorization: `Bearer ${token}` } })
    ).json();
    console.log(`overview: ${JSON.stringify(counts.counts)}`);
    results.push(
      await scenario('overview (counts)', opts, base, token, () => '/api/integrations/lohn/overview'),
    );
    results.push(
      await scenario(
        'items: first page of "new", by number',
        opts,
        base,
        token,
        () => `${items}?category=new&limit=50`,
      ),
    );
    results.push(
      await scenario(
        'items: first page of "new", by name desc',
        opts,
        base,
        token,
        () => `${items}?category=new&sort=name&order=desc&limit=50`,
      ),
    );
    // Each client pages forward with the cursor from its last answer: deeper and deeper pages.
    results.push(
      await scenario('items: next pages by cursor', opts, base, token, (state) =>
        state.last?.nextCursor
          ? `${items}?category=new&limit=50&cursor=${state.last.nextCursor}`
          : `${items}?category=new&limit=50`,
      ),
    );
    results.push(
      await scenario(
        'items: page at offset 10,000',
        opts,
        base,
        token,
        () => `${items}?category=new&limit=50&offset=10000`,
      ),
    );
    results.push(
      await scenario(
        'items: inactive category',
        opts,
        base,
        token,
        () => `${items}?category=inactive&limit=50`,
      ),
    );
    results.push(
      await scenario(
        'items: search "müller" (substring scan)',
        { ...opts, requests: Math.min(opts.requests, 100) },
        base,
        token,
        () => `${items}?category=new&search=m%C3%BCller&limit=50`,
      ),
    );
    console.log(`\n${opts.rows.toLocaleString('en')} items, ${opts.clients} clients, loopback, SQLite\n`);
    console.log(
      'scenario                                   requests  failed   p50 ms   p95 ms   max ms    req/s',
    );
    for (const r of results)
      console.log(
        `${r.name.padEnd(42)} ${String(r.n).padStart(8)} ${String(r.failed).padStart(7)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.max.toFixed(0).padStart(8)} ${r.rps.toFixed(0).padStart(8)}`,
      );
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

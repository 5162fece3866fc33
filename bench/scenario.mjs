#!/usr/bin/env node
/**
 * One step of the benchmark, in a process of its own (so `maxRSS` is that step's peak), against the
 * compiled code in dist/ the way the CLI uses it (src/cli/context.ts). Steps build on one store:
 *
 *   S1        add the integration, then (timed) import F0 into it              empty store
 *   S2        (timed) "create all partners" for every `new` item               after S1
 *   edit      local edits of 0.1 % of the records (not timed: set-up for S3)   after S2
 *   S3        (timed) import F1 (1 % changed, 0.1 % removed, 0.1 % added)      after edit
 *   S4        (timed) import F1 again: nothing changed                          after S3
 *   overview  counts per category and the first page of 50 `synced` items, 20 times each (medians)
 *
 *   node bench/scenario.mjs --step S1 --file F0 (--sqlite PATH | --url POSTGRES_URL)
 *
 * Prints one JSON line: { scenario, ms, maxRssMb, … what the use case reported }.
 */
import { existsSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { cpuMsSince } from './baseline.mjs';
import { numberOf, parseFlags } from './generate.mjs';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const INTEGRATION = 'payroll';
const WORKSPACE = 'bench';
/** Fixed, so that every run classifies the same dates the same way. */
const NOW = new Date('2026-11-27T12:00:00Z');
export const IMPORT_FILE_MODULE = `${DIST}sync/import-file.js`;

const load = (path) => import(pathToFileURL(`${DIST}${path}`).href);
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function openApp(flags) {
  const { openDb } = await load('store/database.js');
  const { App } = await load('sync/app.js');
  const target = flags.url ? { postgresUrl: String(flags.url) } : { sqlitePath: String(flags.sqlite) };
  const db = await openDb(target);
  const app = new App({ db, workspace: WORKSPACE, actor: 'bench', clock: () => NOW });
  await app.ensureWorkspace();
  return app;
}

/** Times `fn` alone; set-up before it and reporting after it are not counted. */
async function timed(fn) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = await fn();
  return { ms: Math.round(performance.now() - started), cpuMs: cpuMsSince(cpuStarted), result };
}

/**
 * The import as the CLI runs it: `importFile` (dist/sync/import-file.js). With `--via snapshot` (or
 * while import-file.js does not exist) the bench reads the file itself — papaparse in `chunk` mode, the
 * same dist/formats header and RowChecker — and hands the snapshot to `runSnapshot`: the engine's cost
 * without the file reader's.
 */
async function importAny(app, file, via) {
  if (via !== 'snapshot' && existsSync(IMPORT_FILE_MODULE)) {
    const { importFile } = await import(pathToFileURL(IMPORT_FILE_MODULE).href);
    return { via: 'importFile', report: await importFile(app, INTEGRATION, file, {}) };
  }
  const { runSnapshot } = await load('sync/run.js');
  const snapshot = await csvSnapshot(file);
  return { via: 'runSnapshot', report: await runSnapshot(app, INTEGRATION, snapshot, { source: file }) };
}

async function csvSnapshot(file) {
  const { resolveHeader } = await load('formats/columns.js');
  const { standardFileType } = await load('formats/file-type.js');
  const { RowChecker } = await load('formats/rows.js');
  const rows = stream(file);
  const first = await rows.next();
  const header = resolveHeader(file, 1, first.value ?? [], standardFileType('employee'));
  const checker = new RowChecker('employee', header, {
    numbers: { ignoreLeadingZeros: true },
    strictCellCount: true,
  });
  return {
    fields: header.fields,
    uniqueNumbers: true, // the RowChecker refuses a number on two rows, as in a file import
    warnings: header.warnings.map((w) => ({
      code: w.code,
      row: 1,
      column: w.column,
      value: '',
      message: w.message,
    })),
    async *rows() {
      let row = 1;
      for await (const cells of rows) yield checker.check({ row: ++row, cells });
    },
  };
}

/**
 * The records of a CSV file as arrays of cells, streamed with papaparse's `chunk` callback: the parser
 * pauses after each chunk until its rows are taken. (Iterating `Papa.NODE_STREAM_INPUT` instead pauses
 * every 16 rows, and each resume re-splits the rest of the chunk: quadratic in the chunk size.)
 */
async function* stream(file) {
  let wake = () => {};
  const state = { rows: /** @type {string[][]} */ ([]), parser: undefined, done: false, error: undefined };
  Papa.parse(createReadStream(file), {
    skipEmptyLines: true,
    chunk(results, parser) {
      state.rows = results.data;
      state.parser = parser;
      parser.pause();
      wake();
    },
    complete() {
      state.done = true;
      wake();
    },
    error(error) {
      state.error = error;
      wake();
    },
  });
  for (;;) {
    if (state.rows.length === 0 && !state.done && !state.error) await new Promise((r) => (wake = r));
    if (state.error) throw state.error;
    const batch = state.rows;
    state.rows = [];
    yield* batch;
    if (state.done) return;
    state.parser?.resume();
  }
}

const summaryOf = (report) => ({ rows: report.rows, changes: report.changes, counts: report.counts });

const STEPS = {
  async S1(app, flags) {
    const { addIntegration } = await load('sync/integrations.js');
    await app.unit('integration-add', null, (unit) =>
      addIntegration(unit.db, app.workspace, unit.now, {
        name: INTEGRATION,
        entity: 'employee',
        source: 'file',
      }),
    );
    const { ms, cpuMs, result } = await timed(() => importAny(app, String(flags.file), flags.via));
    return { ms, cpuMs, via: result.via, ...summaryOf(result.report) };
  },

  async S2(app) {
    const { createAllPartners } = await load('sync/partner-all.js');
    const { ms, cpuMs, result } = await timed(() => createAllPartners(app, INTEGRATION, {}));
    return { ms, cpuMs, created: result.created, exported: result.exported, skipped: result.skipped.length };
  },

  /** 0.1 % of the records edited locally (city or e-mail), spread over the file; some meet F1's changes. */
  async edit(app, flags) {
    const { getRecord, editRecord } = await load('sync/registry.js');
    const rows = Number(flags.rows);
    const every = 1000;
    const { ms, cpuMs, result } = await timed(() =>
      app.unit('bench-edit', null, async (unit) => {
        let edited = 0;
        for (let i = every / 2; i <= rows; i += every) {
          const record = await getRecord(unit.db, unit.workspace, 'employee', numberOf(i));
          const patch = edited % 2 === 0 ? { city: 'Lokal geändert' } : { email: `lokal.${i}@example.org` };
          await editRecord(unit, record, patch);
          edited++;
        }
        return edited;
      }),
    );
    return { ms, cpuMs, edited: result };
  },

  async S3(app, flags) {
    const { ms, cpuMs, result } = await timed(() => importAny(app, String(flags.file), flags.via));
    return { ms, cpuMs, via: result.via, ...summaryOf(result.report) };
  },

  async S4(app, flags) {
    return STEPS.S3(app, flags);
  },

  async overview(app) {
    const { getIntegration } = await load('sync/integrations.js');
    const { countItems, listItems } = await load('sync/overview.js');
    const integration = await getIntegration(app.db.kysely, app.workspace, INTEGRATION);
    const repeat = async (fn) => {
      const times = [];
      let last;
      for (let i = 0; i < 20; i++) {
        const started = performance.now();
        last = await fn();
        times.push(performance.now() - started);
      }
      return { median: median(times), first: round(times[0] ?? 0), last };
    };
    const counts = await repeat(() => countItems(app.db.kysely, integration));
    const page = await repeat(() => listItems(app.db.kysely, integration, { category: 'synced', limit: 50 }));
    return {
      ms: null,
      countsMs: counts.median,
      countsFirstMs: counts.first,
      pageMs: page.median,
      pageFirstMs: page.first,
      counts: counts.last,
      page: { items: page.last.items.length, total: page.last.total },
    };
  },
};

const round = (n) => Math.round(n * 10) / 10;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return round(s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2);
};

const HELP = `Usage: node bench/scenario.mjs --step S1|S2|edit|S3|S4|overview (--sqlite PATH | --url POSTGRES_URL)
                                [--file CSV] [--rows N]
Runs one step against dist/ (build first) and prints one JSON line { scenario, ms, maxRssMb, … }.
S1, S3 and S4 need --file; edit needs --rows (the number of rows of the first file).
`;

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const step = STEPS[String(flags.step)];
  if (flags.help || !step || (!flags.sqlite && !flags.url)) {
    process.stdout.write(HELP);
    return flags.help ? 0 : 2;
  }
  const app = await openApp(flags);
  try {
    const result = await step(app, flags);
    process.stdout.write(`${JSON.stringify({ scenario: flags.step, ...result, maxRssMb: maxRssMb() })}\n`);
  } finally {
    await app.close();
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`bench/scenario.mjs: ${error instanceof Error ? error.stack : error}\n`);
      if (error && typeof error === 'object' && 'details' in error) {
        process.stderr.write(`${JSON.stringify(error.details).slice(0, 2000)}\n`);
      }
      process.exit(1);
    },
  );
}

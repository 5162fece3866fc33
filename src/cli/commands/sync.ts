/** `abgleich sync <integration>`: one complete round with a live ERP (SYNC.md §6, docs/tryton.md). */
import type { Command } from 'commander';
import { CATEGORIES } from '../../core/model.js';
import type { SyncReport } from '../../sync/live-sync.js';
import { lastRuns, syncIntegration, undelivered } from '../../sync/live-sync.js';
import { ERRORS } from '../../core/errors.js';
import { withApp } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

interface SyncFlags {
  dryRun?: boolean;
  confirmDeletes?: boolean;
  full?: boolean;
  json?: boolean;
}

function printReport(r: SyncReport): void {
  const n = (x: number) => x.toLocaleString('en');
  const run = r.pull.run;
  printLine(
    `${r.dryRun ? 'Dry run of a sync' : 'Synced'} "${r.integration}": ${n(r.pull.listed)} records listed in the ERP, ${n(r.pull.read)} read${r.pull.incremental ? ' (changed since the last sync)' : ''}.`,
  );
  const c = run.changes;
  printLine(
    `  pulled: new ${n(c.new)} · linked ${n(c.linked)} · updated ${n(c.updated)} · conflicts ${n(c.conflicts)} · deleted ${n(c.deleted)} · removed ${n(c.removed)} · local fields changed ${n(c.localFieldsChanged)}`,
  );
  for (const p of run.problems.slice(0, 20)) printLine(`  skipped: ${p.column}: "${p.value}" ${p.reason}`);
  const p = r.push;
  printLine(
    `  pushed: created ${n(p.created)} · updated ${n(p.updated)} · deleted ${n(p.deleted)} · deactivated ${n(p.deactivated)} · re-read after a change in the ERP ${n(p.reread)} · retrying ${n(p.retrying)} · failed ${n(p.failed)}`,
  );
  for (const e of p.errors.slice(0, 20)) printLine(`  item ${e.itemId} (${e.op}): ${e.error}`);
  printLine(`  overview: ${CATEGORIES.map((cat) => `${cat} ${n(r.counts[cat])}`).join(' · ')}`);
  if (r.pending > 0)
    printLine(
      `  ${n(r.pending)} ${r.pending === 1 ? 'write waits' : 'writes wait'} for the ERP; the next sync delivers ${r.pending === 1 ? 'it' : 'them'}.`,
    );
  if (r.dryRun) printLine('Nothing was written.');
}

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('one complete round with a live ERP: read it, reconcile, apply, deliver pending writes')
    .argument('<integration>')
    .option('--dry-run', 'show what the pull would change; write nothing (local or remote)')
    .option('--confirm-deletes', 'allow a round that marks many records deleted')
    .option('--full', 'read every record, not only those changed since the last sync')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: SyncFlags, cmd: Command) =>
      withApp(cmd, async (app) => {
        const report = await syncIntegration(app, name, {
          ...(opts.dryRun ? { dryRun: true } : {}),
          ...(opts.confirmDeletes ? { confirmDeletes: true } : {}),
          ...(opts.full ? { full: true } : {}),
        });
        if (opts.json) printJson(report);
        else printReport(report);
        // The rest of the round was applied; a script still learns that writes did not reach the ERP.
        const missed = undelivered(report.push);
        if (missed) {
          process.stderr.write(`abgleich: ${missed.message} [${missed.code}]\n`);
          process.exitCode = ERRORS[missed.code].exit;
        }
      }),
    );
  program
    .command('sync-status')
    .description('the last sync round of each live integration')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      withApp(cmd, async (app) => {
        const runs = await lastRuns(app);
        if (opts.json) return printJson({ runs });
        if (runs.length === 0) return printLine('No sync has run yet.');
        printTable(
          ['integration', 'finished', 'outcome', 'error'],
          runs.map((r) => [r.integration, r.finishedAt, r.outcome, r.error ?? '']),
        );
      }),
    );
}

/** `abgleich import <integration> <file>`: a file import run (SYNC.md §6). */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AbgleichError } from '../../core/errors.js';
import type { RowProblem } from '../../core/port.js';
import { CATEGORIES } from '../../core/model.js';
import { problemReportCsv } from '../../formats/problem-report.js';
import { importFile } from '../../sync/import-file.js';
import type { RunReport } from '../../sync/run-report.js';
import { interactive } from '../config.js';
import { withApp } from '../context.js';
import { assertWritable } from '../paths.js';
import { describeProblem, printJson, printLine, ProgressBar } from '../output.js';

interface ImportFlags {
  dryRun?: boolean;
  skipInvalid?: boolean;
  confirmDeletes?: boolean;
  sheet?: string;
  report?: string;
  json?: boolean;
}

/** The validation report as a CSV file: row, column, field, value, code, reason. */
function writeReport(path: string, problems: readonly RowProblem[]): void {
  writeFileSync(path, problemReportCsv(problems));
}

/** Where the problems not printed can be read: the report file holds the first `MAX_PROBLEMS`. */
function moreProblems(r: { problems: readonly unknown[]; problemCount: number }): string {
  return r.problemCount > r.problems.length
    ? `--report FILE writes the first ${r.problems.length.toLocaleString('en')}`
    : '--report FILE writes them all';
}

function printReport(r: RunReport): void {
  const n = (x: number) => x.toLocaleString('en');
  const rows = (x: number, kind = '') => `${n(x)} ${kind}${x === 1 ? 'row' : 'rows'}`;
  printLine(
    `${r.dryRun ? 'Dry run of' : 'Imported'} ${r.source} into "${r.integration}": ${rows(r.rows.read)} read, ${n(r.rows.unchanged)} unchanged${r.rows.invalid ? `, ${rows(r.rows.invalid, 'invalid ')} skipped` : ''}.`,
  );
  const c = r.changes;
  printLine(
    `  new ${n(c.new)} · linked ${n(c.linked)} · updated ${n(c.updated)} · conflicts ${n(c.conflicts)} · deleted ${n(c.deleted)} · removed ${n(c.removed)} · local fields changed ${n(c.localFieldsChanged)}`,
  );
  printLine(
    `  overview${r.dryRun ? ' would be' : ''}: ${CATEGORIES.map((cat) => `${cat} ${n(r.counts[cat])}`).join(' · ')}`,
  );
  if (r.dryRun) {
    for (const p of r.planned.slice(0, 20))
      printLine(
        `  planned: ${p.change} ${p.number}${p.fields?.length ? ` (${p.fields.join(', ')})` : ''}${p.merged?.length ? `; taken: ${p.merged.join(', ')}` : ''}`,
      );
    const total = c.new + c.linked + c.updated + c.deleted + c.removed;
    if (total > 20) {
      const listed =
        total > r.planned.length ? `--json lists the first ${n(r.planned.length)}` : 'see --json';
      printLine(`  … ${n(total - 20)} more planned changes (${listed})`);
    }
  }
  // --skip-invalid: say which rows stayed out and why, as a refused file would.
  for (const p of r.problems.slice(0, 20)) printLine(`  skipped: ${describeProblem({ ...p })}`);
  if (r.problemCount > 20) printLine(`  … ${n(r.problemCount - 20)} more problems (${moreProblems(r)})`);
  for (const w of r.warnings.slice(0, 20)) printLine(`  warning: ${w.message}`);
  if (r.warnings.length > 20) printLine(`  … ${n(r.warnings.length - 20)} more warnings (see --json)`);
  if (r.dryRun) {
    printLine('Nothing was written.');
    if (r.deleteGuard)
      printLine(
        `The import itself would stop: it marks ${n(r.deleteGuard.deleted)} of ${n(r.deleteGuard.links)} linked records deleted. If that is right, run it with --confirm-deletes.`,
      );
  }
  if (r.changeSet !== null) printLine(`Change ${r.changeSet}; undo with: abgleich undo ${r.changeSet}`);
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import a CSV or XLSX file: a complete snapshot of the remote side')
    .argument('<integration>')
    .argument('<file>', 'a .csv or .xlsx file (English, German or Danish headers)')
    .option('--dry-run', 'show what would change, write nothing')
    .option('--skip-invalid', 'import the valid rows even if some rows are invalid')
    .option('--confirm-deletes', 'allow a run that marks more than 20 % of the links deleted')
    .option('--sheet <name>', 'XLSX: the worksheet to read (default: the first)')
    .option(
      '--report <file>',
      'write the validation report (row, column, value, reason; the first 1,000 problems) as CSV',
    )
    .option('--json', 'print JSON')
    .action(async (name: string, file: string, opts: ImportFlags, cmd: Command) =>
      withApp(cmd, async (app) => {
        if (opts.report) assertWritable(opts.report, '--report');
        const bar = new ProgressBar('Importing', interactive() && !opts.json);
        try {
          const report = await importFile(app, name, file, {
            dryRun: opts.dryRun === true,
            skipInvalid: opts.skipInvalid === true,
            confirmDeletes: opts.confirmDeletes === true,
            onProgress: (rows, fraction) => bar.update(rows, fraction),
            ...(opts.sheet ? { sheet: opts.sheet } : {}),
          });
          bar.done();
          if (opts.report) writeReport(opts.report, report.problems);
          if (opts.json) printJson(report);
          else printReport(report);
        } catch (error) {
          bar.done();
          const problems =
            error instanceof AbgleichError
              ? (error.details as { problems?: RowProblem[] } | undefined)?.problems
              : undefined;
          if (opts.report && problems) writeReport(opts.report, problems);
          throw error;
        }
      }),
    );
}

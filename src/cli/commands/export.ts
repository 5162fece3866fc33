/**
 * `abgleich export <integration> <file>`: the records marked for the export file and the linked records
 * whose local values differ from the remote side's, as a file (what src/sync/export.ts writes).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { LANGUAGES } from '../../formats/headers.js';
import type { Language } from '../../formats/headers.js';
import { fail } from '../../core/errors.js';
import { assertWritable } from '../paths.js';
import { exportFile } from '../../sync/export.js';
import { userLanguage } from '../config.js';
import { withApp } from '../context.js';
import { printJson, printLine } from '../output.js';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .summary('write the export file: the records the remote side lacks, and corrections it should take')
    .description(
      'write the export file (.csv or .xlsx) with the local records that are not archived and either were ' +
        'marked for it by `partner`, `partner-all` or `restore` and are not linked yet or deleted on the remote side, ' +
        'or are linked, with sync enabled, and differ from the remote record in a compared field (as corrections, ' +
        'with the local values)',
    )
    .argument('<integration>')
    .argument('<file>', 'the file to write; .xlsx writes Excel, anything else CSV')
    .addOption(
      new Option('--lang <language>', 'the language of the headers (default: from $LANG)').choices(LANGUAGES),
    )
    .option('--all', 'every local record of the integration that is not archived, marked or not')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        file: string,
        opts: { lang?: Language; all?: boolean; json?: boolean },
        cmd: Command,
      ) =>
        withApp(cmd, async (app) => {
          assertWritable(file, 'export file');
          // Written as CSV unless it ends in .xlsx: a name that promises another format would mislead.
          const other = /\.(pdf|xls|xlsm|xlsb|ods|odt|docx?|json|xml|zip|html?)$/i.exec(file);
          if (other)
            fail(
              'usage',
              `export file: ${file} ends in ${other[0]}, but the export is CSV or XLSX: name it .csv or .xlsx.`,
              { option: 'file', value: file },
            );
          const report = await exportFile(app, name, file, {
            language: opts.lang ?? userLanguage(),
            all: opts.all === true,
          });
          if (opts.json) return printJson(report);
          printLine(
            `Wrote ${report.rows} record${report.rows === 1 ? '' : 's'} of "${report.integration}" to ${report.path}.`,
          );
        }),
    );
}

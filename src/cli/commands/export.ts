/** `abgleich export <integration> <file>`: what the remote side lacks or should correct, as a file. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { LANGUAGES } from '../../formats/headers.js';
import type { Language } from '../../formats/headers.js';
import { exportFile } from '../../sync/export.js';
import { userLanguage } from '../config.js';
import { withApp } from '../context.js';
import { printJson, printLine } from '../output.js';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'write the export file: records the remote side lacks and corrections it should take (.csv or .xlsx)',
    )
    .argument('<integration>')
    .argument('<file>', 'the file to write; .xlsx writes Excel, anything else CSV')
    .addOption(
      new Option('--lang <language>', 'the language of the headers (default: from $LANG)').choices(LANGUAGES),
    )
    .option('--all', 'every local record of the integration, not only what the remote side lacks')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        file: string,
        opts: { lang?: Language; all?: boolean; json?: boolean },
        cmd: Command,
      ) =>
        withApp(cmd, async (app) => {
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

#!/usr/bin/env -S node --max-old-space-size=512
/** `abgleich`: the command line. Each command lives in its own file under commands/. */
import { Command, CommanderError } from 'commander';
import { DEFAULT_DB } from './config.js';
import { printJson, reportError } from './output.js';
import { ERRORS } from '../core/errors.js';
import { registerRecordCommands } from './commands/records.js';
import { registerIntegrationCommands } from './commands/integration.js';
import { registerImportCommand } from './commands/import.js';
import { registerOverviewCommands } from './commands/overview.js';
import { registerActionCommands, registerCandidatesCommand } from './commands/actions.js';
import { registerExportCommand } from './commands/export.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerSyncCommand } from './commands/sync.js';
import { registerServeCommand } from './commands/serve.js';
import { registerUserCommands } from './commands/user.js';

export function buildProgram(): Command {
  const program = new Command('abgleich')
    .description('Employee and customer master data, kept in step with payroll and ERP files.')
    .option(
      '--db <path>',
      `SQLite database file (default ${DEFAULT_DB}, or $ABGLEICH_DB); made by the commands that add something`,
    )
    .option('--database-url <url>', 'PostgreSQL connection URL (or $ABGLEICH_DATABASE_URL)')
    .option('--workspace <id>', 'the company (workspace) to work in (default "default")')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerRecordCommands(program);
  registerIntegrationCommands(program);
  registerImportCommand(program);
  registerOverviewCommands(program);
  registerActionCommands(program);
  registerCandidatesCommand(program);
  registerExportCommand(program);
  registerAuditCommands(program);
  registerDemoCommand(program);
  registerSyncCommand(program);
  registerServeCommand(program);
  registerUserCommands(program);
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    // A command that did its work may still say something went partly wrong (`sync`: writes refused).
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      // Commander has printed the problem and the usage hint; a script asking for JSON gets it too.
      if (argv.includes('--json'))
        printJson({
          error: { code: 'usage', message: error.message.replace(/^error: /, ''), details: null },
        });
      return ERRORS.usage.exit;
    }
    return reportError(error, argv.includes('--json'));
  }
}

// `abgleich items … | head`: a reader that stops early is not an error (the work is done by then).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error, false);
  },
);

/** `abgleich serve`: the HTTP API and the web app from one process. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import { openDb } from '../../store/database.js';
import { App } from '../../sync/app.js';
import { startDailyReclassify } from '../../sync/employment.js';
import { listIntegrations } from '../../sync/integrations.js';
import { startScheduler } from '../../sync/scheduler.js';
import { countUsers } from '../../sync/users.js';
import type { GlobalFlags } from '../config.js';
import { loadConfig } from '../config.js';
import { withApp } from '../context.js';
import { wholeOption } from '../numbers.js';
import { printLine } from '../output.js';
import { buildDemo } from './demo.js';

interface ServeFlags {
  port: number;
  host: string;
  demo?: boolean;
  demoDir: string;
}

/** The demo data, once, into a workspace that has no integrations yet. */
async function demoIfEmpty(app: App, dir: string): Promise<boolean> {
  if ((await listIntegrations(app.db.kysely, app.workspace)).length > 0) return false;
  await buildDemo(app, dir);
  return true;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API and the web app; prints the URL')
    .addOption(wholeOption('--port <n>', 'the port to listen on', { max: 65535 }, 8080))
    .option('--host <address>', 'the address to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .option(
      '--demo',
      'load the demo data into the workspace on the first start (when it has no integrations)',
    )
    .option('--demo-dir <path>', 'where the demo files are written', './data/demo')
    .action(async (opts: ServeFlags, cmd: Command) => {
      const config = loadConfig(cmd.optsWithGlobals<GlobalFlags>());
      await withApp(
        cmd,
        async (app) => {
          const demoDir = resolve(opts.demoDir);
          if (opts.demo && (await demoIfEmpty(app, demoDir)))
            printLine(`Loaded the demo data into the workspace "${app.workspace}".`);
          // SQLite: a second connection for reads, so lists stay live while an import holds the writer.
          const readDb = 'sqlitePath' in config.store ? await openDb(config.store) : app.db;
          // Loaded here, not at the top: every other command starts faster without Fastify and its plugins.
          const { buildServer } = await import('../../server/build-app.js');
          const server = await buildServer({
            db: app.db,
            readDb,
            workspace: app.workspace,
            logger: false,
            loadDemo: (a) => demoIfEmpty(a, demoDir).then(() => undefined),
            ...(app.options.secrets ? { secrets: app.options.secrets } : {}),
          });
          let address: string;
          try {
            address = await server.listen({ port: opts.port, host: opts.host });
          } catch (error) {
            await server.close();
            if (readDb !== app.db) await readDb.close();
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'EADDRINUSE')
              fail('usage', `Port ${opts.port} on ${opts.host} is in use; choose another with --port.`);
            if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
              fail('usage', `--host ${opts.host} is not an address of this machine.`);
            throw error;
          }
          const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
          printLine(`Abgleich is running at ${url}/  (API reference: ${url}/api/docs; Ctrl+C stops it)`);
          printLine(`Data: ${app.db.location}, workspace "${app.workspace}".`);
          if ((await countUsers(app.db.kysely)) === 0)
            printLine(
              'No user yet: open the address to create the first administrator (or: abgleich user add).',
            );
          // Live integrations sync on their own intervals; ended employments move to inactive daily.
          const log = (line: string) => printLine(`${new Date().toISOString()} ${line}`);
          // The history names the server's own work as such, not the user who started it.
          const worker = new App({ ...app.options, actor: 'server' });
          const scheduler = startScheduler(worker, { log });
          const daily = startDailyReclassify(worker, log);
          await new Promise<void>((done) => {
            process.once('SIGINT', done);
            process.once('SIGTERM', done);
          });
          printLine('Stopping…');
          await server.close();
          await Promise.all([scheduler.stop(), daily.stop()]);
          if (readDb !== app.db) await readDb.close();
        },
        { mayCreate: true },
      );
    });
}

/** Opening the app for one command, and closing it whatever happens. */
import type { Command } from 'commander';
import { AbgleichError } from '../core/errors.js';
import { openDb } from '../store/database.js';
import { App } from '../sync/app.js';
import type { GlobalFlags } from './config.js';
import { loadConfig } from './config.js';
import { secretBox } from '../sync/secrets.js';

export async function withApp<T>(cmd: Command, fn: (app: App) => Promise<T>): Promise<T> {
  const config = loadConfig(cmd.optsWithGlobals<GlobalFlags>());
  let db;
  try {
    db = await openDb(config.store);
  } catch (error) {
    const where = 'sqlitePath' in config.store ? config.store.sqlitePath : 'the PostgreSQL database';
    throw new AbgleichError(
      'database_unavailable',
      `Cannot open ${where}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const fixed = config.now ? new Date(config.now) : undefined;
  const app = new App({
    db,
    workspace: config.workspace,
    actor: config.actor,
    clock: () => fixed ?? new Date(),
    secrets: () => secretBox(config.secretKey()),
  });
  try {
    await app.ensureWorkspace();
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** Opening the app for one command, and closing it whatever happens. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { AbgleichError, fail } from '../core/errors.js';
import { openDb } from '../store/database.js';
import { App } from '../sync/app.js';
import type { GlobalFlags } from './config.js';
import { loadConfig } from './config.js';
import { secretBox } from '../sync/secrets.js';

/**
 * `mayCreate`: the command adds something (an integration, a record, a user) or serves, so a SQLite file
 * that does not exist yet is made. Every other command refuses a missing file: a mistyped `--db` would
 * otherwise leave a new empty database behind and answer "no such integration" or an empty list.
 */
export async function withApp<T>(
  cmd: Command,
  fn: (app: App) => Promise<T>,
  options: { mayCreate?: boolean } = {},
): Promise<T> {
  const config = loadConfig(cmd.optsWithGlobals<GlobalFlags>());
  if ('sqlitePath' in config.store && !options.mayCreate) assertExists(config.store.sqlitePath);
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

function assertExists(path: string): void {
  if (path === ':memory:' || existsSync(path)) return;
  fail(
    'database_unavailable',
    `There is no database at ${path}. Check --db (or ABGLEICH_DB); a new database is made by the ` +
      'commands that add something: integration add, employee add, customer add, user add, demo, serve.',
    { path },
  );
}

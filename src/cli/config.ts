/**
 * Configuration, read once: command-line flags win over the environment, the environment over defaults.
 * The only file that reads `process.env`.
 */
import { resolve } from 'node:path';
import type { StoreTarget } from '../store/database.js';

export interface GlobalFlags {
  readonly db?: string;
  readonly databaseUrl?: string;
  readonly workspace?: string;
}

export interface Config {
  readonly store: StoreTarget;
  readonly workspace: string;
  readonly actor: string;
  /** Fixed clock for reproducible runs and tests (ISO timestamp), from ABGLEICH_NOW. */
  readonly now: string | undefined;
}

export const DEFAULT_DB = './data/abgleich.sqlite';

export function loadConfig(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): Config {
  const url = flags.databaseUrl ?? (flags.db ? undefined : env.ABGLEICH_DATABASE_URL);
  const store: StoreTarget = url
    ? { postgresUrl: url }
    : { sqlitePath: resolveDb(flags.db ?? env.ABGLEICH_DB ?? DEFAULT_DB) };
  return {
    store,
    workspace: flags.workspace ?? env.ABGLEICH_WORKSPACE ?? 'default',
    actor: `cli:${env.USER ?? env.USERNAME ?? 'admin'}`,
    now: env.ABGLEICH_NOW,
  };
}

const resolveDb = (path: string): string => (path === ':memory:' ? path : resolve(path));

/** Whether stderr is a terminal that can show a progress bar. */
export const interactive = (): boolean => process.stderr.isTTY === true && !process.env.CI;

/** The user's language for files and messages: ABGLEICH_LANG, else the locale (LANG), else English. */
export function userLanguage(env: NodeJS.ProcessEnv = process.env): 'en' | 'de' | 'da' {
  const tag = (env.ABGLEICH_LANG ?? env.LC_ALL ?? env.LANG ?? '').toLowerCase();
  if (tag.startsWith('de')) return 'de';
  if (tag.startsWith('da')) return 'da';
  return 'en';
}

/** One named environment variable (`--password-env VAR`), read here so that no other file reads the environment. */
export const envVar = (name: string, env: NodeJS.ProcessEnv = process.env): string | undefined => env[name];

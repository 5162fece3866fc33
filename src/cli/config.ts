/**
 * Configuration, read once: command-line flags win over the environment, the environment over defaults.
 * The only file that reads `process.env`.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fail } from '../core/errors.js';
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
  /** The key that encrypts stored credentials, read (or made) when first needed. */
  readonly secretKey: () => Buffer;
}

export const DEFAULT_DB = './data/abgleich.sqlite';

export function loadConfig(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value is a script's unset variable ("--database-url $URL"), not "use the default".
  if (flags.databaseUrl !== undefined && flags.databaseUrl.trim() === '')
    fail('usage', '--database-url is empty: give the PostgreSQL URL, or leave the option out for SQLite.');
  if (flags.db !== undefined && flags.db.trim() === '')
    fail('usage', '--db is empty: give the SQLite file, or leave the option out for ./data/abgleich.sqlite.');
  const url = flags.databaseUrl ?? (flags.db ? undefined : env.ABGLEICH_DATABASE_URL);
  const store: StoreTarget = url
    ? { postgresUrl: url }
    : { sqlitePath: resolveDb(flags.db ?? env.ABGLEICH_DB ?? DEFAULT_DB) };
  return {
    store,
    workspace: flags.workspace ?? env.ABGLEICH_WORKSPACE ?? 'default',
    actor: `cli:${env.USER ?? env.USERNAME ?? 'admin'}`,
    now: env.ABGLEICH_NOW,
    secretKey: () => loadSecretKey(env, 'sqlitePath' in store ? store.sqlitePath : undefined),
  };
}

/**
 * The credentials key: ABGLEICH_SECRET_KEY (64 hex digits or base64 of 32 bytes), else the key file
 * ABGLEICH_SECRET_KEY_FILE, else `secret.key` beside the SQLite database (`./data/secret.key` for
 * PostgreSQL), made with mode 0600 on first use. Back it up with the database: without it stored
 * passwords must be set again.
 */
export function loadSecretKey(env: NodeJS.ProcessEnv, sqlitePath: string | undefined): Buffer {
  const inline = env.ABGLEICH_SECRET_KEY;
  if (inline) return parseKey(inline, 'ABGLEICH_SECRET_KEY');
  const file = resolve(
    env.ABGLEICH_SECRET_KEY_FILE ??
      (sqlitePath && sqlitePath !== ':memory:'
        ? resolve(dirname(sqlitePath), 'secret.key')
        : './data/secret.key'),
  );
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  return parseKey(readFileSync(file, 'utf8').trim(), file);
}

function parseKey(text: string, where: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32)
    fail('secret_key_missing', `${where} is not a 32-byte key (64 hex digits or 44 base64 characters).`);
  return key;
}

/** A variable the user named on the command line (`--password-env VAR`); never echoed. */
export function readNamedVariable(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '')
    fail('usage', `The environment variable ${name} (named by --password-env) is not set or empty.`);
  return value;
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

/**
 * The databases every store test runs on: the same suite, once on SQLite and once on PostgreSQL.
 *
 * ```ts
 * describe.each(DATABASES)('registry on $name', (db) => {
 *   let database: TestDatabase;
 *   beforeEach(async () => (database = await db.connect()));
 *   afterEach(() => database.cleanup());
 *   …
 * });
 * ```
 *
 * Each `connect()` returns a database nobody else uses: a new file for SQLite, a new database on the
 * server of ABGLEICH_TEST_DATABASE_URL for PostgreSQL, so tests may run in parallel workers.
 * `npm test` starts a throw-away PostgreSQL server and sets that variable; without it the PostgreSQL
 * tests fail with a message saying so. They never skip.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type DatabaseName = 'sqlite' | 'postgres';

/** One database for one test (or suite), gone after `cleanup()`. */
export interface TestDatabase {
  /** A file path for SQLite, a `postgres://` URL for PostgreSQL: the forms the app accepts. */
  readonly url: string;
  /** Removes the database. Connections the test left open are closed by force (PostgreSQL). */
  cleanup(): Promise<void>;
}

export interface DatabaseTarget {
  readonly name: DatabaseName;
  connect(): Promise<TestDatabase>;
}

export const POSTGRES_URL_VAR = 'ABGLEICH_TEST_DATABASE_URL';
const DATABASE_PREFIX = 'abgleich_t_';

const sqlite: DatabaseTarget = {
  name: 'sqlite',
  async connect() {
    const dir = await mkdtemp(join(tmpdir(), 'abgleich-sqlite-'));
    // The whole directory goes, so the -wal and -shm files SQLite creates beside it go too.
    return { url: join(dir, 'abgleich.db'), cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
};

const postgres: DatabaseTarget = {
  name: 'postgres',
  async connect() {
    const serverUrl = getServerUrl();
    const name = `${DATABASE_PREFIX}${randomBytes(8).toString('hex')}`;
    await onServer(serverUrl, `CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      cleanup: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  },
};

export const DATABASES: readonly DatabaseTarget[] = [sqlite, postgres];

/** The server to create test databases on; throws (never skips) when there is none. */
export function getServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env[POSTGRES_URL_VAR];
  if (url) return url;
  throw new Error(
    env['CI']
      ? `${POSTGRES_URL_VAR} is not set in CI: the PostgreSQL tests cannot run. CI must run them through ` +
          '`npm test`, which starts a PostgreSQL server and sets it.'
      : `${POSTGRES_URL_VAR} is not set, so the PostgreSQL tests cannot run. Run them through \`npm test\` ` +
          '(e.g. `npm test -- --only=vitest src/store`), which starts a throw-away PostgreSQL server, or ' +
          'run `node scripts/test.mjs --serve` in another terminal and export the variable it prints.',
  );
}

/** Runs one statement on the server's own database (names here are generated, never user input). */
async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

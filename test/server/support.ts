/** A server on a test database with an admin, a supervisor and a small payroll integration in every category. */
import type { SecretBox } from '../../src/sync/secrets.js';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { InjectOptions } from 'fastify';
import { buildServer } from '../../src/server/build-app.js';
import { openDb } from '../../src/store/database.js';
import type { Db } from '../../src/store/database.js';
import { App } from '../../src/sync/app.js';
import { addIntegration } from '../../src/sync/integrations.js';
import { createRecord } from '../../src/sync/registry.js';
import { runSnapshot } from '../../src/sync/run.js';
import { addUser } from '../../src/sync/users.js';
import type { TestDatabase } from '../support/databases.js';
import { memorySnapshot } from '../support/app.js';

/** Cheap scrypt for tests (the parameters travel with each hash). */
export const TEST_COST = { n: 1024, r: 8, p: 1 };
export const WORKSPACE = 'test';
export const PASSWORD = 'correct horse battery';

export interface Caller {
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

export interface TestServer {
  readonly server: FastifyInstance;
  readonly db: Db;
  readonly app: App;
  /** Signed-in callers (session cookie + CSRF). */
  readonly admin: Caller;
  readonly supervisor: Caller;
  readonly anonymous: Caller;
  close(): Promise<void>;
}

export const clock = { now: new Date('2026-11-27T09:00:00Z') };

export async function startServer(
  database: TestDatabase,
  options: {
    loginAttempts?: number;
    seed?: boolean;
    secrets?: () => SecretBox;
    loadDemo?: (app: App) => Promise<void>;
    errorLog?: (text: string) => void;
    uploadLimit?: number;
  } = {},
): Promise<TestServer> {
  const db = await openDb(
    database.url.startsWith('postgres') ? { postgresUrl: database.url } : { sqlitePath: database.url },
  );
  const app = new App({ db, workspace: WORKSPACE, actor: 'test', clock: () => clock.now });
  await app.ensureWorkspace();
  if (options.seed !== false) await seed(app);
  // As `abgleich serve` does: SQLite reads go through a second connection.
  const readDb = database.url.startsWith('postgres') ? db : await openDb({ sqlitePath: database.url });
  const server = await buildServer({
    db,
    readDb,
    clock: () => clock.now,
    passwordCost: TEST_COST,
    workspace: WORKSPACE,
    webRoot: '/nonexistent-web-root',
    ...(options.loginAttempts ? { loginAttempts: options.loginAttempts } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.loadDemo ? { loadDemo: options.loadDemo } : {}),
    ...(options.errorLog ? { errorLog: options.errorLog } : {}),
    ...(options.uploadLimit ? { uploadLimit: options.uploadLimit } : {}),
  });
  const admin = options.seed !== false ? await signIn(server, 'admin') : anonymousOf(server);
  const supervisor = options.seed !== false ? await signIn(server, 'sup') : anonymousOf(server);
  return {
    server,
    db,
    app,
    admin,
    supervisor,
    anonymous: anonymousOf(server),
    close: async () => {
      await server.close();
      if (readDb !== db) await readDb.close();
      await db.close();
    },
  };
}

const anonymousOf = (server: FastifyInstance): Caller => ({ inject: (o) => server.inject(o) });

/** Sign in as `login`; the caller sends the cookie and the CSRF token on every request. */
export async function signIn(server: FastifyInstance, login: string): Promise<Caller> {
  const res = await server.inject({
    method: 'POST',
    url: '/api/login',
    payload: { login, password: PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`login ${login}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'abgleich_session')!;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return {
    inject: (o) =>
      server.inject({
        ...o,
        headers: { cookie: `${cookie.name}=${cookie.value}`, 'x-csrf-token': csrf, ...(o.headers ?? {}) },
      }),
  };
}

/**
 * Users admin and sup; integration "lohn" (employees) after one import:
 * 1001 synced, 1002 conflict (city; the name written "Braun, Ben" remotely), 1003 new (local only), 1004 new (remote only), 1005 inactive (remote),
 * 1006 inactive (local).
 */
export async function seed(app: App): Promise<void> {
  const now = clock.now.toISOString();
  await addUser(
    app.db.kysely,
    WORKSPACE,
    now,
    { login: 'admin', name: 'Ada Admin', role: 'admin', password: PASSWORD },
    TEST_COST,
  );
  await addUser(
    app.db.kysely,
    WORKSPACE,
    now,
    { login: 'sup', name: 'Sam Super', role: 'supervisor', password: PASSWORD },
    TEST_COST,
  );
  await app.unit('create', null, async (unit) => {
    await createRecord(unit, 'employee', {
      number: '1001',
      name: 'Anna Müller',
      city: 'Berlin',
      ssn: '123-45-6789',
    });
    await createRecord(unit, 'employee', { number: '1002', name: 'Ben Braun', city: 'Hamburg' });
    await createRecord(unit, 'employee', { number: '1003', name: 'Cem Çelik', city: 'Köln' });
    await createRecord(unit, 'employee', { number: '1006', name: 'Fritz Falk', active: 'no' });
    await createRecord(unit, 'customer', { number: 'K1', name: 'Bäckerei Sonnenschein' });
    await addIntegration(unit.db, WORKSPACE, unit.now, { name: 'lohn', entity: 'employee', source: 'file' });
  });
  await runSnapshot(app, 'lohn', memorySnapshot('employee', SEED_FIELDS, SEED_FILE));
}

/** The payroll file "lohn" is seeded with: a test that imports it again adds its own rows to these. */
export const SEED_FIELDS = ['number', 'name', 'city', 'active'] as const;
export const SEED_FILE = [
  { number: '1001', name: 'Anna Müller', city: 'Berlin', active: 'yes' },
  { number: '1002', name: 'Braun, Ben', city: 'Bremen', active: 'yes' },
  { number: '1004', name: 'Dora Dahl', city: 'Kiel', active: 'yes' },
  { number: '1005', name: 'Emil Ek', city: 'Ulm', active: 'no' },
];

/** The id of the item with this number in "lohn". */
export async function itemId(t: TestServer, number: string): Promise<number> {
  const res = await t.admin.inject({ method: 'GET', url: `/api/integrations/lohn/items?search=${number}` });
  const item = (res.json() as { items: { id: number; number: string }[] }).items.find(
    (i) => i.number === number,
  );
  if (!item) throw new Error(`no item ${number}: ${res.body}`);
  return item.id;
}

export async function countRows(
  db: Db,
  table: 'local_record' | 'audit' | 'change_set' | 'integration' | 'app_user',
): Promise<number> {
  const row = await db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Wait for a job to end by following its server-sent events; returns the events. */
export async function followJob(
  t: TestServer,
  caller: Caller,
  id: string,
): Promise<{ event: string; data: { state: string; result: unknown; error: unknown } }[]> {
  await t.server.ready();
  for (let i = 0; i < 200; i++) {
    const res = await caller.inject({ method: 'GET', url: `/api/jobs/${id}` });
    if ((res.json() as { job: { state: string } }).job.state !== 'running') break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const res = await caller.inject({ method: 'GET', url: `/api/jobs/${id}/events` });
  return res.body
    .split('\n\n')
    .filter((b) => b.startsWith('event:'))
    .map((b) => {
      const [ev, data] = b.split('\n');
      return { event: ev!.slice(7), data: JSON.parse(data!.slice(6)) };
    });
}

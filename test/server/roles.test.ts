/**
 * The role × endpoint matrix (SYNC.md §9), generated from the contracts: every endpoint of `ENDPOINTS`
 * is called signed out, as a supervisor and as an admin. A new endpoint is in the matrix by existing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src/api/index.js';
import { allows, ENDPOINTS } from '../../src/api/index.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import type { Caller, TestServer } from './support.js';
import { startServer } from './support.js';

/** A path with plausible parameters (the check runs before they are looked up). */
const urlOf = (e: Endpoint): string =>
  e.path.replace(/:([A-Za-z]+)/g, (_, k: string) =>
    k === 'name' ? 'lohn' : k === 'number' ? '1001' : k === 'login' ? 'nobody' : k === 'id' ? '999999' : 'x',
  );

/** SYNC.md §9 spelled out for the endpoints it names, so a contract cannot quietly loosen a role. */
const SUPERVISOR_MAY = [
  'overview.counts',
  'items.list',
  'items.show',
  'integrations.list',
  'integrations.show',
  'integrations.syncRuns',
  'customers.create',
  'customers.edit',
  'employees.edit',
  'employees.list',
  'customers.list',
];
const ADMIN_ONLY = [
  'imports.start',
  'uploads.create',
  'actions.resolve',
  'actions.partner',
  'actions.partnerAll',
  'actions.link',
  'actions.unlink',
  'actions.disable',
  'actions.enable',
  'actions.delete',
  'actions.restore',
  'actions.reactivate',
  'changes.undo',
  'integrations.create',
  'integrations.update',
  'integrations.remove',
  'integrations.sync',
  'employees.create',
  'users.create',
  'users.remove',
];

describe('the contracts say SYNC.md §9', () => {
  const byId = new Map(ENDPOINTS.map((e) => [e.id, e]));
  it.each(SUPERVISOR_MAY)('a supervisor may call %s', (id) => {
    expect(byId.get(id)?.access).toBe('supervisor');
  });
  it.each(ADMIN_ONLY)('only an admin may call %s', (id) => {
    expect(byId.get(id)?.access).toBe('admin');
  });
  it('every endpoint has a unique id and a unique method + path', () => {
    expect(new Set(ENDPOINTS.map((e) => e.id)).size).toBe(ENDPOINTS.length);
    expect(new Set(ENDPOINTS.map((e) => `${e.method} ${e.path}`)).size).toBe(ENDPOINTS.length);
  });
});

describe.each(DATABASES)('role × endpoint matrix on $name', (target) => {
  let database: TestDatabase;
  let t: TestServer;
  beforeAll(async () => {
    database = await target.connect();
    t = await startServer(database);
  });
  afterAll(async () => {
    await t?.close();
    await database?.cleanup();
  });

  const callers: [string, (t: TestServer) => Caller, 'admin' | 'supervisor' | null][] = [
    ['signed out', (x) => x.anonymous, null],
    ['supervisor', (x) => x.supervisor, 'supervisor'],
    ['admin', (x) => x.admin, 'admin'],
  ];
  // Signing out ends the caller's session, so it comes last.
  const ordered = [...ENDPOINTS].sort(
    (a, b) => Number(a.id === 'session.logout') - Number(b.id === 'session.logout'),
  );
  const cases = ordered.flatMap((e) => callers.map(([who, caller, role]) => ({ e, who, caller, role })));

  it.each(cases)('$e.method $e.path as $who', async ({ e, caller, role }) => {
    const res = await caller(t).inject({
      method: e.method,
      url: urlOf(e),
      ...(e.method !== 'GET' && e.method !== 'DELETE' && e.transport === 'json' ? { payload: {} } : {}),
    });
    const status = res.statusCode;
    if (allows(e.access, role)) {
      expect(status, res.body).not.toBe(401);
      expect(status, res.body).not.toBe(403);
      expect(status, res.body).toBeLessThan(500);
    } else {
      expect(status, res.body).toBe(role === null ? 401 : 403);
      expect(res.json()).toMatchObject({ error: { code: role === null ? 'unauthenticated' : 'forbidden' } });
    }
  });
});

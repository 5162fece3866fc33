/** CSRF, API tokens, login rate limiting, malformed requests: refused with the error shape, nothing changed. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import type { TestServer } from './support.js';
import { countRows, PASSWORD, startServer } from './support.js';

describe.each(DATABASES)('security on $name', (target) => {
  let database: TestDatabase;
  let t: TestServer;
  beforeEach(async () => {
    database = await target.connect();
    t = await startServer(database, { loginAttempts: 3 });
  });
  afterEach(async () => {
    await t?.close();
    await database?.cleanup();
  });

  async function login(loginName: string, password = PASSWORD) {
    return t.server.inject({ method: 'POST', url: '/api/login', payload: { login: loginName, password } });
  }

  it('the session cookie is httpOnly and SameSite=Lax', async () => {
    const res = await login('admin');
    const cookie = res.cookies.find((c) => c.name === 'abgleich_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(res.json()).toMatchObject({
      user: { login: 'admin', role: 'admin' },
      csrfToken: expect.any(String),
    });
  });

  it('a non-GET request with a session cookie but without the CSRF token is refused and changes nothing', async () => {
    const res = await login('admin');
    const cookie = res.cookies.find((c) => c.name === 'abgleich_session')!;
    const before = await countRows(t.db, 'local_record');
    for (const headers of [{}, { 'x-csrf-token': 'wrong' }]) {
      const refused = await t.server.inject({
        method: 'POST',
        url: '/api/customers',
        headers: { cookie: `${cookie.name}=${cookie.value}`, ...headers },
        payload: { values: { number: 'K77', name: 'Neu GmbH' } },
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ error: { code: 'csrf_failed' } });
    }
    expect(await countRows(t.db, 'local_record')).toBe(before);
    // GET needs no token.
    const read = await t.server.inject({
      method: 'GET',
      url: '/api/customers',
      headers: { cookie: `${cookie.name}=${cookie.value}` },
    });
    expect(read.statusCode).toBe(200);
  });

  it("an API token works without CSRF, acts with its user's role, and stops working when revoked", async () => {
    const created = await t.supervisor.inject({
      method: 'POST',
      url: '/api/tokens',
      payload: { name: 'script' },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json() as { token: string; id: number };
    const auth = { authorization: `Bearer ${token}` };
    const made = await t.server.inject({
      method: 'POST',
      url: '/api/customers',
      headers: auth,
      payload: { values: { number: 'K50', name: 'Skript AG' } },
    });
    expect(made.statusCode, made.body).toBe(201);
    const forbidden = await t.server.inject({
      method: 'POST',
      url: '/api/integrations',
      headers: auth,
      payload: { name: 'erp', entity: 'customer' },
    });
    expect(forbidden.statusCode).toBe(403);
    const listed = await t.supervisor.inject({ method: 'GET', url: '/api/tokens' });
    expect(listed.json()).toMatchObject({ tokens: [{ id, name: 'script', login: 'sup' }] });
    expect(listed.body).not.toContain(token);
    const stored = await t.db.kysely.selectFrom('api_token').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);
    await t.supervisor.inject({ method: 'DELETE', url: `/api/tokens/${id}` });
    const after = await t.server.inject({ method: 'GET', url: '/api/customers', headers: auth });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('passwords are stored as salted scrypt hashes', async () => {
    const rows = await t.db.kysely.selectFrom('app_user').select('password_hash').execute();
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^scrypt\$\d+\$8\$1\$/);
      expect(r.password_hash).not.toContain(PASSWORD);
    }
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
  });

  it('failed sign-ins are limited per login and address; successful ones do not count', async () => {
    // Three failures in the window are allowed (loginAttempts: 3); signing in often is not a failure.
    for (let i = 0; i < 5; i++) expect((await login('admin')).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) expect((await login('admin', 'wrong password')).statusCode).toBe(401);
    expect((await login('admin')).statusCode).toBe(200); // a success clears the failures
    for (let i = 0; i < 3; i++) expect((await login('admin', 'wrong password')).statusCode).toBe(401);
    const limited = await login('admin');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({
      error: { code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } },
    });
    expect(limited.json().error.message).toContain('15 min');
    // Another login from the same address is not held up.
    expect((await login('sup')).statusCode).toBe(200);
  });

  it('a wrong password and an unknown login get the same answer', async () => {
    const a = await login('admin', 'not the password');
    const b = await login('nobody', 'not the password');
    expect(a.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
  });

  it('signing out ends the session', async () => {
    const res = await t.admin.inject({ method: 'POST', url: '/api/logout' });
    expect(res.statusCode).toBe(204);
    const after = await t.admin.inject({ method: 'GET', url: '/api/session' });
    expect(after.json()).toMatchObject({ user: null });
    expect((await t.admin.inject({ method: 'GET', url: '/api/integrations' })).statusCode).toBe(401);
  });

  describe('malformed requests are 400 with one error per field and change nothing', () => {
    it('a record with invalid values', async () => {
      const before = await countRows(t.db, 'local_record');
      const audit = await countRows(t.db, 'audit');
      const res = await t.admin.inject({
        method: 'POST',
        url: '/api/employees',
        payload: {
          values: {
            number: '1009',
            name: 'X',
            email: 'not-an-email',
            employedSince: 'last spring',
            shoeSize: '44',
          },
        },
      });
      expect(res.statusCode).toBe(400);
      const body = res.json() as { error: { code: string; details: { path: string; message: string }[] } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.map((d) => d.path).sort()).toEqual([
        'values.email',
        'values.employedSince',
        'values.shoeSize',
      ]);
      for (const d of body.error.details) expect(d.message).toEqual(expect.any(String));
      expect(await countRows(t.db, 'local_record')).toBe(before);
      expect(await countRows(t.db, 'audit')).toBe(audit);
    });

    it('a body of the wrong shape', async () => {
      const before = await countRows(t.db, 'integration');
      const res = await t.admin.inject({
        method: 'POST',
        url: '/api/integrations',
        payload: { name: '', entity: 'robot', settings: { ignoreLeadingZeros: 'maybe' } },
      });
      expect(res.statusCode).toBe(400);
      const body = res.json() as { error: { code: string; details: { path: string }[] } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.map((d) => d.path).sort()).toEqual([
        'body.entity',
        'body.name',
        'body.settings.ignoreLeadingZeros',
      ]);
      // Each names its zod code and bound, for a client to word it: "too short (at least 1 character)".
      expect(body.error.details.find((d) => d.path === 'body.name')).toMatchObject({
        code: 'too_small',
        origin: 'string',
        minimum: 1,
      });
      expect(await countRows(t.db, 'integration')).toBe(before);
    });

    it('a body that is not JSON', async () => {
      const res = await t.admin.inject({
        method: 'POST',
        url: '/api/customers',
        headers: { 'content-type': 'application/json' },
        payload: '{"values": {',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: expect.stringMatching(/usage|validation_failed/) } });
    });

    it('a query of the wrong shape', async () => {
      const res = await t.admin.inject({
        method: 'GET',
        url: '/api/integrations/lohn/items?limit=abc&category=lost',
      });
      expect(res.statusCode).toBe(400);
      const paths = (res.json() as { error: { details: { path: string }[] } }).error.details.map(
        (d) => d.path,
      );
      expect(paths.sort()).toEqual(['querystring.category', 'querystring.limit']);
    });

    it('file type and rules with unknown fields', async () => {
      const res = await t.admin.inject({
        method: 'PATCH',
        url: '/api/integrations/lohn',
        payload: {
          rules: { city: 'prefer-remote', hat: 'ignore' },
          fileType: { name: 'DATEV', entity: 'employee', columns: { 'Pers.Nr': 'number', Hut: 'hat' } },
        },
      });
      expect(res.statusCode).toBe(400);
      const paths = (res.json() as { error: { details: { path: string }[] } }).error.details.map(
        (d) => d.path,
      );
      expect(paths).toContain('rules.hat');
      expect(paths.some((p) => p.startsWith('fileType'))).toBe(true);
      const show = await t.admin.inject({ method: 'GET', url: '/api/integrations/lohn' });
      expect(show.json()).toMatchObject({ integration: { settings: { rules: {}, fileType: null } } });
    });
  });

  it('an unknown API path is a JSON 404; a page path without a built web app says so', async () => {
    const api = await t.admin.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'not_found' } });
    const page = await t.anonymous.inject({ method: 'GET', url: '/overview/lohn' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('web app was not built');
  });
});

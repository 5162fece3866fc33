/**
 * Failures against a real trytond: the server killed in the middle of a push and restarted, a wrong
 * password, an answer that is not what the connector expects. Each gets its own Tryton database, so the
 * failed-login delays Tryton adds (per database and login) slow nothing else.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trytonConnector } from '../../src/connectors/tryton/tryton-connector.js';
import { App } from '../../src/sync/app.js';
import { createAllPartners } from '../../src/sync/partner-all.js';
import { getIntegration } from '../../src/sync/integrations.js';
import { lastRuns, syncIntegration } from '../../src/sync/live-sync.js';
import { countItems, listItems } from '../../src/sync/overview.js';
import { createRecord } from '../../src/sync/registry.js';
import { countsAgree } from '../support/app.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import type { TrytonDb } from './tryton.js';
import { appWithTryton, copyTemplate, trytonEnv } from './tryton.js';

/** A trytond of the test's own on the service's configuration, so that the test may kill it. */
class OwnTrytond {
  private pid = 0;
  readonly dir = mkdtempSync(join(tmpdir(), 'abgleich-own-trytond-'));
  constructor(readonly port: number) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(): Promise<void> {
    const pidFile = join(this.dir, 'pid');
    rmSync(pidFile, { force: true });
    const child = spawn('trytond', ['-c', trytonEnv().config, '--pidfile', pidFile], {
      env: { ...process.env, TRYTOND_WEB__LISTEN: `127.0.0.1:${this.port}` },
      stdio: ['ignore', openSync(join(this.dir, 'log'), 'a'), openSync(join(this.dir, 'log'), 'a')],
      detached: true,
    });
    child.unref();
    this.pid = child.pid ?? 0; // the script execs python in place: the server's own pid
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const res = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: 0, method: 'common.server.version', params: [] }),
        });
        await res.text();
        if (res.ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        this.kill();
        throw new Error(`trytond did not start: ${readFileSync(join(this.dir, 'log'), 'utf8')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.pid = Number(readFileSync(pidFile, 'utf8').trim());
  }

  /** SIGKILL, as a crash; also a server whose start was not awaited to the end (its pid file says who). */
  kill(): void {
    const pidFile = join(this.dir, 'pid');
    const pid = this.pid || (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0);
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
    this.pid = 0;
  }

  stop(): void {
    this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe.each(DATABASES)('Tryton failures, Abgleich on $name', (target) => {
  let db: TestDatabase;
  let tryton: TrytonDb;
  let app: App | undefined;

  beforeEach(async () => {
    db = await target.connect();
    tryton = copyTemplate();
  });
  afterEach(async () => {
    if (app) expect(await countsAgree(app)).toBe(true);
    await app?.close();
    app = undefined;
    await db.cleanup();
    tryton.drop();
  });

  it('a trytond killed in the middle of a push and restarted: both sides converge, nothing duplicated or lost', async () => {
    const server = new OwnTrytond(await freePort());
    await server.start();
    try {
      const live = await appWithTryton(db, { ...tryton, url: server.url });
      app = live;
      // Four create batches of at most 200: when the kill comes after the first has landed, more than one
      // request is still to go (with two batches, the second sometimes landed before the kill did).
      const N = 650;
      await live.unit('create', null, async (u) => {
        for (let i = 1; i <= N; i++)
          await createRecord(u, 'customer', { number: `P${i}`, name: `Kunde ${i}`, city: 'Berlin' });
      });
      await createAllPartners(live, 'erp', { side: 'local' });
      const integration = await getIntegration(live.db.kysely, live.workspace, 'erp');
      const settings = integration.settings.connection!;
      const connector = () =>
        trytonConnector(
          'customer',
          { url: server.url, database: settings.database, user: 'admin', password: trytonEnv().password },
          {},
          { integration: 'erp', retries: 1, backoffMs: 50, timeoutMs: 5000 },
        );
      tryton.admin.moveTo(server.url);
      const round = syncIntegration(live, 'erp', { connector: connector() });
      // Kill it once the first batch has landed and the second is on its way: batches go one after the
      // other, each recorded before the next is sent, so the first is recorded and three are still to go.
      // (Killed as soon as a few parties showed, the first batch's answer was at times what got lost.)
      for (;;) {
        const n = Object.keys(await tryton.admin.parties()).length;
        if (n > 200) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      server.kill();
      const first = await round;
      expect(first.push.retrying).toBe(1);
      expect(first.pending).toBeGreaterThan(0);
      expect(first.pending).toBeLessThan(N);
      // Not "ok": the round's writes did not all reach the ERP, which its last run must say.
      expect(await lastRuns(live)).toMatchObject([
        {
          integration: 'erp',
          outcome: 'partial',
          error: expect.stringMatching(/could not take 1 write; it waits/),
        },
      ]);

      await server.start();
      tryton.admin.moveTo(server.url);
      // Due again only after the back-off; the administrator's "sync now" right away sees them waiting.
      await live.db.kysely
        .updateTable('outbox')
        .set({ next_attempt_at: '2000-01-01T00:00:00.000Z' })
        .execute();
      const second = await syncIntegration(live, 'erp', { connector: connector() });
      expect(second.pending).toBe(0);
      expect(await lastRuns(live)).toMatchObject([{ integration: 'erp', outcome: 'ok', error: null }]);
      const parties = await tryton.admin.parties();
      expect(Object.keys(parties).sort()).toEqual(Array.from({ length: N }, (_, i) => `P${i + 1}`).sort());
      const counts = await countItems(live.db.kysely, integration);
      expect(counts).toMatchObject({ synced: N, new: 0, conflict: 0 });
      expect((await syncIntegration(live, 'erp', { connector: connector() })).push.delivered).toBe(0);
    } finally {
      server.stop();
    }
  }, 120_000);

  it('a wrong password is refused with the integration named, and nothing changes', async () => {
    await tryton.admin.createParty('K1', 'Bäckerei Sonnenschein', 'Berlin');
    app = await appWithTryton(db, tryton, {}, { password: 'not-the-password' });
    const live = app;
    await live.unit('create', null, (u) => createRecord(u, 'customer', { number: 'K9', name: 'Café Glück' }));
    const before = await countItems(
      live.db.kysely,
      await getIntegration(live.db.kysely, live.workspace, 'erp'),
    );
    const error = await syncIntegration(live, 'erp').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'remote_login_failed' });
    expect((error as Error).message).toContain('"erp"');
    expect((error as Error).message).not.toContain('not-the-password');
    expect(
      await countItems(live.db.kysely, await getIntegration(live.db.kysely, live.workspace, 'erp')),
    ).toEqual(before);
    expect(await live.db.kysely.selectFrom('remote_ref').selectAll().execute()).toEqual([]);
    expect(await lastRuns(live)).toMatchObject([{ integration: 'erp', outcome: 'failed' }]);
  });

  it('an unreachable server is a clear error naming the integration, and nothing changes', async () => {
    const url = `http://127.0.0.1:${await freePort()}/`;
    app = await appWithTryton(db, { ...tryton, url });
    const connector = trytonConnector(
      'customer',
      { url, database: tryton.name, user: 'admin', password: trytonEnv().password },
      {},
      { integration: 'erp', retries: 1, backoffMs: 10 },
    );
    const error = await syncIntegration(app, 'erp', { connector }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'remote_unavailable' });
    expect((error as Error).message).toMatch(/Integration "erp" .* cannot be reached/);
  }, 30_000);

  it('an answer the connector does not expect is a clear error, and nothing changes', async () => {
    await tryton.admin.createParty('K1', 'Bäckerei Sonnenschein', 'Berlin');
    await tryton.admin.createParty('K2', 'Praxis Weiß', 'Hamburg');
    app = await appWithTryton(db, tryton);
    await syncIntegration(app, 'erp');
    await tryton.admin.call('party.party', 'delete', [await tryton.admin.idOf('K2')]);
    // A proxy in front of Tryton that answers the listing with something else.
    const odd: typeof fetch = async (url, init) => {
      const body = String(init?.body ?? '');
      if (body.includes('"model.party.party.search_read"') && body.includes('"_timestamp"]'))
        return new Response(JSON.stringify({ id: 1, result: { rows: 'not a list' } }), { status: 200 });
      return fetch(url, init);
    };
    const proxied = new App({ ...app.options, fetch: odd });
    const error = await syncIntegration(proxied, 'erp').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'remote_invalid_answer' });
    expect((error as Error).message).toContain('"erp"');
    const integration = await getIntegration(app.db.kysely, app.workspace, 'erp');
    // K2 is gone in Tryton, but nothing was inferred from a read that failed.
    expect(await countItems(app.db.kysely, integration)).toMatchObject({ new: 2, deleted: 0 });
  });

  it('a create that reached Tryton before the line went down leaves no error on the item a later round links', async () => {
    const live = await appWithTryton(db, tryton);
    app = live;
    await live.unit('create', null, (u) => createRecord(u, 'customer', { number: 'P1', name: 'Kunde 1' }));
    await createAllPartners(live, 'erp', { side: 'local' });
    // What the failed try left: the party made in Tryton, its answer lost, the error on the item.
    await tryton.admin.createParty('P1', 'Kunde 1');
    await live.db.kysely
      .updateTable('item')
      .set({ write_error: 'cannot be reached: UND_ERR_SOCKET' })
      .execute();
    await live.db.kysely.updateTable('outbox').set({ next_attempt_at: '2000-01-01T00:00:00.000Z' }).execute();
    const round = await syncIntegration(live, 'erp');
    expect(round.pending).toBe(0);
    const integration = await getIntegration(live.db.kysely, live.workspace, 'erp');
    const { items } = await listItems(live.db.kysely, integration, { limit: 10 });
    expect(items.map((i) => [i.category, i.error])).toEqual([['synced', null]]);
  });
});

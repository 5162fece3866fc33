#!/usr/bin/env node
/**
 * The Tryton benchmark (bench/README.md, "Tryton"): against a private trytond on SQLite,
 *   pull  the first sync of N customers (party + address + e-mail + phone) from Tryton into an empty
 *         Abgleich store, against Tryton's own bulk create of the same N records (one `create` call per
 *         1,000) as the reference;
 *   push  the delivery of M new local customers to Tryton (partner-all, then one sync), against Tryton's
 *         bulk create of the same M records.
 * Prints both times and the ratios. A benchmark, not a test: exit 0 unless it crashes.
 *
 *   npm run build && node bench/tryton.mjs [--customers 10000] [--push 1000]
 */
/* global fetch */
import { Buffer } from 'node:buffer';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { TEMPLATE, tryton } from '../scripts/lib/tryton.mjs';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const load = (/** @type {string} */ path) => import(pathToFileURL(join(DIST, path)).href);

const args = process.argv.slice(2);
const flag = (/** @type {string} */ name, /** @type {number} */ fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = flag('customers', 10_000);
const M = flag('push', 1_000);
const CITIES = ['Berlin', 'Hamburg', 'München', 'Köln', 'Aarhus', 'København', 'Wien'];

/** @param {number} i @param {string} prefix */
const customer = (i, prefix) => ({
  number: `${prefix}${i}`,
  name: `Kunde ${prefix}${i} GmbH`,
  address: `Hauptstraße ${(i % 200) + 1}`,
  zip: String(10000 + (i % 89999)),
  city: CITIES[i % CITIES.length],
  country: 'DE',
  email: `kontakt${i}@kunde-${prefix.toLowerCase()}.de`,
  phone: `+49 30 ${String(1000000 + i)}`,
});

class Rpc {
  /** @param {string} base @param {string} db @param {string} password */
  constructor(base, db, password) {
    this.url = `${base}${db}/`;
    this.password = password;
    /** @type {string | undefined} */
    this.auth = undefined;
  }
  /** @param {string} method @param {unknown[]} params */
  async post(method, params) {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.auth ? { authorization: this.auth } : {}) },
      body: JSON.stringify({ id: 1, method, params }),
    });
    const body = await res.json();
    if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.result;
  }
  async login() {
    const [uid, key] = await this.post('common.db.login', ['admin', { password: this.password }, 'en']);
    this.auth = `Session ${Buffer.from(`admin:${uid}:${key}`).toString('base64')}`;
    return this;
  }
  /** Tryton's own bulk create: one call per 1,000 parties, each with its address and mechanisms. */
  async bulkCreate(/** @type {ReturnType<typeof customer>[]} */ rows, /** @type {number} */ countryId) {
    for (let i = 0; i < rows.length; i += 1000) {
      const vlist = rows.slice(i, i + 1000).map((c) => ({
        code: c.number,
        name: c.name,
        addresses: [
          ['create', [{ street: c.address, postal_code: c.zip, city: c.city, country: countryId }]],
        ],
        contact_mechanisms: [
          [
            'create',
            [
              { type: 'email', value: c.email },
              { type: 'phone', value: c.phone },
            ],
          ],
        ],
      }));
      await this.post('model.party.party.create', [vlist, {}]);
    }
  }
}

async function main() {
  const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
  const provided = process.env.ABGLEICH_TEST_TRYTON_URL;
  const env = provided
    ? {
        url: provided,
        dir: String(process.env.ABGLEICH_TEST_TRYTON_DIR),
        password: String(process.env.ABGLEICH_TEST_TRYTON_PASSWORD),
      }
    : await (async () => {
        await tryton.ensure(log);
        const e = await tryton.start(log);
        return {
          url: e.ABGLEICH_TEST_TRYTON_URL,
          dir: e.ABGLEICH_TEST_TRYTON_DIR,
          password: e.ABGLEICH_TEST_TRYTON_PASSWORD,
        };
      })();
  const work = mkdtempSync(join(tmpdir(), 'abgleich-bench-tryton-'));
  const copy = (/** @type {string} */ name) => {
    copyFileSync(join(env.dir, `${TEMPLATE}.sqlite`), join(env.dir, `${name}.sqlite`));
    return name;
  };
  try {
    const { openDb } = await load('store/database.js');
    const { App } = await load('sync/app.js');
    const { addIntegration } = await load('sync/integrations.js');
    const { secretBox, storeSecret } = await load('sync/secrets.js');
    const { syncIntegration } = await load('sync/live-sync.js');
    const { createRecord } = await load('sync/registry.js');
    const { createAllPartners } = await load('sync/partner-all.js');
    const box = secretBox(Buffer.alloc(32, 1));

    /** An Abgleich store on SQLite with a customer integration on Tryton database `db`. */
    const appOn = async (/** @type {string} */ db) => {
      const store = await openDb({ sqlitePath: join(work, `${db}.abgleich.sqlite`) });
      const app = new App({
        db: store,
        workspace: 'bench',
        actor: 'bench',
        clock: () => new Date(),
        secrets: () => box,
      });
      await app.ensureWorkspace();
      await app.unit('setup', null, async (/** @type {any} */ u) => {
        const info = await addIntegration(u.db, 'bench', u.now, {
          name: 'erp',
          entity: 'customer',
          source: 'tryton',
          settings: { connection: { url: env.url, database: db, user: 'admin' } },
        });
        await storeSecret(u.db, box, info.id, env.password, u.now);
      });
      return app;
    };

    // Reference 1: Tryton's bulk create of N customers (this also makes the data the pull reads).
    const pullDb = copy(`bench_pull_${process.pid}`);
    const rpc = await new Rpc(env.url, pullDb, env.password).login();
    const [de] = await rpc.post('model.country.country.search', [[['code', '=', 'DE']], 0, 1, null, {}]);
    const many = Array.from({ length: N }, (_, i) => customer(i + 1, 'T'));
    let t = performance.now();
    await rpc.bulkCreate(many, de);
    const bulkN = performance.now() - t;

    const pullApp = await appOn(pullDb);
    t = performance.now();
    const pulled = await syncIntegration(pullApp, 'erp');
    const pullMs = performance.now() - t;
    t = performance.now();
    await syncIntegration(pullApp, 'erp');
    const againMs = performance.now() - t;
    // Steady state: one party changed, and the overlap window holds nothing else (as 2 minutes later).
    await sleep(1100);
    const [one] = await rpc.post('model.party.party.search', [[['code', '=', 'T1']], 0, 1, null, {}]);
    await rpc.post('model.party.party.write', [[one], { name: 'Kunde T1 AG' }, {}]);
    t = performance.now();
    const steady = await syncIntegration(pullApp, 'erp', { overlapMs: 0 });
    const steadyMs = performance.now() - t;
    await pullApp.close();

    // Reference 2: Tryton's bulk create of M customers; then Abgleich pushes the same M.
    const refDb = copy(`bench_ref_${process.pid}`);
    const ref = await new Rpc(env.url, refDb, env.password).login();
    const few = Array.from({ length: M }, (_, i) => customer(i + 1, 'L'));
    t = performance.now();
    await ref.bulkCreate(few, de);
    const bulkM = performance.now() - t;

    const pushDb = copy(`bench_push_${process.pid}`);
    const pushApp = await appOn(pushDb);
    await pushApp.unit('create', null, async (/** @type {any} */ u) => {
      for (const c of few) await createRecord(u, 'customer', c);
    });
    await createAllPartners(pushApp, 'erp', { side: 'local' });
    t = performance.now();
    const pushed = await syncIntegration(pushApp, 'erp');
    const pushMs = performance.now() - t;
    await pushApp.close();

    const s = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(2)} s`;
    const lines = [
      `Tryton 6.0 on SQLite, loopback; Abgleich on SQLite. ${N.toLocaleString('en')} customers pulled, ${M.toLocaleString('en')} pushed.`,
      `reference: Tryton bulk create of ${N} customers (1,000 a call)   ${s(bulkN)}`,
      `first sync of ${N} customers from Tryton                           ${s(pullMs)}   ratio ${(pullMs / bulkN).toFixed(2)} × (${pulled.pull.run.changes.new} new)`,
      `second sync at once (the 2-minute overlap window re-reads all)  ${s(againMs)}`,
      `a sync after one party changed, window empty (steady state)      ${s(steadyMs)}   (${steady.pull.read} read, ${steady.pull.run.changes.updated} updated)`,
      `reference: Tryton bulk create of ${M} customers (one call)          ${s(bulkM)}`,
      `push of ${M} new customers (partner-all, one sync)                  ${s(pushMs)}   ratio ${(pushMs / bulkM).toFixed(2)} × (${pushed.push.created} created, ${pushed.pending} pending)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    for (const db of [pullDb, refDb, pushDb]) rmSync(join(env.dir, `${db}.sqlite`), { force: true });
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (!provided) tryton.stop(log);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

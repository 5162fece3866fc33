/**
 * A Tryton database per test (a copy of the template the test service made, about 1 ms), a small admin
 * client to change things on the ERP side as a Tryton user would, and an app wired to it.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../../src/sync/app.js';
import { addIntegration } from '../../src/sync/integrations.js';
import { secretBox, storeSecret } from '../../src/sync/secrets.js';
import type { IntegrationSettings } from '../../src/sync/settings.js';
import type { TestClock } from '../support/app.js';
import { openTestApp } from '../support/app.js';
import type { TestDatabase } from '../support/databases.js';
import { openDb } from '../../src/store/database.js';
import { App as AppClass } from '../../src/sync/app.js';

export const TRYTON_VARS = {
  url: 'ABGLEICH_TEST_TRYTON_URL',
  dir: 'ABGLEICH_TEST_TRYTON_DIR',
  config: 'ABGLEICH_TEST_TRYTON_CONFIG',
  password: 'ABGLEICH_TEST_TRYTON_PASSWORD',
} as const;

/** The test service's variables; throws (never skips) when there is no trytond. */
export function trytonEnv(): Record<keyof typeof TRYTON_VARS, string> {
  const out = {} as Record<keyof typeof TRYTON_VARS, string>;
  for (const [k, v] of Object.entries(TRYTON_VARS) as [keyof typeof TRYTON_VARS, string][]) {
    const value = process.env[v];
    if (!value)
      throw new Error(
        `${v} is not set, so the Tryton tests cannot run. Run them through \`npm test\`, which starts a trytond, or export the variables \`node scripts/test.mjs --serve\` prints.`,
      );
    out[k] = value;
  }
  return out;
}

export const KEY = Buffer.alloc(32, 7);

export interface TrytonDb {
  readonly name: string;
  readonly url: string;
  readonly admin: TrytonAdmin;
  drop(): void;
}

/** A fresh Tryton database for one test, copied from the template. */
export function copyTemplate(): TrytonDb {
  const env = trytonEnv();
  const name = `t_${randomBytes(6).toString('hex')}`;
  copyFileSync(join(env.dir, 'tmpl.sqlite'), join(env.dir, `${name}.sqlite`));
  return {
    name,
    url: env.url,
    admin: new TrytonAdmin(env.url, name, env.password),
    drop: () => rmSync(join(env.dir, `${name}.sqlite`), { force: true }),
  };
}

/** Plays the Tryton user: plain JSON-RPC calls with the admin's session. */
export class TrytonAdmin {
  private auth: string | undefined;
  constructor(
    private base: string,
    private readonly db: string,
    private readonly password: string,
  ) {}

  /** Point at another server (a test that restarts trytond on another port). */
  moveTo(base: string): void {
    this.base = base;
    this.auth = undefined;
  }

  private async post(method: string, params: unknown[]): Promise<unknown> {
    const res = await fetch(`${this.base}${this.db}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.auth ? { authorization: this.auth } : {}) },
      body: JSON.stringify({ id: 1, method, params }),
    });
    if (!res.ok) throw new Error(`${method}: HTTP ${res.status}`);
    const body = (await res.json()) as { result?: unknown; error?: unknown };
    if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.result;
  }

  async call(model: string, method: string, ...params: unknown[]): Promise<unknown> {
    if (!this.auth) {
      const [uid, key] = (await this.post('common.db.login', [
        'admin',
        { password: this.password },
        'en',
      ])) as [number, string];
      this.auth = `Session ${Buffer.from(`admin:${uid}:${key}`).toString('base64')}`;
    }
    return this.post(`model.${model}.${method}`, [...params, { active_test: false, company: 1 }]);
  }

  /** Customers as Tryton holds them: code → {name, city, email, phone, active}. */
  async parties(): Promise<
    Record<string, { id: number; name: string; city: string; email: string; phone: string; active: boolean }>
  > {
    const rows = (await this.call('party.party', 'search_read', [['code', '!=', 'COMPANY']], 0, null, null, [
      'code',
      'name',
      'email',
      'phone',
      'active',
      'addresses.city',
    ])) as {
      id: number;
      code: string;
      name: string;
      email: string;
      phone: string;
      active: unknown;
      'addresses.': { city: string | null }[];
    }[];
    return Object.fromEntries(
      rows.map((r) => [
        r.code,
        {
          id: r.id,
          name: r.name,
          city: r['addresses.'][0]?.city ?? '',
          email: r.email,
          phone: r.phone,
          active: r.active === true || r.active === 1,
        },
      ]),
    );
  }

  async idOf(code: string): Promise<number> {
    const ids = (await this.call('party.party', 'search', [['code', '=', code]], 0, null, null)) as number[];
    if (ids.length !== 1) throw new Error(`${ids.length} parties with code ${code}`);
    return ids[0]!;
  }

  async createParty(code: string, name: string, city?: string, email?: string): Promise<number> {
    const [id] = (await this.call('party.party', 'create', [
      {
        code,
        name,
        ...(city ? { addresses: [['create', [{ city }]]] } : {}),
        ...(email ? { contact_mechanisms: [['create', [{ type: 'email', value: email }]]] } : {}),
      },
    ])) as number[];
    return id!;
  }
}

/** An Abgleich app on `db` whose secrets use a fixed test key, with a customer integration on `tryton`. */
export async function appWithTryton(
  db: TestDatabase,
  tryton: TrytonDb,
  settings: Partial<IntegrationSettings> = {},
  opts: { clock?: TestClock; fetch?: typeof fetch; password?: string; entity?: 'customer' | 'employee' } = {},
): Promise<App> {
  const plain = await openTestApp(db, opts.clock ?? { now: new Date() });
  const clock = opts.clock;
  const app = new AppClass({
    ...plain.options,
    clock: clock ? () => clock.now : () => new Date(),
    secrets: () => secretBox(KEY),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  await app.unit('setup', null, async (u) => {
    const info = await addIntegration(u.db, app.workspace, u.now, {
      name: 'erp',
      entity: opts.entity ?? 'customer',
      source: 'tryton',
      settings: { connection: { url: tryton.url, database: tryton.name, user: 'admin' }, ...settings },
    });
    await storeSecret(u.db, secretBox(KEY), info.id, opts.password ?? trytonEnv().password, u.now);
  });
  return app;
}

export { openDb };

/** The CLI contract of issue 4, run as a user would against a real trytond. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import type { TrytonDb } from './tryton.js';
import { copyTemplate, trytonEnv } from './tryton.js';

describe.each(DATABASES)('abgleich integration/sync/customer add with Tryton, on $name', (target) => {
  let db: TestDatabase;
  let tryton: TrytonDb;
  let keyDir: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    db = await target.connect();
    tryton = copyTemplate();
    keyDir = mkdtempSync(join(tmpdir(), 'abgleich-key-'));
    env = {
      ERP_PASSWORD: trytonEnv().password,
      ABGLEICH_SECRET_KEY_FILE: join(keyDir, 'secret.key'),
      ABGLEICH_NOW: new Date().toISOString(),
    };
  });
  afterEach(async () => {
    await db.cleanup();
    tryton.drop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  const run = (...args: string[]) => cli(db, args, env);

  it('tries the connection when it is added or changed, and says what fails without losing the settings', async () => {
    const connection = (database: string, passwordVar: string) => [
      ...['--url', tryton.url, '--database', database, '--user', 'admin', '--password-env', passwordVar],
    ];
    const wrong = await cli(
      db,
      [
        ...['integration', 'add', 'erp', '--entity', 'customer', '--source', 'tryton'],
        ...connection(tryton.name, 'WRONG'),
      ],
      { ...env, WRONG: 'not-the-password' },
    );
    expect(wrong.code).toBe(0);
    expect(wrong.stdout).toContain('Added integration "erp" (customers from Tryton at');
    expect(wrong.stderr).toContain('warning: the connection does not work yet');
    expect(wrong.stderr).toContain('wrong user or password. [remote_login_failed]');
    expect(wrong.stderr).toContain('abgleich integration set erp');
    expect((await run('integration', 'show', 'erp', '--json')).json()).toMatchObject({
      settings: { connection: { database: tryton.name } },
    });

    const noDatabase = await run(
      'integration',
      'set',
      'erp',
      ...connection('nope', 'ERP_PASSWORD'),
      '--json',
    );
    expect(noDatabase.json()).toMatchObject({ connection: { ok: false, code: 'remote_unavailable' } });
    expect(noDatabase.stdout).toContain('there is no database \\"nope\\"');

    const fixed = await run('integration', 'set', 'erp', ...connection(tryton.name, 'ERP_PASSWORD'));
    expect(fixed.stderr).toBe('');
    expect(fixed.stdout).toContain('Connected: logged in as "admin"');
    // A change that leaves the connection alone does not log in again; --no-check does not either.
    expect((await run('integration', 'set', 'erp', '--interval', '5')).stdout).not.toContain('Connected');
    const unchecked = await run(
      ...['integration', 'add', 'erp2', '--entity', 'customer', '--source', 'tryton'],
      ...connection('nope', 'ERP_PASSWORD'),
      '--no-check',
    );
    expect(unchecked.stderr).toBe('');
    expect(unchecked.stdout).not.toContain('Connected');
  });

  it('adds a Tryton integration, keeps the password out of every output, and syncs both ways', async () => {
    await tryton.admin.createParty('K1', 'Bäckerei Sonnenschein', 'Berlin');
    const added = await run(
      ...['integration', 'add', 'erp', '--entity', 'customer', '--source', 'tryton'],
      ...[
        '--url',
        tryton.url,
        '--database',
        tryton.name,
        '--user',
        'admin',
        '--password-env',
        'ERP_PASSWORD',
      ],
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Connected: logged in as "admin"');
    expect(statSync(env.ABGLEICH_SECRET_KEY_FILE!).mode & 0o777).toBe(0o600);
    const shown = await run('integration', 'show', 'erp', '--json');
    expect(shown.json()).toMatchObject({
      source: 'tryton',
      settings: { connection: { database: tryton.name, user: 'admin' } },
    });
    for (const r of [added, shown]) expect(r.stdout + r.stderr).not.toContain(env.ERP_PASSWORD!);

    const refused = await run('customer', 'add', 'K9', '--name', 'Café Glück');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--sync now|never|later');
    expect(
      (await run('customer', 'add', 'K9', '--name', 'Café Glück', '--city', 'Köln', '--sync', 'now')).code,
    ).toBe(0);

    const dry = await run('sync', 'erp', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(Object.keys(await tryton.admin.parties())).toEqual(['K1']);

    const synced = await run('sync', 'erp', '--json');
    expect(synced.code).toBe(0);
    expect(synced.json()).toMatchObject({ push: { created: 1 }, pull: { listed: 1 } });
    expect(Object.keys(await tryton.admin.parties()).sort()).toEqual(['K1', 'K9']);
    const status = await run('sync-status', '--json');
    expect(status.json<{ runs: { outcome: string }[] }>().runs[0]!.outcome).toBe('ok');

    // A write the ERP refuses (K1 is its code already): the round is applied, the exit status says so.
    expect((await run('customer', 'edit', 'K9', '--number', 'K1')).code).toBe(0);
    const partial = await run('sync', 'erp', '--json');
    expect(partial.code, partial.stderr).toBe(9);
    expect(partial.json()).toMatchObject({ push: { failed: 1 } });
    expect(partial.stderr).toContain('The ERP refused 1 write; first, item');
    const after = await run('sync-status', '--json');
    expect(after.json<{ runs: { outcome: string; error: string | null }[] }>().runs[0]).toMatchObject({
      outcome: 'partial',
      error: expect.stringContaining('The ERP refused 1 write') as string,
    });
  });

  it('a wrong password fails with exit 9 and a message naming the integration', async () => {
    await run(
      ...['integration', 'add', 'erp', '--entity', 'customer', '--source', 'tryton'],
      ...[
        '--url',
        tryton.url,
        '--database',
        tryton.name,
        '--user',
        'admin',
        '--password-env',
        'ERP_PASSWORD',
      ],
    );
    env.WRONG = 'wrong-password';
    expect((await run('integration', 'set', 'erp', '--password-env', 'WRONG')).code).toBe(0);
    const r = await run('sync', 'erp');
    expect(r.code).toBe(9);
    expect(r.stderr).toContain('Integration "erp"');
    expect(r.stderr + r.stdout).not.toContain('wrong-password');

    // Another key than the one the password was stored with (a key file made anew elsewhere).
    env.ABGLEICH_SECRET_KEY_FILE = join(keyDir, 'other.key');
    const other = await run('sync', 'erp', '--json');
    expect(other.code).toBe(2);
    expect(other.json()).toMatchObject({
      error: { code: 'secret_key_missing', details: { integration: 'erp' } },
    });
    expect(other.stdout).toContain('abgleich integration set erp --password-env VAR');
  });
});

/** `abgleich user`, `abgleich token` and `abgleich serve` through the real command line, on both databases. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

describe.each(DATABASES)('users, tokens and serve on $name', (target) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await target.connect();
  });
  afterAll(() => db.cleanup());

  it('adds users with the password from an environment variable, lists and removes them', async () => {
    const add = await cli(
      db,
      ['user', 'add', 'chefin', '--role', 'admin', '--name', 'Die Chefin', '--password-env', 'PW'],
      {
        PW: 'a long password',
      },
    );
    expect(add.code, add.stderr).toBe(0);
    const short = await cli(db, ['user', 'add', 'kurz', '--role', 'supervisor', '--password-env', 'PW'], {
      PW: 'short',
    });
    expect(short.code).toBe(3);
    const missing = await cli(db, [
      'user',
      'add',
      'ohne',
      '--role',
      'supervisor',
      '--password-env',
      'NOT_SET_ANYWHERE',
    ]);
    expect(missing.code).toBe(2);
    await cli(db, ['user', 'add', 'sam', '--role', 'supervisor', '--password-env', 'PW'], {
      PW: 'another password',
    });
    const list = await cli(db, ['user', 'list', '--json']);
    expect(list.json<{ users: { login: string; role: string }[] }>().users).toEqual([
      expect.objectContaining({ login: 'chefin', role: 'admin' }),
      expect.objectContaining({ login: 'sam', role: 'supervisor' }),
    ]);
    const last = await cli(db, ['user', 'remove', 'chefin']);
    expect(last.code).toBe(5);
    expect((await cli(db, ['user', 'remove', 'sam'])).code).toBe(0);
  }, 120_000);

  it('serve prints its URL, answers with a token made by `token create`, and stops on SIGTERM', async () => {
    const token = await cli(db, ['token', 'create', 'chefin', '--json']);
    expect(token.code, token.stderr).toBe(0);
    const secret = token.json<{ token: string }>().token;
    const where = db.url.startsWith('postgres') ? ['--database-url', db.url] : ['--db', db.url];
    const child = spawn(process.execPath, [MAIN, ...where, 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += String(d);
          const m = /running at (http:\/\/[^/\s]+)\//.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
      });
      const session = await fetch(`${base}/api/session`, { headers: { authorization: `Bearer ${secret}` } });
      expect(await session.json()).toMatchObject({
        user: { login: 'chefin', role: 'admin' },
        setupRequired: false,
      });
      const page = await fetch(`${base}/some/page`);
      expect(page.status).toBe(200);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 120_000);
});

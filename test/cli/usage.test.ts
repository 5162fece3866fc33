/** Whole-number options and arguments, and help texts that say what a command does, through the real command line. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { cli, MAIN } from '../support/cli.js';

interface Refusal {
  error: { code: string; message: string; details: { option: string; value: string } };
}

describe.each(DATABASES)('command-line usage on $name', (target) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await target.connect();
    expect(
      (await cli(db, ['integration', 'add', 'p', '--entity', 'employee', '--source', 'file'])).code,
    ).toBe(0);
    expect((await cli(db, ['employee', 'add', '1001', '--name', 'Anna Müller'])).code).toBe(0);
  });
  afterAll(() => db.cleanup());

  it.each([
    [['items', 'p', '--limit', 'abc'], '--limit', 'abc'],
    [['items', 'p', '--limit', '-5'], '--limit', '-5'],
    [['items', 'p', '--limit', '0'], '--limit', '0'],
    [['items', 'p', '--offset', '-3'], '--offset', '-3'],
    [['items', 'p', '--offset', '1e3'], '--offset', '1e3'],
    [['employee', 'list', '--offset', 'x'], '--offset', 'x'],
    [['employee', 'list', '--limit', '99999999999'], '--limit', '99999999999'],
    [['employee', 'edit', '1001', '--city', 'Bonn', '--expect-version', 'abc'], '--expect-version', 'abc'],
    [['disable', 'p', '1', '--expect-version', 'abc'], '--expect-version', 'abc'],
    [['disable', 'p', '--category', 'synced', '--expect-version', '3'], '--expect-version', '3'],
    [['candidates', 'p', '1', '--limit', 'many'], '--limit', 'many'],
    [['audit', '--limit', 'abc'], '--limit', 'abc'],
    [['audit', '--item', '-1'], '--item', '-1'],
    [['integration', 'set', 'p', '--interval', '-5'], '--interval', '-5'],
    [['serve', '--port', '70000'], '--port', '70000'],
    [['resolve', 'p', 'abc', '--take', 'local'], 'The item id', 'abc'],
    [['link', 'p', '1', '2x'], 'The item id', '2x'],
    [['undo', 'x'], 'The change id', 'x'],
  ])('%j is refused as usage, naming %s and its value', async (args, option, value) => {
    const res = await cli(db, [...args, '--json']);
    expect(res.code, res.stdout + res.stderr).toBe(2);
    const { error } = res.json<Refusal>();
    expect(error.code).toBe('usage');
    expect(error.details).toEqual({ option, value });
    expect(error.message).toContain(option);
    expect(error.message).toContain(`"${value}"`);
    expect(error.message).not.toContain('NaN');
  });

  it('an option or argument the command line parser refuses is a usage error in JSON too', async () => {
    for (const args of [['items', 'p', '--category', 'foo'], ['items', 'p', '--bogus'], ['items']]) {
      const res = await cli(db, [...args, '--json']);
      expect(res.code, res.stderr).toBe(2);
      expect(res.json<Refusal>().error.code).toBe('usage');
    }
  });

  it('an empty --database-url or --db is refused, not taken as the default database', async () => {
    for (const flag of ['--database-url', '--db']) {
      const res = await cli(db, [flag, '', 'integration', 'list', '--json']);
      expect(res.code, res.stdout + res.stderr).toBe(2);
      const { error } = res.json<Refusal>();
      expect(error.code).toBe('usage');
      expect(error.message).toContain(`${flag} is empty`);
    }
  });

  it('a refused number says so in words without --json, and changes nothing', async () => {
    const res = await cli(db, ['employee', 'edit', '1001', '--city', 'Bonn', '--expect-version', 'one']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'abgleich: --expect-version must be a whole number of at least 0, not "one". [usage]\n',
    );
    const show = await cli(db, ['employee', 'show', '1001', '--json']);
    expect(show.json()).toMatchObject({ city: '', version: 1 });
  });

  it('live settings the schema refuses are named, field by field, and nothing is added', async () => {
    const res = await cli(
      db,
      ['integration', 'add', 'erp', '--entity', 'customer', '--source', 'tryton'].concat([
        '--url',
        'ftp:/x',
        '--database',
        'firma',
        '--password-env',
        'ERP_PW',
        '--no-check',
      ]),
      { ERP_PW: 'secret' },
    );
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('connection.url is not an http(s) address; connection.user is missing');
    const list = await cli(db, ['integration', 'list', '--json']);
    expect(list.json<{ integrations: { name: string }[] }>().integrations.map((i) => i.name)).toEqual(['p']);
  });

  it('whole numbers still arrive as numbers', async () => {
    const items = await cli(db, ['items', 'p', '--limit', '5', '--offset', '0', '--json']);
    expect(items.code, items.stderr).toBe(0);
    expect(items.json()).toMatchObject({ total: 1 });
    const listed = await cli(db, ['employee', 'list', '--limit', '1', '--offset', '1', '--json']);
    expect(listed.json()).toEqual({ employees: [] });
    const edit = await cli(db, [
      'employee',
      'edit',
      '1001',
      '--city',
      'Köln',
      '--expect-version',
      '1',
      '--json',
    ]);
    expect(edit.json()).toMatchObject({ city: 'Köln', version: 2 });
  });

  it('help offers only what a command has and words it right', async () => {
    const help = async (...args: string[]) => {
      const res = await cli(db, [...args, '--help']);
      expect(res.code).toBe(0);
      return res.stdout;
    };
    const employeeAdd = await help('employee', 'add');
    expect(employeeAdd).toContain('create an employee');
    expect(employeeAdd).not.toContain('--sync');
    expect(await help('customer', 'add')).toContain('--sync <choice>');
    expect((await cli(db, ['employee', 'add', '7', '--name', 'Bo', '--sync', 'now'])).code).toBe(2);

    const edit = await help('employee', 'edit');
    expect(edit).toContain('change fields of an employee');
    expect(edit).not.toContain('(required)');
    expect(await help('employee', 'add')).toMatch(/--name <value> +name \(required\)/);

    expect(await help('employee', 'archive')).toContain('wipes the SSN');
    expect(await help('customer', 'archive')).not.toContain('SSN');

    const exportHelp = (await help('export')).replace(/\s+/g, ' ');
    expect(exportHelp).not.toContain('lacks');
    expect(exportHelp).toContain('marked for it by `partner`, `partner-all` or `restore`');
    expect(exportHelp).toContain('differ from the remote record in a compared field');
  });

  it('items --search and employee list --search match % and _ as themselves, on cleaned text', async () => {
    expect((await cli(db, ['employee', 'add', '1002', '--name', 'Gus 100%_Grün'])).code).toBe(0);
    const items = async (search: string) =>
      (await cli(db, ['items', 'p', '--search', search, '--json']))
        .json<{ items: { number: string }[] }>()
        .items.map((i) => i.number);
    const employees = async (search: string) =>
      (await cli(db, ['employee', 'list', '--search', search, '--json']))
        .json<{ employees: { number: string }[] }>()
        .employees.map((e) => e.number);
    for (const list of [items, employees]) {
      expect(await list('%')).toEqual(['1002']);
      expect(await list('a_n')).toEqual([]);
      expect(await list(' ANNA   Mu\u0308ller ')).toEqual(['1001']);
    }
  });
});

describe('a SQLite file that does not exist', () => {
  const dir = mkdtempSync(join(tmpdir(), 'abgleich-nodb-'));
  const missing = { url: join(dir, 'typo.sqlite') } as TestDatabase;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused by a command that only reads or changes, and is not made', async () => {
    for (const args of [['integration', 'list'], ['overview', 'p'], ['import', 'p', 'x.csv'], ['audit']]) {
      const res = await cli(missing, [...args, '--json']);
      expect(res.code, res.stdout + res.stderr).toBe(8);
      const { error } = res.json<{ error: { code: string; message: string } }>();
      expect(error.code).toBe('database_unavailable');
      expect(error.message).toContain(`There is no database at ${missing.url}`);
      expect(existsSync(missing.url)).toBe(false);
    }
  });

  it('is made by a command that adds something', async () => {
    const add = await cli(missing, ['integration', 'add', 'p', '--entity', 'employee', '--json']);
    expect(add.code, add.stderr).toBe(0);
    expect(existsSync(missing.url)).toBe(true);
    expect((await cli(missing, ['overview', 'p', '--json'])).code).toBe(0);
  });
});

describe('integration remove on a terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'abgleich-remove-'));
  const db = { url: join(dir, 'a.sqlite') } as TestDatabase;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the command under `script`, which gives it a terminal; `typed` is what the user types. */
  const onTerminal = (args: string, typed: string) =>
    new Promise<string>((done, failed) => {
      const child = execFile(
        'script',
        ['-qec', `${process.execPath} ${MAIN} --db ${db.url} ${args}`, '/dev/null'],
        (error, stdout) => (error ? failed(error) : done(stdout)),
      );
      child.stdin?.end(`${typed}\n`);
    });
  const names = async () =>
    (await cli(db, ['integration', 'list', '--json']))
      .json<{ integrations: { name: string }[] }>()
      .integrations.map((i) => i.name);

  it('asks for the name first, and removes nothing on another answer', async () => {
    expect((await cli(db, ['integration', 'add', 'lohn', '--entity', 'employee'])).code).toBe(0);
    const declined = await onTerminal('integration remove lohn', 'yes');
    expect(declined).toContain('Type the name to remove it');
    expect(declined).toContain('Nothing was removed.');
    expect(await names()).toEqual(['lohn']);
    expect(await onTerminal('integration remove lohn', 'lohn')).toContain('Removed integration "lohn"');
    expect(await names()).toEqual([]);
  });

  it('does not ask a script, nor with --yes', async () => {
    expect((await cli(db, ['integration', 'add', 'a', '--entity', 'employee'])).code).toBe(0);
    expect((await cli(db, ['integration', 'remove', 'a'])).code).toBe(0);
    expect((await cli(db, ['integration', 'add', 'b', '--entity', 'employee'])).code).toBe(0);
    expect(await onTerminal('integration remove b --yes', '')).not.toContain('Type the name');
    expect(await names()).toEqual([]);
  });
});

/** `abgleich user add|list|remove` and `abgleich token create`: who may use the HTTP API (SYNC.md §9). */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { fail } from '../../core/errors.js';
import type { Role, UserLanguage } from '../../sync/users.js';
import {
  addUser,
  createToken,
  getUser,
  listUsers,
  removeUser,
  ROLES,
  USER_LANGUAGES,
} from '../../sync/users.js';
import { envVar } from '../config.js';
import { withApp } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

/** The password from `--password-env VAR`, or the first line of stdin when it is piped. */
function passwordOf(opts: { passwordEnv?: string }): string {
  let password: string | undefined;
  if (opts.passwordEnv) {
    password = envVar(opts.passwordEnv);
    if (!password) fail('usage', `The environment variable ${opts.passwordEnv} is empty or not set.`);
  } else if (!process.stdin.isTTY) {
    password = readFileSync(0, 'utf8').split(/\r?\n/)[0];
  }
  if (!password)
    fail(
      'usage',
      'Give the password with --password-env VAR (or pipe it on stdin); it is never a command argument.',
    );
  if (password.length < 10) fail('validation_failed', 'The password needs at least 10 characters.');
  return password;
}

export function registerUserCommands(program: Command): void {
  const group = program.command('user').description('users of the web app and the HTTP API');
  group
    .command('add')
    .description('add a user (the first admin can also be created in the browser)')
    .argument('<login>')
    .addOption(
      new Option('--role <role>', 'admin or supervisor (SYNC.md §9)').choices(ROLES).makeOptionMandatory(),
    )
    .option('--name <name>', 'the name shown (default: the login)')
    .addOption(new Option('--language <lang>', 'the language of the web app').choices(USER_LANGUAGES))
    .option('--password-env <VAR>', 'read the password from this environment variable (else: stdin)')
    .option('--json', 'print JSON')
    .action(
      async (
        login: string,
        opts: { role: Role; name?: string; language?: UserLanguage; passwordEnv?: string; json?: boolean },
        cmd: Command,
      ) =>
        withApp(
          cmd,
          async (app) => {
            if (!/^[a-zA-Z0-9._@-]{2,64}$/.test(login))
              fail('validation_failed', `"${login}" is not a usable login (2–64 letters, digits, . _ @ -).`);
            const user = await addUser(app.db.kysely, app.workspace, app.now(), {
              login,
              name: opts.name ?? login,
              role: opts.role,
              password: passwordOf(opts),
              ...(opts.language ? { language: opts.language } : {}),
            });
            if (opts.json) return printJson({ user });
            printLine(`Added ${user.role} "${user.login}" to the workspace "${user.workspace}".`);
          },
          { mayCreate: true },
        ),
    );
  group
    .command('list')
    .description('list the users of the workspace')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      withApp(cmd, async (app) => {
        const users = await listUsers(app.db.kysely, app.workspace);
        if (opts.json) return printJson({ users });
        if (users.length === 0)
          return printLine('No users yet. Add one with: abgleich user add <login> --role admin');
        printTable(
          ['login', 'name', 'role', 'language'],
          users.map((u) => [u.login, u.name, u.role, u.language]),
        );
      }),
    );
  group
    .command('remove')
    .description('remove a user; their sessions and API tokens end')
    .argument('<login>')
    .option('--json', 'print JSON')
    .action(async (login: string, opts: { json?: boolean }, cmd: Command) =>
      withApp(cmd, async (app) => {
        await removeUser(app.db.kysely, await getUser(app.db.kysely, app.workspace, login));
        if (opts.json) return printJson({ removed: login });
        printLine(`Removed user "${login}".`);
      }),
    );

  const token = program.command('token').description('API tokens for scripts');
  token
    .command('create')
    .description('create an API token acting as this user (shown once: keep it)')
    .argument('<login>')
    .option('--name <name>', 'what the token is for', 'cli')
    .option('--json', 'print JSON')
    .action(async (login: string, opts: { name: string; json?: boolean }, cmd: Command) =>
      withApp(cmd, async (app) => {
        const user = await getUser(app.db.kysely, app.workspace, login);
        const created = await createToken(app.db.kysely, user, opts.name, app.now());
        if (opts.json) return printJson(created);
        printLine(created.token);
        process.stderr.write(
          `API token ${created.id} for "${login}" (${user.role}); send it as "Authorization: Bearer <token>". It is not shown again.\n`,
        );
      }),
    );
}

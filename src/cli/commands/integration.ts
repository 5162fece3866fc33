/** `abgleich integration add|list|show|set|remove`. */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { EntityKind, FieldName } from '../../core/fields.js';
import { ENTITY_KINDS, findFieldDef } from '../../core/fields.js';
import { AbgleichError, fail } from '../../core/errors.js';
import { checkConnection } from '../../sync/live-sync.js';
import type { FieldRule } from '../../core/model.js';
import { FIELD_RULES } from '../../core/model.js';
import {
  addIntegration,
  getIntegration,
  listIntegrations,
  removeIntegration,
} from '../../sync/integrations.js';
import { countItems } from '../../sync/overview.js';
import type { SettingsEffect } from '../../sync/settings-change.js';
import { changeSettings } from '../../sync/settings-change.js';
import type { IntegrationInfo, IntegrationSettings } from '../../sync/settings.js';
import { readFileSync } from 'node:fs';
import type { FileType } from '../../formats/file-type.js';
import { fileTypeSchema } from '../../formats/file-type.js';
import { SOURCES } from '../../sync/settings.js';
import { withApp } from '../context.js';
import { readNamedVariable } from '../config.js';
import { wholeOption } from '../numbers.js';
import type { App } from '../../sync/app.js';
import type { Executor } from '../../store/executor.js';
import type { Source } from '../../sync/settings.js';
import { storeSecret } from '../../sync/secrets.js';
import { askLine, printJson, printLine, printTable } from '../output.js';

/** A live integration needs a connection and a password; the password goes to the encrypted store. */
async function savePassword(
  app: App,
  db: Executor,
  info: IntegrationInfo,
  opts: Record<string, unknown>,
  now: string,
): Promise<void> {
  if (info.source === 'file') {
    if (opts.url || opts.passwordEnv)
      fail('usage', 'Connection settings are for live integrations (--source tryton).');
    return;
  }
  if (!info.settings.connection)
    fail('usage', `A ${info.source} integration needs --url, --database and --user.`);
  if (typeof opts.passwordEnv === 'string') {
    const password = readNamedVariable(opts.passwordEnv);
    if (!app.options.secrets) fail('secret_key_missing', 'No secret key is configured.');
    await storeSecret(db, app.options.secrets(), info.id, password, now);
  } else if (
    !(await db
      .selectFrom('integration_secret')
      .select('integration_id')
      .where('integration_id', '=', info.id)
      .executeTakeFirst())
  ) {
    fail(
      'usage',
      `A ${info.source} integration needs its password: --password-env VAR names the variable holding it.`,
    );
  }
}

/**
 * After adding a live integration or changing its connection: does it work? The settings stay saved
 * either way (the ERP may be down for a moment); the answer says what failed and how to fix it.
 */
async function connectionCheck(
  app: App,
  info: IntegrationInfo,
  opts: Record<string, unknown>,
): Promise<{ connection?: { ok: true } | { ok: false; code: string; message: string } }> {
  if (info.source === 'file' || opts.check === false) return {};
  if (!(opts.url || opts.database || opts.user || opts.passwordEnv)) return {};
  try {
    await checkConnection(app, info);
    return { connection: { ok: true } };
  } catch (error) {
    const code = error instanceof AbgleichError ? error.code : 'internal';
    const message = error instanceof Error ? error.message : String(error);
    return { connection: { ok: false, code, message } };
  }
}

function printConnection(
  info: IntegrationInfo,
  { connection }: Awaited<ReturnType<typeof connectionCheck>>,
): void {
  if (!connection) return;
  if (connection.ok) {
    printLine(
      `Connected: logged in as "${info.settings.connection?.user ?? ''}"; \`abgleich sync ${info.name}\` reads it.`,
    );
    return;
  }
  process.stderr.write(
    `abgleich: warning: the connection does not work yet: ${connection.message} [${connection.code}]\n` +
      `  The settings are saved; correct them with \`abgleich integration set ${info.name} --url … --database … --user … --password-env VAR\`.\n`,
  );
}

/** "from files", "from Tryton at https://erp/, database firma". */
const sourceText = (i: IntegrationInfo): string =>
  i.source === 'file'
    ? 'from files'
    : `from Tryton at ${i.settings.connection?.url ?? '?'}, database ${i.settings.connection?.database ?? '?'}`;

const integrationJson = (i: IntegrationInfo) => ({
  name: i.name,
  entity: i.entity,
  source: i.source,
  settings: i.settings,
  fields: i.fields,
  lastRunAt: i.lastRunAt,
});

/** `--rule email=prefer-remote` → { email: 'prefer-remote' }, checked against the entity's fields. */
function parseRules(entity: EntityKind, specs: readonly string[]): Partial<Record<FieldName, FieldRule>> {
  const rules: Partial<Record<FieldName, FieldRule>> = {};
  for (const spec of specs) {
    const [field = '', rule = ''] = spec.split('=');
    const def = findFieldDef(entity, field);
    if (!def) fail('usage', `--rule ${spec}: ${entity}s have no field "${field}".`);
    if (!(FIELD_RULES as readonly string[]).includes(rule))
      fail('usage', `--rule ${spec}: the rule must be one of ${FIELD_RULES.join(', ')}.`);
    rules[def.name] = rule as FieldRule;
  }
  return rules;
}

const collect = (v: string, all: string[] = []) => [...all, v];
const yesNo = (v: string): boolean => {
  if (/^(yes|true|on|1|ja|j)$/i.test(v)) return true;
  if (/^(no|false|off|0|nein|nej|n)$/i.test(v)) return false;
  return fail('usage', `"${v}" is not yes or no.`);
};

/** A custom file type from a JSON file: `{ "name", "entity", "columns": { header: field }, "dateFormat", … }`. */
function readFileType(path: string, entity: EntityKind): FileType {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return fail(
      'usage',
      `--file-type ${path}: cannot read it as JSON (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const parsed = fileTypeSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({
      field: i.path.join('.'),
      value: '',
      reason: i.message,
    }));
    fail(
      'validation_failed',
      `--file-type ${path}: ${fields.map((f) => `${f.field || 'file type'} ${f.reason}`).join('; ')}`,
      { fields },
    );
  }
  if (parsed.data.entity !== entity) {
    fail(
      'validation_failed',
      `--file-type ${path} is for ${parsed.data.entity}s; the integration holds ${entity}s.`,
    );
  }
  return parsed.data as FileType;
}

function settingsFrom(
  entity: EntityKind,
  opts: Record<string, unknown>,
  current?: IntegrationSettings,
): Partial<IntegrationSettings> {
  const out: Partial<IntegrationSettings> = {};
  if (typeof opts.fileType === 'string') out.fileType = readFileType(opts.fileType, entity);
  if (opts.standardFormat === true) out.fileType = undefined;
  if (typeof opts.leadingZeros === 'string') out.ignoreLeadingZeros = !yesNo(opts.leadingZeros);
  if (typeof opts.contactPerson === 'string') out.syncContactPerson = yesNo(opts.contactPerson);
  if (typeof opts.interval === 'number') out.intervalMinutes = opts.interval;
  if (typeof opts.remoteDelete === 'string') out.remoteDelete = opts.remoteDelete as 'delete' | 'deactivate';
  const conn = ['url', 'database', 'user', 'category'] as const;
  if (conn.some((k) => typeof opts[k] === 'string')) {
    const base = current?.connection;
    const pick = (k: (typeof conn)[number]) =>
      typeof opts[k] === 'string' ? (opts[k] as string) : base?.[k];
    const category = pick('category');
    out.connection = {
      url: pick('url') ?? '',
      database: pick('database') ?? '',
      user: pick('user') ?? '',
      ...(category ? { category } : {}),
    };
  }
  if (Array.isArray(opts.rule))
    out.rules = { ...current?.rules, ...parseRules(entity, opts.rule as string[]) };
  return out;
}

const settingOptions = (cmd: Command): Command =>
  cmd
    .option(
      '--leading-zeros <significant>',
      'yes: numbers 007 and 7 differ; no (default): leading zeros are ignored',
    )
    .option('--contact-person <yes|no>', 'compare and exchange the customer contact person (default no)')
    .option('--rule <field=rule>', `a field rule, repeatable: ${FIELD_RULES.join(', ')}`, collect)
    .option(
      '--file-type <json>',
      "a custom file type: a JSON file mapping the layout's headers to fields (see README)",
    )
    .option('--standard-format', 'go back to the standard Abgleich format')
    .option('--url <url>', 'live ERP (Tryton): the server address, e.g. https://erp.example.com/')
    .option('--database <name>', 'live ERP: the database name')
    .option('--user <login>', 'live ERP: the user Abgleich logs in as')
    .option(
      '--password-env <VAR>',
      'live ERP: read the password from this environment variable (stored encrypted)',
    )
    .option('--no-check', 'live ERP: save the connection without logging in to try it')
    .option('--category <name>', 'Tryton customers: only parties in this party category')
    .addOption(
      wholeOption('--interval <minutes>', 'live ERP: the server syncs every this many minutes (default 15)', {
        min: 1,
        max: 1440,
      }),
    )
    .addOption(
      new Option(
        '--remote-delete <how>',
        'live ERP: "delete on the other side" deletes or deactivates there',
      ).choices(['delete', 'deactivate']),
    );

export function registerIntegrationCommands(program: Command): void {
  const group = program.command('integration').description('the remote sides Abgleich keeps in step with');
  settingOptions(
    group
      .command('add')
      .description('add an integration')
      .argument('<name>')
      .addOption(new Option('--entity <kind>', 'what it holds').choices(ENTITY_KINDS).makeOptionMandatory())
      .addOption(
        new Option('--source <source>', 'where its data comes from').choices(SOURCES).default('file'),
      )
      .option('--json', 'print JSON'),
  ).action(async (name: string, opts: Record<string, unknown>, cmd: Command) =>
    withApp(
      cmd,
      async (app) => {
        const entity = opts.entity as EntityKind;
        const info = await app.unit('integration-add', null, (unit) =>
          addIntegration(unit.db, app.workspace, unit.now, {
            name,
            entity,
            source: opts.source as Source,
            settings: settingsFrom(entity, opts),
          }).then(async (added) => {
            await savePassword(app, unit.db, added, opts, unit.now);
            return added;
          }),
        );
        const connection = await connectionCheck(app, info, opts);
        if (opts.json) printJson({ ...integrationJson(info), ...connection });
        else {
          printLine(`Added integration "${info.name}" (${info.entity}s ${sourceText(info)}).`);
          printConnection(info, connection);
        }
      },
      { mayCreate: true },
    ),
  );
  settingOptions(
    group
      .command('set')
      .description('change settings of an integration')
      .argument('<name>')
      .option('--json', 'print JSON'),
  ).action(async (name: string, opts: Record<string, unknown>, cmd: Command) =>
    withApp(cmd, async (app) => {
      const {
        integration: info,
        effect,
        changeSet,
      } = await app.unit('integration-set', null, async (unit) => {
        const current = await getIntegration(unit.db, app.workspace, name);
        const change = await changeSettings(
          unit,
          current,
          settingsFrom(current.entity, opts, current.settings),
        );
        await savePassword(app, unit.db, change.integration, opts, unit.now);
        return { ...change, changeSet: unit.changeSetId ?? null };
      });
      const connection = await connectionCheck(app, info, opts);
      if (opts.json)
        printJson({ ...integrationJson(info), ...connection, changed: { ...effect, changeSet } });
      else {
        printLine(`Saved the settings of "${info.name}".`);
        printSettingsEffect(effect, changeSet);
        printConnection(info, connection);
      }
    }),
  );
  group
    .command('list')
    .description('list integrations')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      withApp(cmd, async (app) => {
        const all = await listIntegrations(app.db.kysely, app.workspace);
        if (opts.json) return printJson({ integrations: all.map(integrationJson) });
        if (all.length === 0)
          return printLine(
            'No integrations yet. Add one with: abgleich integration add <name> --entity employee',
          );
        printTable(
          ['name', 'entity', 'source', 'last run'],
          all.map((i) => [i.name, i.entity, i.source, i.lastRunAt ?? 'never']),
        );
      }),
    );
  group
    .command('show')
    .description('show an integration with its settings and overview counts')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) =>
      withApp(cmd, async (app) => {
        const info = await getIntegration(app.db.kysely, app.workspace, name);
        const counts = await countItems(app.db.kysely, info);
        if (opts.json) return printJson({ ...integrationJson(info), counts });
        printTable(
          ['setting', 'value'],
          [
            ['name', info.name],
            ['entity', info.entity],
            ['source', info.source],
            ['leading zeros ignored', info.settings.ignoreLeadingZeros ? 'yes' : 'no'],
            ['contact person synced', info.settings.syncContactPerson ? 'yes' : 'no'],
            [
              'field rules',
              Object.entries(info.settings.rules)
                .map(([f, r]) => `${f}=${r}`)
                .join(', ') || 'two-way for all',
            ],
            ['file type', info.settings.fileType ? (info.settings.fileType as FileType).name : 'standard'],
            ...(info.settings.connection
              ? [
                  ['url', info.settings.connection.url],
                  ['database', info.settings.connection.database],
                  ['user', info.settings.connection.user],
                  ['password', 'stored encrypted (never shown)'],
                  ['party category', info.settings.connection.category ?? 'any (not company, not employees)'],
                  ['sync interval', `${info.settings.intervalMinutes} min`],
                  ['delete on the other side', info.settings.remoteDelete],
                ]
              : []),
            ['fields of the last run', info.fields.join(', ') || '—'],
            ['last run', info.lastRunAt ?? 'never'],
            ...Object.entries(counts).map(([c, n]) => [c, n]),
          ],
          80,
        );
      }),
    );
  group
    .command('remove')
    .description('remove an integration and its overview (the registry stays as it is)')
    .argument('<name>')
    .option('--yes', 'do not ask first (on a terminal it asks for the name; scripts are not asked)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nIts items go with it: links, agreed values, decisions and the outbox. There is no undo; the ' +
        'registry records and the history stay.',
    )
    .action(async (name: string, opts: { json?: boolean; yes?: boolean }, cmd: Command) =>
      withApp(cmd, async (app) => {
        const integration = await getIntegration(app.db.kysely, app.workspace, name);
        if (!opts.yes && process.stdin.isTTY && process.stderr.isTTY) {
          const counts = await countItems(app.db.kysely, integration);
          const items = Object.values(counts).reduce((a, b) => a + b, 0);
          const typed = await askLine(
            `"${name}" has ${items} items (${counts.synced} synced, ${counts.conflict} conflicts); their ` +
              'links, agreed values and decisions go with it and cannot be undone. The registry stays.\n' +
              `Type the name to remove it: `,
          );
          if (typed.trim() !== name) {
            printLine('Nothing was removed.');
            return;
          }
        }
        await app.unit('integration-remove', null, async (unit) =>
          removeIntegration(unit.db, await getIntegration(unit.db, app.workspace, name)),
        );
        if (opts.json) printJson({ removed: name });
        else printLine(`Removed integration "${name}".`);
      }),
    );
}

/** What new settings did to the items: a rule may have written registry values (SYNC.md §5). */
function printSettingsEffect(effect: SettingsEffect, changeSet: number | null): void {
  if (effect.items === 0) return;
  const values = effect.localFieldsChanged;
  printLine(
    `  ${effect.items} item${effect.items === 1 ? '' : 's'} of the overview changed with them` +
      (values > 0
        ? `; ${values} value${values === 1 ? '' : 's'} in the registry overwritten by the new rules`
        : '') +
      (changeSet !== null ? ` (change ${changeSet} in the history)` : '') +
      '.',
  );
}

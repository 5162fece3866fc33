/** Integrations: list, show, create, change settings and rules, remove. */
import { integrations as api } from '../../api/index.js';
import type { EntityKind, FieldName } from '../../core/fields.js';
import { findFieldDef } from '../../core/fields.js';
import { fail } from '../../core/errors.js';
import type { FieldRule } from '../../core/model.js';
import type { FileType } from '../../formats/file-type.js';
import { fileTypeSchema } from '../../formats/file-type.js';
import type { App } from '../../sync/app.js';
import {
  addIntegration,
  getIntegration,
  listIntegrations,
  removeIntegration,
} from '../../sync/integrations.js';
import { changeSettings } from '../../sync/settings-change.js';
import { countItems } from '../../sync/overview.js';
import { storeSecret } from '../../sync/secrets.js';
import type { IntegrationInfo, IntegrationSettings } from '../../sync/settings.js';
import type { Unit } from '../../sync/unit.js';
import type { Route } from '../context.js';
import { route } from '../context.js';
import { integrationView } from '../views.js';

type Patch = {
  ignoreLeadingZeros?: boolean | undefined;
  syncContactPerson?: boolean | undefined;
  rules?: Record<string, FieldRule> | undefined;
  fileType?: unknown;
  remoteDelete?: 'delete' | 'deactivate' | undefined;
  intervalMinutes?: number | undefined;
  connection?: Connection | undefined;
};

type Connection = {
  url: string;
  database: string;
  user: string;
  password?: string | undefined;
  category?: string | null | undefined;
};

/** The settings change, checked against the entity: unknown fields and bad file types name every problem. */
function settingsChange(
  entity: EntityKind,
  patch: Patch,
  current?: IntegrationSettings,
): Partial<IntegrationSettings> {
  const problems: { path: string; message: string }[] = [];
  const out: Partial<IntegrationSettings> = {};
  if (patch.ignoreLeadingZeros !== undefined) out.ignoreLeadingZeros = patch.ignoreLeadingZeros;
  if (patch.syncContactPerson !== undefined) out.syncContactPerson = patch.syncContactPerson;
  if (patch.remoteDelete !== undefined) out.remoteDelete = patch.remoteDelete;
  if (patch.intervalMinutes !== undefined) out.intervalMinutes = patch.intervalMinutes;
  if (patch.connection !== undefined) {
    const { url, database, user } = patch.connection;
    const category =
      patch.connection.category === undefined ? current?.connection?.category : patch.connection.category;
    out.connection = { url, database, user, ...(category ? { category } : {}) };
  }
  if (patch.rules !== undefined) {
    const rules: Partial<Record<FieldName, FieldRule>> = { ...current?.rules };
    for (const [field, rule] of Object.entries(patch.rules)) {
      const def = findFieldDef(entity, field);
      if (!def) problems.push({ path: `rules.${field}`, message: `${entity}s have no field "${field}"` });
      else if (rule === 'two-way') delete rules[def.name];
      else rules[def.name] = rule;
    }
    out.rules = rules as Record<string, FieldRule>;
  }
  if (patch.fileType === null) out.fileType = undefined;
  else if (patch.fileType !== undefined) {
    const parsed = fileTypeSchema.safeParse(patch.fileType);
    if (!parsed.success)
      for (const i of parsed.error.issues)
        problems.push({ path: ['fileType', ...i.path.map(String)].join('.'), message: i.message });
    else if (parsed.data.entity !== entity)
      problems.push({ path: 'fileType.entity', message: `the integration holds ${entity}s` });
    else out.fileType = parsed.data as FileType;
  }
  if (problems.length > 0)
    fail(
      'validation_failed',
      `The settings are not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  return out;
}

/**
 * A live integration's password goes to the encrypted store (never into settings); one without a
 * connection and a stored password is refused, and nothing is added.
 */
async function savePassword(
  unit: Unit,
  app: App,
  info: IntegrationInfo,
  password: string | undefined,
): Promise<void> {
  if (info.source === 'file') {
    if (info.settings.connection)
      fail('validation_failed', 'A file integration has no connection.', [
        { path: 'body.connection', message: 'only for live integrations (source "tryton")' },
      ]);
    return;
  }
  if (!info.settings.connection)
    fail('validation_failed', `A ${info.source} integration needs its connection.`, [
      { path: 'body.settings.connection', message: 'url, database and user are required' },
    ]);
  if (password !== undefined) {
    if (!app.options.secrets)
      fail('secret_key_missing', 'No secret key is configured for stored credentials.');
    await storeSecret(unit.db, app.options.secrets(), info.id, password, unit.now);
  } else if (
    !(await unit.db
      .selectFrom('integration_secret')
      .select('integration_id')
      .where('integration_id', '=', info.id)
      .executeTakeFirst())
  )
    fail('validation_failed', `A ${info.source} integration needs the password of its user.`, [
      { path: 'body.settings.connection.password', message: 'required' },
    ]);
}

const view = async (app: App, i: IntegrationInfo) => integrationView(i, await countItems(app.db.kysely, i));

export const integrationRoutes: Route[] = [
  route(api.listIntegrations, async ({ readApp }) => {
    const app = readApp();
    const all = await listIntegrations(app.db.kysely, app.workspace);
    return { integrations: await Promise.all(all.map((i) => view(app, i))) };
  }),
  route(api.showIntegration, async ({ params, readApp }) => {
    const app = readApp();
    return { integration: await view(app, await getIntegration(app.db.kysely, app.workspace, params.name)) };
  }),
  route(api.createIntegration, async ({ body, app: appOf }) => {
    const app = appOf();
    await app.ensureWorkspace();
    const info = await app.unit('integration-add', null, async (unit) => {
      const added = await addIntegration(unit.db, app.workspace, unit.now, {
        name: body.name,
        entity: body.entity,
        source: body.source,
        settings: settingsChange(body.entity, body.settings ?? {}),
      });
      await savePassword(unit, app, added, body.settings?.connection?.password);
      return added;
    });
    return { integration: await view(app, info) };
  }),
  route(api.updateIntegration, async ({ params, body, app: appOf }) => {
    const app = appOf();
    const {
      integration: info,
      effect,
      changeSet,
    } = await app.unit('integration-set', null, async (unit) => {
      const current = await getIntegration(unit.db, app.workspace, params.name);
      const change = await changeSettings(
        unit,
        current,
        settingsChange(current.entity, body, current.settings),
      );
      await savePassword(unit, app, change.integration, body.connection?.password);
      return { ...change, changeSet: unit.changeSetId ?? null };
    });
    return { integration: await view(app, info), changed: { ...effect, changeSet } };
  }),
  route(api.removeIntegration, async ({ params, app: appOf }) => {
    const app = appOf();
    await app.unit('integration-remove', null, async (unit) =>
      removeIntegration(unit.db, await getIntegration(unit.db, app.workspace, params.name)),
    );
    return undefined;
  }),
];

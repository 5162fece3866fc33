/** Integrations: add, list, show, change settings, remove (SYNC.md §2). */
import type { z } from 'zod';
import type { EntityKind, FieldName } from '../core/fields.js';
import { fail } from '../core/errors.js';
import type { Executor } from '../store/executor.js';
import type { IntegrationRow } from '../store/schema.js';
import type { IntegrationInfo, IntegrationSettings, Source } from './settings.js';
import { parseSettings, settingsSchema } from './settings.js';
import { ensureLocalItems } from './local-items.js';

export const toIntegration = (row: IntegrationRow): IntegrationInfo => ({
  id: row.id,
  workspace: row.workspace_id,
  name: row.name,
  entity: row.entity as EntityKind,
  source: row.source as Source,
  settings: parseSettings(row.settings),
  fields: JSON.parse(row.fields) as FieldName[],
  lastRunAt: row.last_run_at,
});

export async function findIntegration(
  db: Executor,
  workspace: string,
  name: string,
): Promise<IntegrationInfo | undefined> {
  const row = await db
    .selectFrom('integration')
    .selectAll()
    .where('workspace_id', '=', workspace)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toIntegration(row) : undefined;
}

export async function getIntegration(
  db: Executor,
  workspace: string,
  name: string,
): Promise<IntegrationInfo> {
  return (
    (await findIntegration(db, workspace, name)) ??
    fail('not_found', `There is no integration "${name}".`, { integration: name })
  );
}

export async function listIntegrations(db: Executor, workspace: string): Promise<IntegrationInfo[]> {
  const rows = await db
    .selectFrom('integration')
    .selectAll()
    .where('workspace_id', '=', workspace)
    .orderBy('name')
    .execute();
  return rows.map(toIntegration);
}

export interface NewIntegration {
  readonly name: string;
  readonly entity: EntityKind;
  readonly source: Source;
  readonly settings?: Partial<IntegrationSettings>;
}

export async function addIntegration(
  db: Executor,
  workspace: string,
  now: string,
  input: NewIntegration,
): Promise<IntegrationInfo> {
  if (!/^[\p{L}\p{N}][\p{L}\p{N}_.-]{0,63}$/u.test(input.name)) {
    fail(
      'validation_failed',
      `"${input.name}" is not a usable integration name (letters, digits, "-", "_", ".", at most 64).`,
      {
        field: 'name',
      },
    );
  }
  // "Lohn" beside "lohn" reads as one integration in every list and filter: names differ by more than case.
  const folded = input.name.toLocaleLowerCase();
  const taken = (
    await db.selectFrom('integration').select('name').where('workspace_id', '=', workspace).execute()
  )
    .map((r) => r.name)
    .find((name) => name.toLocaleLowerCase() === folded);
  if (taken !== undefined) {
    fail(
      'already_exists',
      taken === input.name
        ? `An integration named "${input.name}" exists already.`
        : `An integration named "${taken}" exists already; names must differ by more than capital letters.`,
      { integration: taken },
    );
  }
  const parsed = settingsSchema.safeParse(input.settings ?? {});
  if (!parsed.success) refuseSettings(parsed.error.issues);
  const row = await db
    .insertInto('integration')
    .values({
      workspace_id: workspace,
      name: input.name,
      entity: input.entity,
      source: input.source,
      settings: JSON.stringify(parsed.data),
      fields: '[]',
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const info = toIntegration(row);
  await ensureLocalItems(db, info, now);
  return info;
}

export async function updateSettings(
  db: Executor,
  integration: IntegrationInfo,
  now: string,
  change: Partial<IntegrationSettings>,
): Promise<IntegrationInfo> {
  const parsed = settingsSchema.safeParse({ ...integration.settings, ...change });
  if (!parsed.success) refuseSettings(parsed.error.issues);
  await db
    .updateTable('integration')
    .set({ settings: JSON.stringify(parsed.data), updated_at: now })
    .where('id', '=', integration.id)
    .execute();
  return { ...integration, settings: parsed.data! };
}

export async function removeIntegration(db: Executor, integration: IntegrationInfo): Promise<void> {
  await db.deleteFrom('outbox').where('integration_id', '=', integration.id).execute();
  for (const table of ['remote_ref', 'sync_state', 'integration_secret', 'sync_run'] as const)
    await db.deleteFrom(table).where('integration_id', '=', integration.id).execute();
  await db.deleteFrom('item').where('integration_id', '=', integration.id).execute();
  await db
    .updateTable('change_set')
    .set({ integration_id: null })
    .where('integration_id', '=', integration.id)
    .execute();
  await db.deleteFrom('category_count').where('integration_id', '=', integration.id).execute();
  await db.deleteFrom('integration').where('id', '=', integration.id).execute();
}

/**
 * Settings the schema refuses, each named by its path and said in words ("connection.user is missing"),
 * not only counted: the command line has no form that would point at the field. The issues go along.
 */
function refuseSettings(issues: readonly z.core.$ZodIssue[]): never {
  const said = issues.map((i) => {
    const path = i.path.join('.');
    const empty = i.code === 'too_small' && i.origin === 'string' && Number(i.minimum) === 1;
    if (empty || (i.code === 'invalid_type' && /received undefined/.test(i.message)))
      return `${path} is missing`;
    if (i.code === 'invalid_format' && 'format' in i && i.format === 'url')
      return `${path} is not an http(s) address`;
    return `${path}: ${i.message}`;
  });
  return fail('validation_failed', `The integration settings are not valid: ${said.join('; ')}.`, issues);
}

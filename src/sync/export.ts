/**
 * The export file (FORMATS.md "Export"): the records the remote side lacks (partners to create, records
 * to restore) and the corrections it should take (linked records whose local values are ahead of it,
 * not while they wait in `conflict`), in the integration's file type and the user's language.
 */
import type { FieldName, FieldValues } from '../core/fields.js';
import { FIELDS_OF, getFieldDef } from '../core/fields.js';
import { compareKey, withCounterpartCodes } from '../core/compare.js';
import type { FileType } from '../formats/file-type.js';
import { standardFileType } from '../formats/file-type.js';
import type { Language } from '../formats/headers.js';
import { writeRecords } from '../formats/write.js';
import type { App } from './app.js';
import { remoteValuesOf, withLocals } from './items.js';
import { getIntegration } from './integrations.js';
import type { IntegrationInfo } from './settings.js';
import { comparedFields } from './settings.js';
import { itemPage } from '../store/keyset.js';

export interface ExportOptions {
  readonly language: Language;
  /** Every local record of the integration, not only what the remote side lacks or should correct. */
  readonly all?: boolean;
}

export interface ExportReport {
  readonly integration: string;
  readonly path: string;
  readonly rows: number;
  readonly fields: readonly FieldName[];
}

const PAGE = 1000;

export async function exportFile(
  app: App,
  integrationName: string,
  path: string,
  opts: ExportOptions,
): Promise<ExportReport> {
  const integration = await getIntegration(app.db.kysely, app.workspace, integrationName);
  const fields = integration.fields.length > 0 ? integration.fields : FIELDS_OF[integration.entity];
  const fileType =
    (integration.settings.fileType as FileType | undefined) ?? standardFileType(integration.entity);
  const result = await writeRecords(path, exportedRecords(app, integration, opts.all === true), {
    fileType,
    language: opts.language,
    fields,
  });
  return { integration: integration.name, path, rows: result.rows, fields: result.fields };
}

/**
 * Whether a linked record goes out in the export file as a correction: a compared field whose local
 * value the remote side should take. The item page says so too (`inExport`).
 */
export function isCorrection(
  integration: IntegrationInfo,
): (localValues: FieldValues, remoteValues: FieldValues) => boolean {
  const kind = integration.entity;
  const rules = integration.settings.rules;
  // The file's rows are matched by number: a number that differs (chosen when the partner was made, or
  // edited since) cannot be told to the payroll this way, and a row under it would be a new record there.
  const compared = exchangedFields(integration).filter((f) => f !== 'number');
  /**
   * Whether the payroll should take a local value: compared as the engine compares (a phone without its
   * own code read with the counterpart's), never to clear a sensitive value (an archived record's SSN is
   * wiped for privacy, not because the payroll should forget it), and not where the remote side's value
   * wins unless it is empty.
   */
  return (localValues: FieldValues, remoteValues: FieldValues) => {
    const local = withCounterpartCodes(kind, localValues, remoteValues);
    const remote = withCounterpartCodes(kind, remoteValues, localValues);
    return compared.some((f) => {
      if (!local[f] && getFieldDef(kind, f).sensitive) return false;
      if (rules[f] === 'prefer-remote-unless-empty' && remote[f]) return false;
      return (
        compareKey(kind, f, local, integration.settings) !== compareKey(kind, f, remote, integration.settings)
      );
    });
  };
}

/**
 * The fields whose local value the remote side may be given: compared, and not where its own value wins
 * (`ignore`, `prefer-remote`; the contact person while its sync is off is not compared at all).
 */
function exchangedFields(integration: IntegrationInfo): FieldName[] {
  const rules = integration.settings.rules;
  return comparedFields(integration.entity, integration.fields, integration.settings).filter((f) => {
    const rule = rules[f];
    return rule !== 'ignore' && rule !== 'prefer-remote';
  });
}

/**
 * The row a linked record goes out as: the local values where the remote side should take them, and the
 * remote side's own values everywhere else — an ignored field, the contact person while its sync is off,
 * a field where the remote value wins, a sensitive value wiped locally. A payroll that reads the file
 * overwrites whole rows; a local value there would overwrite what it alone decides.
 */
function linkedRow(
  integration: IntegrationInfo,
): (local: FieldValues, remote: FieldValues) => Partial<Record<FieldName, string>> {
  const kind = integration.entity;
  const rules = integration.settings.rules;
  const exchanged = new Set(exchangedFields(integration));
  return (local, remote) => {
    const row: Partial<Record<FieldName, string>> = { ...local };
    for (const f of FIELDS_OF[kind]) {
      const theirs = remote[f];
      if (theirs === undefined) continue;
      const keepTheirs =
        !exchanged.has(f) ||
        (rules[f] === 'prefer-remote-unless-empty' && theirs !== '') ||
        (!local[f] && getFieldDef(kind, f).sensitive === true);
      if (keepTheirs) row[f] = theirs;
    }
    return row;
  };
}

async function* exportedRecords(
  app: App,
  integration: IntegrationInfo,
  all: boolean,
): AsyncGenerator<FieldValues> {
  const ahead = isCorrection(integration);
  const rowOf = linkedRow(integration);
  let after = 0;
  for (;;) {
    const rows = await itemPage(app.db.kysely, integration.id, after, PAGE)
      .selectAll()
      .where('local_id', 'is not', null)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    for (const item of await withLocals(app.db.kysely, rows)) {
      const local = item.local;
      if (!local || local.archivedAt !== null) continue;
      const r = item.row;
      const remote = remoteValuesOf(r);
      const lacking = r.exported_at !== null && (r.linked === 0 || r.remote_deleted === 1);
      // An open conflict goes out once decided: before, the payroll would take a value nobody chose.
      const correction =
        r.category !== 'conflict' &&
        r.linked === 1 &&
        r.sync_enabled === 1 &&
        r.remote_deleted === 0 &&
        remote !== null &&
        ahead(local.values, remote);
      if (!(all || lacking || correction)) continue;
      // A linked record goes out under the number the remote side knows it by (the payroll matches its
      // rows by that text): with leading zeros ignored local 123 is its 00123, and a number chosen apart
      // from the file's when the partner was made stays the registry's own.
      const values = r.linked === 1 && remote !== null ? rowOf(local.values, remote) : local.values;
      yield r.linked === 1 && remote?.number ? { ...values, number: remote.number } : values;
    }
  }
}

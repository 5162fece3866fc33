/** `abgleich employee|customer add|edit|archive|restore|list|show`: the local registry. */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { EntityKind, FieldName } from '../../core/fields.js';
import { A_KIND, ENTITY_KINDS, FIELDS_OF, getFieldDef, maskedValues } from '../../core/fields.js';
import type { LocalRecord } from '../../store/records.js';
import { countLocal, listLocal } from '../../store/records.js';
import { createCustomer, SYNC_CHOICES } from '../../sync/customer-prompt.js';
import type { SyncChoice } from '../../sync/customer-prompt.js';
import {
  archiveRecord,
  createRecord,
  editRecord,
  getRecord,
  restoreRecord,
  valueWarnings,
} from '../../sync/registry.js';
import type { Overridden } from '../../sync/registry.js';
import { withApp } from '../context.js';
import { wholeOption } from '../numbers.js';
import { printJson, printLine, printTable } from '../output.js';

export const kebab = (field: string): string => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const n = (x: number): string => x.toLocaleString('en');
const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The record's public JSON shape: fields as strings, `active` as a boolean. */
/** What became of a new customer in a live integration: linked by number, created there, or waiting. */
function syncText(category: string, sync: unknown): string {
  if (category === 'synced' || category === 'conflict')
    return `linked by number with the record there (${category})`;
  if (category === 'disabled') return 'not synchronised';
  return sync === 'now' ? 'to be created there at the next sync' : 'decide later (new)';
}

/** Why an edited value did not stay: a field rule took the integration's value again. */
const overriddenText = (o: Overridden): string =>
  `${o.field} went back to ${o.value ? `"${o.value}"` : 'empty'}: ${
    o.integrations.length > 0
      ? `the integration ${o.integrations.map((n) => `"${n}"`).join(', ')} prefers its own value (field rule)`
      : 'a field rule of an integration prefers its own value'
  }`;

export function recordJson(r: LocalRecord, reveal = false): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const values = reveal ? r.values : maskedValues(r.values);
  for (const f of FIELDS_OF[r.kind]) {
    const v = values[f] ?? '';
    fields[f] = f === 'active' ? v !== 'false' : v;
  }
  return {
    id: r.id,
    kind: r.kind,
    ...fields,
    archived: r.archivedAt !== null,
    archivedAt: r.archivedAt,
    version: r.version,
    updatedAt: r.updatedAt,
  };
}

/** A flag per field; `required` marks the fields a new record needs (an edit needs none). */
function addFieldOptions(cmd: Command, kind: EntityKind, required: boolean): Command {
  for (const field of FIELDS_OF[kind]) {
    const def = getFieldDef(kind, field);
    const hint =
      def.kind === 'boolean'
        ? 'yes|no'
        : def.kind === 'date'
          ? 'date'
          : def.kind === 'customerType'
            ? 'business|private'
            : 'value';
    const note =
      required && def.required
        ? ' (required)'
        : required && def.kind === 'customerType'
          ? ' (default business)'
          : '';
    cmd.addOption(new Option(`--${kebab(field)} <${hint}>`, `${field}${note}`));
  }
  return cmd;
}

function fieldValues(kind: EntityKind, opts: Record<string, unknown>): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const field of FIELDS_OF[kind]) {
    const v = opts[camel(kebab(field))];
    if (typeof v === 'string') raw[field] = v;
  }
  return raw;
}

function show(r: LocalRecord, json: boolean, reveal: boolean): void {
  if (json) return printJson(recordJson(r, reveal));
  const values = reveal ? r.values : maskedValues(r.values);
  const rows = FIELDS_OF[r.kind].map((f: FieldName) => [f, values[f] ?? '']);
  printTable(['field', 'value'], [...rows, ['archived', r.archivedAt ?? 'no'], ['version', r.version]], 60);
}

/** `--sync`: customers only (the sync choice of SYNC.md §7 "creating a customer"); employees have none. */
function withSyncOption(cmd: Command, kind: EntityKind): Command {
  if (kind !== 'customer') return cmd;
  return cmd.addOption(
    new Option(
      '--sync <choice>',
      'when a live ERP integration holds customers: create it there now, never sync it, or decide later',
    ).choices(SYNC_CHOICES),
  );
}

export function registerRecordCommands(program: Command): void {
  for (const kind of ENTITY_KINDS) {
    const group = program.command(kind).description(`the ${kind}s of the registry`);
    addFieldOptions(
      withSyncOption(
        group
          .command('add')
          .description(`create ${A_KIND[kind]}`)
          .argument('[number]', `the ${kind} number (or --number)`),
        kind,
      ).option('--json', 'print JSON'),
      kind,
      true,
    ).action(async (number: string | undefined, opts: Record<string, unknown>, cmd: Command) =>
      withApp(
        cmd,
        async (app) => {
          const raw = fieldValues(kind, opts);
          if (number !== undefined) raw.number = number;
          raw.number ??= '';
          raw.name ??= '';
          const created = await app.unit('create', null, async (unit) =>
            kind === 'customer'
              ? createCustomer(unit, raw, opts.sync as SyncChoice | undefined)
              : { record: await createRecord(unit, kind, raw), integrations: [] },
          );
          const record = created.record;
          const warnings = valueWarnings(kind, raw);
          if (opts.json) printJson({ ...recordJson(record), integrations: created.integrations, warnings });
          else {
            printLine(`Created ${kind} ${record.number} "${record.values.name ?? ''}".`);
            for (const i of created.integrations)
              printLine(`  ${i.name}: ${syncText(i.category, opts.sync)}`);
            for (const w of warnings) printLine(`  warning: ${w}`);
          }
        },
        { mayCreate: true },
      ),
    );
    addFieldOptions(
      group
        .command('edit')
        .description(`change fields of ${A_KIND[kind]}; an empty value ("") clears a field`)
        .argument('<number>')
        .addOption(wholeOption('--expect-version <n>', 'refuse if the record changed since this version'))
        .option('--json', 'print JSON'),
      kind,
      false,
    ).action(async (number: string, opts: Record<string, unknown>, cmd: Command) =>
      withApp(cmd, async (app) => {
        const record = await app.unit('edit', null, async (unit) =>
          editRecord(
            unit,
            await getRecord(unit.db, app.workspace, kind, number),
            fieldValues(kind, opts),
            opts.expectVersion as number | undefined,
          ),
        );
        const warnings = [
          ...valueWarnings(kind, fieldValues(kind, opts)),
          ...record.overridden.map(overriddenText),
        ];
        if (opts.json) printJson({ ...recordJson(record), warnings, overridden: record.overridden });
        else {
          printLine(`Saved ${kind} ${record.number} (version ${record.version}).`);
          for (const w of warnings) printLine(`  warning: ${w}`);
        }
      }),
    );
    for (const [verb, description, fn] of [
      [
        'archive',
        `archive (delete) ${A_KIND[kind]}; restorable${FIELDS_OF[kind].includes('ssn') ? '; wipes the SSN, from its history too' : ''}`,
        archiveRecord,
      ],
      ['restore', `restore an archived ${kind}`, restoreRecord],
    ] as const) {
      group
        .command(verb)
        .description(description)
        .argument('<number>')
        .option('--json', 'print JSON')
        .action(async (number: string, opts: { json?: boolean }, cmd: Command) =>
          withApp(cmd, async (app) => {
            const record = await app.unit(verb, null, async (unit) =>
              // Restoring means the archived record, even when a newer one holds the number now.
              fn(
                unit,
                await getRecord(
                  unit.db,
                  app.workspace,
                  kind,
                  number,
                  verb === 'restore' ? 'archived' : 'live',
                ),
              ),
            );
            if (opts.json) printJson(recordJson(record));
            else printLine(`${verb === 'archive' ? 'Archived' : 'Restored'} ${kind} ${record.number}.`);
          }),
        );
    }
    group
      .command('show')
      .description(`show one ${kind}`)
      .argument('<number>')
      .option('--reveal', 'show sensitive values (SSN, bank details) in clear')
      .option('--json', 'print JSON')
      .action(async (number: string, opts: { json?: boolean; reveal?: boolean }, cmd: Command) =>
        withApp(cmd, async (app) =>
          show(
            await getRecord(app.db.kysely, app.workspace, kind, number),
            opts.json === true,
            opts.reveal === true,
          ),
        ),
      );
    group
      .command('list')
      .description(`list ${kind}s`)
      .option('--search <text>', 'by number, name or any value')
      .option('--archived', 'list the archive instead')
      .addOption(wholeOption('--limit <n>', 'at most this many', { min: 1 }, 100))
      .addOption(wholeOption('--offset <n>', 'skip this many', {}, 0))
      .option('--reveal', 'show sensitive values (SSN, bank details) in clear')
      .option('--json', 'print JSON')
      .action(
        async (
          opts: {
            search?: string;
            archived?: boolean;
            limit: number;
            offset: number;
            reveal?: boolean;
            json?: boolean;
          },
          cmd: Command,
        ) =>
          withApp(cmd, async (app) => {
            const query = {
              workspace: app.workspace,
              kind,
              archived: opts.archived === true,
              limit: opts.limit,
              offset: opts.offset,
              ...(opts.search ? { search: opts.search } : {}),
            };
            const records = await listLocal(app.db.kysely, app.db.dialect, query);
            if (opts.json)
              return printJson({ [`${kind}s`]: records.map((r) => recordJson(r, opts.reveal === true)) });
            const count = (archived: boolean) =>
              countLocal(app.db.kysely, app.db.dialect, { ...query, archived });
            if (records.length === 0) {
              // Nothing here may still be something in the other list: say so rather than "none".
              const other = opts.offset === 0 ? await count(!query.archived) : 0;
              const hint =
                other === 0
                  ? ''
                  : query.archived
                    ? ` (${n(other)} not archived: leave out --archived)`
                    : ` (${n(other)} in the archive: add --archived)`;
              return printLine(
                `No ${query.archived ? 'archived ' : ''}${kind}s${opts.search ? ` match "${opts.search}"` : ''}${hint}.`,
              );
            }
            printTable(
              ['number', 'name', 'city', 'e-mail', 'active'],
              records.map((r) => [
                r.number,
                r.values.name,
                r.values.city,
                r.values.email,
                r.values.active === 'false' ? 'no' : 'yes',
              ]),
            );
            if (records.length === opts.limit) {
              const total = await count(query.archived);
              const last = opts.offset + records.length;
              if (total > last)
                printLine(
                  `${n(opts.offset + 1)}–${n(last)} of ${n(total)}; the next ones: --offset ${last} (or a larger --limit)`,
                );
            }
          }),
      );
  }
}

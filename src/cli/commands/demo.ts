/**
 * `abgleich demo`: builds a demo workspace — registry, a German payroll file integration and a Danish
 * ERP customer list — runs two imports each and one action, and prints both overviews.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { EntityKind } from '../../core/fields.js';
import type { Language } from '../../formats/headers.js';
import { setSyncEnabled } from '../../sync/actions.js';
import type { App } from '../../sync/app.js';
import { runAction } from '../../sync/bulk.js';
import { importFile } from '../../sync/import-file.js';
import { addIntegration, findIntegration, getIntegration } from '../../sync/integrations.js';
import { countItems, listItems } from '../../sync/overview.js';
import { archiveRecord, createRecord, getRecord } from '../../sync/registry.js';
import { withApp } from '../context.js';
import * as demo from '../demo/data.js';
import { writeDemoFile } from '../demo/files.js';
import { printJson, printLine, printTable } from '../output.js';
import { CATEGORY_LABELS } from './overview.js';
import { CATEGORIES } from '../../core/model.js';

const PAYROLL = 'lohn';
const ERP = 'erp-kunden';

async function itemIdOf(app: App, integration: string, number: string): Promise<number> {
  const info = await getIntegration(app.db.kysely, app.workspace, integration);
  const { items } = await listItems(app.db.kysely, info, { search: number, limit: 5 });
  const item = items.find((i) => i.number === number);
  if (!item) throw new Error(`demo: no item ${number} in ${integration}`);
  return item.id;
}

/** Build the demo data into `app`'s workspace (files written to `dir`); also used by `serve --demo`. */
export async function buildDemo(app: App, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await app.unit('demo', null, async (unit) => {
    for (const raw of demo.LOCAL_EMPLOYEES) await createRecord(unit, 'employee', raw, 'demo data');
    for (const raw of demo.LOCAL_CUSTOMERS) await createRecord(unit, 'customer', raw, 'demo data');
    for (const n of demo.ARCHIVED_EMPLOYEES)
      await archiveRecord(unit, await getRecord(unit.db, app.workspace, 'employee', n), 'demo data');
    await addIntegration(unit.db, app.workspace, unit.now, {
      name: PAYROLL,
      entity: 'employee',
      source: 'file',
    });
    await addIntegration(unit.db, app.workspace, unit.now, { name: ERP, entity: 'customer', source: 'file' });
  });
  const files: [string, EntityKind, Language, readonly Record<string, string>[], string][] = [
    [PAYROLL, 'employee', 'de', demo.PAYROLL_1, 'lohn-oktober.csv'],
    [ERP, 'customer', 'da', demo.ERP_1, 'kunder-oktober.xlsx'],
  ];
  for (const [integration, entity, lang, rows, name] of files) {
    await importFile(app, integration, await writeDemoFile(join(dir, name), entity, lang, rows));
  }
  for (const [integration, number] of [
    [PAYROLL, demo.DISABLED_EMPLOYEE],
    [ERP, demo.DISABLED_CUSTOMER],
  ] as const) {
    await runAction(
      app,
      integration,
      'disable',
      { ids: [await itemIdOf(app, integration, number)] },
      (u, i, item) => setSyncEnabled(u, i, item, false),
    );
  }
  await importFile(
    app,
    PAYROLL,
    await writeDemoFile(join(dir, 'lohn-november.csv'), 'employee', 'de', demo.PAYROLL_2),
  );
  await importFile(
    app,
    ERP,
    await writeDemoFile(join(dir, 'kunder-november.xlsx'), 'customer', 'da', demo.ERP_2),
  );
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'build a demo workspace ("demo" unless --workspace says otherwise) whose overviews fill all six categories, and print them',
    )
    .option('--dir <path>', 'where the demo files are written', './data/demo')
    .option('--json', 'print JSON')
    .action(async (opts: { dir: string; json?: boolean }, cmd: Command) => {
      if (!cmd.optsWithGlobals<{ workspace?: string }>().workspace)
        program.setOptionValue('workspace', 'demo');
      await withApp(
        cmd,
        async (app) => {
          const exists = await findIntegration(app.db.kysely, app.workspace, PAYROLL);
          if (!exists) await buildDemo(app, resolve(opts.dir));
          const overviews = [];
          for (const name of [PAYROLL, ERP]) {
            const info = await getIntegration(app.db.kysely, app.workspace, name);
            overviews.push({ integration: name, counts: await countItems(app.db.kysely, info) });
          }
          if (opts.json) return printJson({ workspace: app.workspace, overviews });
          printLine(
            exists
              ? `The demo workspace "${app.workspace}" exists already; its overviews:`
              : `Built the demo workspace "${app.workspace}" (files in ${resolve(opts.dir)}).`,
          );
          for (const o of overviews) {
            printLine();
            printLine(`Synchronisation overview of "${o.integration}"`);
            printTable(
              ['category', 'id', 'items'],
              CATEGORIES.map((c) => [CATEGORY_LABELS[c], c, o.counts[c]]),
            );
          }
          printLine();
          // The commands to try next reach the same database this one used.
          const globals = cmd.optsWithGlobals<{ db?: string; databaseUrl?: string }>();
          const where = globals.db
            ? ` --db ${globals.db}`
            : globals.databaseUrl
              ? ' --database-url "$ABGLEICH_DATABASE_URL"'
              : '';
          const abgleich = `./abgleich${where} --workspace ${app.workspace}`;
          printLine('Explore it (from the checkout, ./abgleich is the command):');
          printLine(`  ${abgleich} items ${PAYROLL} --category conflict`);
          printLine(`  ${abgleich} resolve ${PAYROLL} <item> --take remote`);
          printLine(`  ${abgleich} partner-all ${ERP} --side remote`);
        },
        { mayCreate: true },
      );
    });
}

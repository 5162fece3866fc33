/** `abgleich overview` and `abgleich items`: the synchronisation overview. */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { FieldValues } from '../../core/fields.js';
import { maskedValues } from '../../core/fields.js';
import type { Category } from '../../core/model.js';
import { CATEGORIES } from '../../core/model.js';
import { getIntegration } from '../../sync/integrations.js';
import { reclassifyEnded } from '../../sync/employment.js';
import { countItems, listItems } from '../../sync/overview.js';
import type { ItemView } from '../../sync/overview.js';
import { withApp } from '../context.js';
import { wholeOption } from '../numbers.js';
import { printJson, printLine, printTable } from '../output.js';

export const CATEGORY_LABELS: Record<Category, string> = {
  conflict: 'Conflicts',
  new: 'New',
  deleted: 'Deleted',
  disabled: 'Sync disabled',
  synced: 'Synced',
  inactive: 'Inactive',
};

/** The item's public JSON shape (the CLI contract). */
export function itemJson(v: ItemView, reveal = false): Record<string, unknown> {
  const mask = <V extends FieldValues | null>(values: V): V =>
    reveal || values === null ? values : maskedValues(values);
  return {
    id: v.id,
    version: v.version,
    category: v.category,
    number: v.number,
    name: v.name,
    linked: v.linked,
    syncEnabled: v.linked ? v.syncEnabled : !v.doNotSync,
    local: mask(v.local),
    localArchived: v.localArchived,
    remote: mask(v.remote),
    remoteDeleted: v.remoteDeleted,
    baseline: v.baseline && { local: mask(v.baseline.local), remote: mask(v.baseline.remote) },
    conflicts: v.conflicts,
    exported: v.exported,
    error: v.error,
  };
}

export function registerOverviewCommands(program: Command): void {
  program
    .command('overview')
    .description('counts per category of an integration')
    .argument('<integration>')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) =>
      withApp(cmd, async (app) => {
        const integration = await getIntegration(app.db.kysely, app.workspace, name);
        const counts = await countItems(app.db.kysely, integration);
        if (opts.json) return printJson({ integration: integration.name, counts });
        printLine(`Synchronisation overview of "${integration.name}" (${integration.entity}s)`);
        printTable(
          ['category', 'id', 'items'],
          CATEGORIES.map((c) => [CATEGORY_LABELS[c], c, counts[c]]),
        );
      }),
    );
  program
    .command('items')
    .description('list the items of an integration')
    .argument('<integration>')
    .addOption(new Option('--category <id>', 'only this category').choices(CATEGORIES))
    .option('--search <text>', 'by number or name')
    .addOption(new Option('--side <side>', 'only unlinked records of this side').choices(['local', 'remote']))
    .addOption(wholeOption('--limit <n>', 'at most this many', { min: 1 }, 50))
    .addOption(wholeOption('--offset <n>', 'skip this many', {}, 0))
    .option('--reveal', 'show sensitive values (SSN, bank details) in clear')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        opts: {
          category?: Category;
          search?: string;
          side?: 'local' | 'remote';
          limit: number;
          offset: number;
          reveal?: boolean;
          json?: boolean;
        },
        cmd: Command,
      ) =>
        withApp(cmd, async (app) => {
          const integration = await getIntegration(app.db.kysely, app.workspace, name);
          const { items, total } = await listItems(app.db.kysely, integration, {
            limit: opts.limit,
            offset: opts.offset,
            ...(opts.category ? { category: opts.category } : {}),
            ...(opts.search ? { search: opts.search } : {}),
            ...(opts.side ? { side: opts.side } : {}),
          });
          if (opts.json)
            return printJson({ items: items.map((i) => itemJson(i, opts.reveal === true)), total });
          if (items.length === 0) return printLine('No items.');
          printTable(
            ['id', 'category', 'number', 'name', 'side', 'conflicts'],
            items.map((i) => [
              i.id,
              i.category,
              i.number,
              i.name,
              i.linked ? 'both' : i.local ? 'local' : 'remote',
              i.conflicts.join(', '),
            ]),
          );
          if (total > items.length)
            printLine(`${items.length} of ${total} shown; use --offset and --limit for more.`);
        }),
    );
  program
    .command('reclassify')
    .description(
      'move employees whose end of employment has passed to "inactive" (the server does this daily)',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      withApp(cmd, async (app) => {
        const report = await reclassifyEnded(app);
        if (opts.json) return printJson(report);
        printLine(`${report.checked} items with an end of employment checked, ${report.moved} moved.`);
      }),
    );
}

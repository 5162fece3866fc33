/** The overview actions of SYNC.md §7: resolve, partner, partner-all, link, unlink, disable, enable, delete, restore, reactivate. */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { FieldName } from '../../core/fields.js';
import { fail } from '../../core/errors.js';
import type { Category } from '../../core/model.js';
import { CATEGORIES } from '../../core/model.js';
import type { FieldChoices } from '../../sync/actions.js';
import {
  createPartner,
  deleteOtherSide,
  linkItems,
  resolveItem,
  restoreItem,
  setSyncEnabled,
  unlinkItem,
} from '../../sync/actions.js';
import type { ActionName } from '../../sync/actions.js';
import type { BulkResult, PerItem, Target } from '../../sync/bulk.js';
import { runAction } from '../../sync/bulk.js';
import { loadItems } from '../../sync/items.js';
import { createAllPartners } from '../../sync/partner-all.js';
import { reactivateItems } from '../../sync/reactivate-many.js';
import { interactive } from '../config.js';
import { withApp } from '../context.js';
import { itemIds, wholeOption } from '../numbers.js';
import { printJson, printLine, printTable, ProgressBar } from '../output.js';
import { findCandidates, findWaiting } from '../../sync/candidates.js';

const collect = (v: string, all: string[] = []) => [...all, v];

interface TargetOpts {
  category?: Category;
  search?: string;
  side?: 'local' | 'remote';
  expectVersion?: number;
}

function targetOf(ids: readonly string[], opts: TargetOpts): Target {
  if (ids.length > 0 && opts.category) fail('usage', 'Name items or a --category, not both.');
  if (ids.length === 0 && !opts.category) fail('usage', 'Name one or more item ids, or a --category.');
  // A version belongs to one item: dropped silently, a stale bulk action would go through unchecked.
  if (opts.category && opts.expectVersion !== undefined)
    fail('usage', `--expect-version "${opts.expectVersion}" goes with one item id, not with --category.`, {
      option: '--expect-version',
      value: String(opts.expectVersion),
    });
  if (opts.category)
    return {
      category: opts.category,
      ...(opts.search ? { search: opts.search } : {}),
      ...(opts.side ? { side: opts.side } : {}),
    };
  const list = itemIds(ids);
  if (opts.expectVersion !== undefined) {
    if (list.length !== 1) fail('usage', '--expect-version goes with exactly one item.');
    return { ids: list, versions: { [list[0]!]: opts.expectVersion } };
  }
  return { ids: list };
}

function report(result: BulkResult, json: boolean, verb: string): void {
  if (json) return printJson(result);
  const n = result.count;
  printLine(`${verb} ${n} item${n === 1 ? '' : 's'} in "${result.integration}".`);
  for (const s of result.done.slice(0, 20))
    printLine(
      `  item ${s.itemId} (${s.number}) → ${s.linkedInto !== undefined ? `linked by number into item ${s.linkedInto}, ` : ''}${s.category ?? 'left the overview'}${s.conflicts.length ? `, conflicts: ${s.conflicts.join(', ')}` : ''}`,
    );
  if (n > 20) printLine(`  … and ${n - 20} more`);
  for (const s of result.skipped) printLine(`  skipped item ${s.itemId} (${s.number}): ${s.reason}`);
}

const targetOptions = (cmd: Command): Command =>
  cmd
    .addOption(new Option('--category <id>', 'every item of this category').choices(CATEGORIES))
    .option('--search <text>', 'with --category: only items matching this')
    .addOption(wholeOption('--expect-version <n>', 'refuse if the item changed since this version'))
    .option('--json', 'print JSON');

function simple(
  program: Command,
  name: ActionName,
  description: string,
  verb: string,
  perItem: PerItem,
): void {
  targetOptions(
    program
      .command(name)
      .description(description)
      .argument('<integration>')
      .argument('[items...]', 'item ids'),
  ).action(async (integration: string, ids: string[], opts: TargetOpts & { json?: boolean }, cmd: Command) =>
    withApp(cmd, async (app) =>
      report(await runAction(app, integration, name, targetOf(ids, opts), perItem), opts.json === true, verb),
    ),
  );
}

/** `--field email=remote --field city=value:Bremen` → choices. */
function parseFieldChoices(specs: readonly string[]): FieldChoices {
  const out: Record<string, FieldChoices[FieldName]> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) fail('usage', `--field ${spec}: write NAME=local, NAME=remote or NAME=value:TEXT.`);
    const field = spec.slice(0, eq);
    const choice = spec.slice(eq + 1);
    if (choice === 'local' || choice === 'remote') out[field] = choice;
    else if (choice.startsWith('value:')) out[field] = { value: choice.slice(6) };
    else fail('usage', `--field ${spec}: the choice must be local, remote or value:TEXT.`);
  }
  return out as FieldChoices;
}

export function registerActionCommands(program: Command): void {
  targetOptions(
    program
      .command('resolve')
      .description('resolve conflicts: take one side for every conflicting field, or choose field by field')
      .argument('<integration>')
      .argument('[items...]', 'item ids')
      .addOption(
        new Option('--take <side>', 'take every conflicting field from this side').choices([
          'local',
          'remote',
        ]),
      )
      .option('--field <name=choice>', 'NAME=local|remote|value:TEXT, repeatable', collect),
  ).action(
    async (
      integration: string,
      ids: string[],
      opts: TargetOpts & { take?: 'local' | 'remote'; field?: string[]; json?: boolean },
      cmd: Command,
    ) =>
      withApp(cmd, async (app) => {
        if (!opts.take && !opts.field)
          fail('usage', 'Say how to resolve: --take local|remote, or --field NAME=local|remote|value:TEXT.');
        const choices = parseFieldChoices(opts.field ?? []);
        const result = await runAction(app, integration, 'resolve', targetOf(ids, opts), (unit, i, item) =>
          resolveItem(unit, i, item, opts.take, choices),
        );
        report(result, opts.json === true, 'Resolved');
      }),
  );
  targetOptions(
    program
      .command('partner')
      .description(
        'create the partner of a new item on the other side and link them (a file: the record goes to the export file)',
      )
      .argument('<integration>')
      .argument('[items...]', 'item ids')
      .option('--number <number>', 'with one item: the number for the new record (default: its own)'),
  ).action(
    async (
      integration: string,
      ids: string[],
      opts: TargetOpts & { number?: string; json?: boolean },
      cmd: Command,
    ) =>
      withApp(cmd, async (app) => {
        if (opts.number !== undefined && ids.length !== 1)
          fail('usage', '--number goes with exactly one item.');
        const result = await runAction(
          app,
          integration,
          'partner',
          targetOf(ids, opts),
          (unit, i, item) => createPartner(unit, i, item, opts.number),
          { skipTakenNumbers: ids.length !== 1 },
        );
        report(result, opts.json === true, 'Created partners for');
      }),
  );
  program
    .command('partner-all')
    .description(
      'create partners for every new item (of one side); numbers already taken are reported, never overwritten',
    )
    .argument('<integration>')
    .addOption(
      new Option('--side <side>', 'only the new items that exist on this side').choices(['local', 'remote']),
    )
    .option('--search <text>', 'only items matching this')
    .option('--json', 'print JSON')
    .action(
      async (
        integration: string,
        opts: { side?: 'local' | 'remote'; search?: string; json?: boolean },
        cmd: Command,
      ) =>
        withApp(cmd, async (app) => {
          const bar = new ProgressBar('Creating partners', interactive() && !opts.json);
          const result = await createAllPartners(
            app,
            integration,
            { ...(opts.side ? { side: opts.side } : {}), ...(opts.search ? { search: opts.search } : {}) },
            (done, total) => bar.update(done, total === 0 ? 1 : done / total, 'items'),
          );
          bar.done();
          if (opts.json) return printJson(result);
          printLine(
            `Created ${result.created} local record${result.created === 1 ? '' : 's'} from "${result.integration}"; ${result.exported} record(s) marked for the export file.`,
          );
          for (const s of result.skipped) printLine(`  skipped item ${s.itemId} (${s.number}): ${s.reason}`);
          if (result.skippedCount > result.skipped.length)
            printLine(`  … and ${result.skippedCount - result.skipped.length} more skipped`);
        }),
    );
  program
    .command('link')
    .description('link a new local record with a new remote record ("choose partner")')
    .argument('<integration>')
    .argument('<item>')
    .argument('<other-item>')
    .option('--json', 'print JSON')
    .action(async (integration: string, a: string, b: string, opts: { json?: boolean }, cmd: Command) =>
      withApp(cmd, async (app) => {
        const [idA, idB] = itemIds([a, b]) as [number, number];
        const result = await runAction(app, integration, 'link', { ids: [idA] }, async (unit, i, item) => {
          const [other] = await loadItems(unit.db, [idB]);
          if (!other || other.row.integration_id !== i.id)
            fail('not_found', `There is no item ${idB} in integration "${i.name}".`);
          if (other.row.category !== 'new')
            fail('wrong_category', `Item ${idB} is in "${other.row.category}"; link applies to new items.`);
          return linkItems(unit, i, item, other);
        });
        report(result, opts.json === true, 'Linked');
      }),
    );
  simple(program, 'unlink', 'remove the link; both records stay as unlinked items', 'Unlinked', unlinkItem);
  simple(
    program,
    'disable',
    'stop comparing and propagating these items',
    'Disabled sync for',
    (u, i, item) => setSyncEnabled(u, i, item, false),
  );
  simple(program, 'enable', 'compare and propagate these items again', 'Enabled sync for', (u, i, item) =>
    setSyncEnabled(u, i, item, true),
  );
  simple(
    program,
    'delete',
    'deleted items: delete (archive) the survivor too; the link retires',
    'Deleted',
    deleteOtherSide,
  );
  simple(
    program,
    'restore',
    'deleted items: bring the missing record back from the survivor',
    'Restored',
    restoreItem,
  );
  // Over many items it skips those it cannot act on (a record inactive only in the file) and says why.
  targetOptions(
    program
      .command('reactivate')
      .description('inactive items: make the record active again (the item becomes new)')
      .argument('<integration>')
      .argument('[items...]', 'item ids'),
  ).action(async (integration: string, ids: string[], opts: TargetOpts & { json?: boolean }, cmd: Command) =>
    withApp(cmd, async (app) =>
      report(await reactivateItems(app, integration, targetOf(ids, opts)), opts.json === true, 'Reactivated'),
    ),
  );
}

export function registerCandidatesCommand(program: Command): void {
  program
    .command('candidates')
    .description(
      'the records of the other side that could be the partner of a new item, best first, with the reasons',
    )
    .argument('<integration>')
    .argument('<item>')
    .addOption(wholeOption('--limit <n>', 'at most this many', { min: 1 }, 10))
    .option('--json', 'print JSON')
    .action(
      async (integration: string, item: string, opts: { limit: number; json?: boolean }, cmd: Command) =>
        withApp(cmd, async (app) => {
          const [id] = itemIds([item]) as [number];
          const candidates = await findCandidates(app, integration, id, opts.limit);
          const waiting = await findWaiting(app, integration, id);
          if (opts.json) return printJson({ item: id, candidates, waiting });
          if (candidates.length === 0)
            printLine(
              'No candidates: no new record of the other side shares a number, e-mail, phone, SSN or name and ZIP.',
            );
          else {
            printTable(
              ['item', 'number', 'name', 'score', 'why'],
              candidates.map((c) => [c.itemId, c.number, c.name, c.score, c.reasons.join(', ')]),
            );
            printLine(`Link one with: abgleich link ${integration} ${id} <item>`);
          }
          // Not a candidate, but what "partner" would duplicate: the same number waiting apart.
          for (const w of waiting)
            printLine(
              w.category === 'inactive'
                ? `Item ${w.itemId} (${w.number} ${w.name}) has this number and is inactive or archived: reactivate it (abgleich reactivate ${integration} ${w.itemId}) and it is linked with this one; "partner" would make a second record of the number.`
                : `Item ${w.itemId} (${w.number} ${w.name}) has this number and its sync is disabled: enable it (abgleich enable ${integration} ${w.itemId}) and it is linked with this one.`,
            );
        }),
    );
}

/** `abgleich audit` and `abgleich undo`: history (SYNC.md §8). */
import type { Command } from 'commander';
import type { UndoConflict } from '../../sync/undo.js';
import { undoChangeSet } from '../../sync/undo.js';
import type { AuditEntryView } from '../../sync/history.js';
import { listAudit } from '../../sync/history.js';
import { withApp } from '../context.js';
import { parseWhole, wholeOption } from '../numbers.js';
import { maskAudit } from '../../sync/history.js';
import { printJson, printLine, printTable } from '../output.js';

/** For item snapshots: which state moved, e.g. "linked 0→1, baseline". */
function itemChange(e: AuditEntryView): [string, string] {
  const parse = (v: string | null): Record<string, unknown> => {
    try {
      return v ? (JSON.parse(v) as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const old = parse(e.old);
  const now = parse(e.new);
  const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])].filter(
    (k) => JSON.stringify(old[k]) !== JSON.stringify(now[k]),
  );
  const short = (v: unknown) =>
    v === null || v === undefined ? '—' : typeof v === 'string' && v.startsWith('{') ? '…' : String(v);
  return [
    keys.map((k) => `${k} ${short(old[k])}`).join(', '),
    keys.map((k) => `${k} ${short(now[k])}`).join(', '),
  ];
}

export function registerAuditCommands(program: Command): void {
  program
    .command('audit')
    .description('the audit log: every change to a record, a link or a baseline, newest first')
    .addOption(wholeOption('--item <id>', 'only this item', { min: 1 }))
    .addOption(wholeOption('--change <id>', 'only this change (action or run)', { min: 1 }))
    .addOption(wholeOption('--limit <n>', 'at most this many entries', { min: 1 }, 200))
    .addOption(wholeOption('--before <id>', 'only entries older than this entry (the next page)', { min: 1 }))
    .option('--reveal', 'show sensitive values (SSN, bank details) in clear')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: {
          item?: number;
          change?: number;
          before?: number;
          limit: number;
          reveal?: boolean;
          json?: boolean;
        },
        cmd: Command,
      ) =>
        withApp(cmd, async (app) => {
          const { item, change: changeSet } = opts;
          const entries = (
            await listAudit(app, {
              limit: opts.limit,
              ...(item !== undefined ? { item } : {}),
              ...(changeSet !== undefined ? { changeSet } : {}),
              ...(opts.before !== undefined ? { before: opts.before } : {}),
            })
          ).map((e) => maskAudit(e, opts.reveal === true));
          if (opts.json) return printJson({ entries });
          if (entries.length === 0) return printLine('No audit entries.');
          printTable(
            ['change', 'at', 'who', 'item', 'what', 'field', 'old', 'new', 'why'],
            entries.map((e) => {
              const [old, now] =
                e.target.startsWith('item') || e.target === 'partner-created' || e.target === 'local-deleted'
                  ? itemChange(e)
                  : [e.old ?? '', e.new ?? ''];
              const at = e.at.slice(0, 19).replace('T', ' ');
              return [
                e.changeSet + (e.undone ? ' (undone)' : ''),
                at,
                e.actor,
                e.itemId ?? '',
                e.target,
                e.field ?? '',
                old,
                now,
                e.reason,
              ];
            }),
            28,
          );
          // A full page: say that there is more, and how to read on.
          if (entries.length === opts.limit)
            printLine(
              `The ${entries.length} newest entries${opts.before ? ` before entry ${opts.before}` : ''}; older ones: --before ${entries.at(-1)!.id}`,
            );
        }),
    );
  program
    .command('undo')
    .description('undo a change (an action or an import) by its change id, as listed by `abgleich audit`')
    .argument('<change>')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const change = parseWhole(id, 'The change id', { min: 1 });
      return withApp(cmd, async (app) => {
        const report = await undoChangeSet(app, change);
        if (opts.json) return printJson(report);
        printLine(
          `Undid change ${report.undone} (as change ${report.changeSet}): ${report.restored} value(s) restored.`,
        );
        for (const c of report.conflicts) printLine(`  not restored: ${conflictLine(c)}`);
      });
    });
}

/** One value undo left as it is, in words: the record or item, the field, what the change left and what is there now. */
function conflictLine(c: UndoConflict): string {
  const where = c.localId !== null ? `record ${c.localId}` : `item ${c.itemId ?? '?'}`;
  if (c.field === null)
    return `${where}${c.itemId !== null && c.localId !== null ? ` (item ${c.itemId})` : ''}: its link or remote record changed again since`;
  if (c.now === null) return `${where}: it is gone`;
  const shown = (v: string | null) => (v ? `"${v}"` : 'empty');
  return `${where}, ${c.field}: changed again since (the change left ${shown(c.expected)}, now ${shown(c.now)})`;
}

/**
 * "Reactivate" on many items (SYNC.md §7, docs/ARCHITECTURE.md "Reactivate"): the items it cannot act
 * on are skipped and reported, as "create all partners" skips a taken number, instead of refusing the
 * whole request for one of them. Two kinds: a record inactive only in a file (Abgleich cannot write the
 * file: it must carry the record active), and an archived record whose number a newer record holds.
 * One item alone is still refused with the reason, as every single action is.
 */
import { sql } from 'kysely';
import { reactivateItem } from './actions.js';
import type { BulkResult, Target } from './bulk.js';
import { runAction } from './bulk.js';
import type { App } from './app.js';
import { getIntegration } from './integrations.js';
import { itemsQuery } from './overview.js';
import { isWritable } from './settings.js';

/** An item left out, with the code of why (`file_side`, `duplicate_number`) for a reader's own words. */
export interface ReactivateSkipped {
  readonly itemId: number;
  readonly number: string;
  readonly reason: string;
  readonly code: 'file_side' | 'duplicate_number';
}

export interface ReactivateResult extends Omit<BulkResult, 'skipped'> {
  readonly skipped: readonly ReactivateSkipped[];
}

export async function reactivateItems(
  app: App,
  integrationName: string,
  target: Target,
): Promise<ReactivateResult> {
  const single = 'ids' in target && target.ids.length === 1;
  const integration = await getIntegration(app.db.kysely, app.workspace, integrationName);
  // A file's inactive rows are the unlinked inactive items without a local record.
  const fileSide =
    single || isWritable(integration)
      ? []
      : await (
          'ids' in target
            ? app.db.kysely
                .selectFrom('item')
                .where('integration_id', '=', integration.id)
                .where('id', 'in', target.ids.length > 0 ? [...target.ids] : [0])
            : itemsQuery(app.db.kysely, integration, target)
        )
          .where('category', '=', 'inactive')
          .where('local_id', 'is', null)
          .select(['id', 'number'])
          .orderBy(sql`length(number)`)
          .orderBy('number')
          .orderBy('id')
          .execute();
  const skip = new Set(fileSide.map((r) => r.id));
  const rest: Target =
    skip.size === 0
      ? target
      : 'ids' in target
        ? {
            ids: target.ids.filter((id) => !skip.has(id)),
            ...(target.versions
              ? {
                  versions: Object.fromEntries(
                    Object.entries(target.versions).filter(([id]) => !skip.has(Number(id))),
                  ),
                }
              : {}),
          }
        : target.side === 'remote'
          ? { ids: [] }
          : { ...target, side: 'local' }; // an inactive item is unlinked: on one side only
  const result = await runAction(app, integration.name, 'reactivate', rest, reactivateItem, {
    skipTakenNumbers: !single,
  });
  return {
    ...result,
    skipped: [
      ...fileSide.map((r): ReactivateSkipped => ({
        itemId: r.id,
        number: r.number,
        reason: `The record ${r.number} is inactive in the file, which Abgleich cannot write; reactivate it there and import again.`,
        code: 'file_side',
      })),
      ...result.skipped.map((s): ReactivateSkipped => ({ ...s, code: 'duplicate_number' })),
    ],
  };
}

/**
 * "Choose partner" (SYNC.md §7): the unlinked records of the other side that could be this item's
 * partner, ranked by number, e-mail, phone, SSN and name + ZIP, with the reasons.
 */
import { fail } from '../core/errors.js';
import type { MatchReason } from '../core/match.js';
import { rankCandidates } from '../core/match.js';
import type { App } from './app.js';
import { loadItems, remoteValuesOf, withLocals } from './items.js';
import { getIntegration } from './integrations.js';
import { itemPage } from '../store/keyset.js';
import { numberKey } from '../core/compare.js';

export interface CandidateView {
  readonly itemId: number;
  readonly number: string;
  readonly name: string;
  readonly score: number;
  readonly reasons: readonly MatchReason[];
}

/** A record of the other side with this item's number, waiting apart: inactive, archived, or sync disabled. */
export interface WaitingView {
  readonly itemId: number;
  readonly number: string;
  readonly name: string;
  readonly category: 'inactive' | 'disabled';
}

const PAGE = 2000;

export async function findCandidates(
  app: App,
  integrationName: string,
  itemId: number,
  limit = 10,
): Promise<CandidateView[]> {
  const integration = await getIntegration(app.db.kysely, app.workspace, integrationName);
  const [item] = await loadItems(app.db.kysely, [itemId]);
  if (!item || item.row.integration_id !== integration.id)
    fail('not_found', `There is no item ${itemId} in integration "${integration.name}".`);
  if (item.row.category !== 'new')
    fail('wrong_category', `Item ${itemId} is in "${item.row.category}"; partners are chosen for new items.`);
  const mine = item.local?.values ?? remoteValuesOf(item.row) ?? {};
  const wantLocal = item.local === null;
  let best: CandidateView[] = [];
  let after = 0;
  // Scans the other side's new items page by page, keeping only the best few: bounded memory at any size.
  for (;;) {
    let q = itemPage(app.db.kysely, integration.id, after, PAGE).selectAll().where('category', '=', 'new');
    q = wantLocal
      ? q.where('local_id', 'is not', null)
      : q.where('remote_key', 'is not', null).where('local_id', 'is', null);
    const rows = await q.execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const others = await withLocals(app.db.kysely, rows);
    const ranked = rankCandidates(
      integration.entity,
      mine,
      others.map((o) => ({ id: o, values: o.local?.values ?? remoteValuesOf(o.row) ?? {} })),
      { ignoreLeadingZeros: integration.settings.ignoreLeadingZeros },
    );
    best = [
      ...best,
      ...ranked.map((r) => ({
        itemId: r.id.row.id,
        number: r.id.row.number,
        name: r.id.row.name,
        score: r.score,
        reasons: r.reasons,
      })),
    ]
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }
  return best;
}

/**
 * The items of the other side that carry new item `itemId`'s number but wait apart (`inactive`: the
 * record is inactive or archived; `disabled`: sync is off): no candidate, as they cannot be linked as
 * they are, yet reactivating or enabling one links it by number (`match-waiting.ts`). Creating a partner
 * instead makes a second record of the number, and the archived one can no longer be restored: the
 * person choosing must be told they exist.
 */
export async function findWaiting(app: App, integrationName: string, itemId: number): Promise<WaitingView[]> {
  const db = app.db.kysely;
  const integration = await getIntegration(db, app.workspace, integrationName);
  const [item] = await loadItems(db, [itemId]);
  if (!item || item.row.integration_id !== integration.id || item.row.category !== 'new') return [];
  const number = item.local?.number ?? remoteValuesOf(item.row)?.number ?? item.row.number;
  const numbers = { ignoreLeadingZeros: integration.settings.ignoreLeadingZeros };
  const waiting = db
    .selectFrom('item')
    .select(['item.id', 'item.number', 'item.name', 'item.category'])
    .where('item.integration_id', '=', integration.id)
    .where('item.linked', '=', 0)
    .where('item.category', 'in', ['inactive', 'disabled']);
  const rows = item.local
    ? await waiting
        .where('item.local_id', 'is', null)
        .where('item.remote_key', '=', numberKey(number, numbers))
        .execute()
    : (
        await waiting
          .innerJoin('local_record', 'local_record.id', 'item.local_id')
          .select('local_record.number as local_number')
          .where('item.remote_key', 'is', null)
          .where('local_record.number_key', '=', numberKey(number, { ignoreLeadingZeros: true }))
          .execute()
      ).filter((r) => numberKey(r.local_number, numbers) === numberKey(number, numbers));
  return rows.map((r) => ({
    itemId: r.id,
    number: r.number,
    name: r.name,
    category: r.category as WaitingView['category'],
  }));
}

/**
 * Pages of the overview for the API: sorted by number or name, either way, with keyset cursors so a
 * page at any depth is an index scan on `(integration_id, category, number|name, id)` — fast at a
 * million items — and offsets for jumping.
 */
import { sql } from 'kysely';
import type { Executor } from '../store/executor.js';
import { withLocals } from './items.js';
import type { ItemQuery, ItemView } from './overview.js';
import { countItems, itemsQuery, viewOf } from './overview.js';
import type { IntegrationInfo } from './settings.js';

export interface PageQuery extends ItemQuery {
  readonly sort: 'number' | 'name';
  readonly order: 'asc' | 'desc';
  readonly limit: number;
  /** From the previous page's `nextCursor`. */
  readonly cursor?: string;
}

export interface ItemPage {
  readonly items: ItemView[];
  /** Items matching; with a search at most COUNT_CAP (then `totalCapped`). */
  readonly total: number;
  readonly totalCapped: boolean;
  readonly nextCursor: string | null;
}

/** The most matches a search counts. */
export const COUNT_CAP = 1_000;

/** Where a page ended: its last item's sort key and id, and the sort and order it was read in. */
type Cursor = [string, number, PageQuery['sort'], PageQuery['order']];

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

/**
 * The position a cursor names, if it is one this server gave out for the same sort and order; a cursor
 * of a list sorted another way would start the page at a wrong place without a word.
 */
export function decodeCursor(text: string, q: Pick<PageQuery, 'sort' | 'order'>): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(c) &&
      c.length === 4 &&
      typeof c[0] === 'string' &&
      Number.isInteger(c[1]) &&
      c[2] === q.sort &&
      c[3] === q.order
    )
      return c as Cursor;
  } catch {
    // fall through
  }
  return undefined;
}

export async function pageItems(
  db: Executor,
  integration: IntegrationInfo,
  q: PageQuery,
  after: Cursor | undefined,
): Promise<ItemPage> {
  const base = itemsQuery(db, integration, q);
  const col = q.sort;
  const rows = await pageQuery(db, integration, q, after).execute();
  const more = rows.length > q.limit;
  const shown = more ? rows.slice(0, q.limit) : rows;
  const last = shown[shown.length - 1];
  const plain = q.category !== undefined && !q.search && !q.side;
  let total: number;
  let capped = false;
  if (plain) total = (await countItems(db, integration))[q.category!];
  else {
    // A search is a scan; counting its matches stops at COUNT_CAP so one request stays bounded.
    const row = await db
      .selectFrom(
        base
          .select('id')
          .limit(COUNT_CAP + 1)
          .as('matches'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    total = Math.min(Number(row.n), COUNT_CAP);
    capped = Number(row.n) > COUNT_CAP;
  }
  return {
    items: (await withLocals(db, shown)).map(viewOf),
    total,
    totalCapped: capped,
    nextCursor: more && last ? encodeCursor([last[col], last.id, q.sort, q.order]) : null,
  };
}

/**
 * The rows of one page (one more than `limit`, to tell whether another follows), exported for the test
 * that reads its plan. By number as a person reads numbers (2 before 10 before 100), as the index
 * `item_category` holds them: by length, then the text.
 */
export function pageQuery(
  db: Executor,
  integration: IntegrationInfo,
  q: PageQuery,
  after: Cursor | undefined,
) {
  const cmp = q.order === 'asc' ? sql.raw('>') : sql.raw('<');
  let page = itemsQuery(db, integration, q).selectAll();
  const byNumber = q.sort === 'number';
  if (after)
    page = page.where(
      byNumber
        ? sql<boolean>`(length(number), number, id) ${cmp} (${after[0].length}, ${after[0]}, ${after[1]})`
        : sql<boolean>`(${sql.ref(q.sort)}, id) ${cmp} (${after[0]}, ${after[1]})`,
    );
  if (byNumber) page = page.orderBy(sql`length(number)`, q.order);
  return page
    .orderBy(q.sort, q.order)
    .orderBy('id', q.order)
    .limit(q.limit + 1)
    .offset(after ? 0 : (q.offset ?? 0));
}

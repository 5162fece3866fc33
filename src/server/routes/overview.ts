/** The overview (counts, pages, one item, candidates) and the actions of SYNC.md §7. */
import type { Target as ApiTarget } from '../../api/index.js';
import { overview as api } from '../../api/index.js';
import { findFieldDef } from '../../core/fields.js';
import { fail } from '../../core/errors.js';
import type { Category } from '../../core/model.js';
import type { FieldChoices } from '../../sync/actions.js';
import {
  ACTION_CATEGORIES,
  createPartner,
  deleteOtherSide,
  linkItems,
  resolveItem,
  restoreItem,
  setSyncEnabled,
  unlinkItem,
} from '../../sync/actions.js';
import type { App } from '../../sync/app.js';
import type { BulkResult, PerItem, Target } from '../../sync/bulk.js';
import { runAction } from '../../sync/bulk.js';
import { findCandidates, findWaiting } from '../../sync/candidates.js';
import { getIntegration } from '../../sync/integrations.js';
import { decodeCursor, pageItems } from '../../sync/item-pages.js';
import { loadItems } from '../../sync/items.js';
import { countItems, itemsQuery, viewOf } from '../../sync/overview.js';
import { createAllPartners } from '../../sync/partner-all.js';
import { reactivateItems } from '../../sync/reactivate-many.js';
import { isWritable } from '../../sync/settings.js';
import type { Route } from '../context.js';
import { route } from '../context.js';
import { itemDetail, itemView } from '../views.js';

function targetOf(t: ApiTarget): Target {
  if ('ids' in t) {
    const versions: Record<number, number> = {};
    for (const [k, v] of Object.entries(t.versions ?? {})) {
      if (!/^\d+$/.test(k))
        fail('validation_failed', `versions: "${k}" is not an item id.`, [
          { path: `target.versions.${k}`, message: 'not an item id' },
        ]);
      versions[Number(k)] = v;
    }
    return { ids: t.ids, versions };
  }
  return {
    category: t.category,
    ...(t.search ? { search: t.search } : {}),
    ...(t.side ? { side: t.side } : {}),
  };
}

const result = (r: BulkResult) => ({
  action: r.action,
  integration: r.integration,
  count: r.count,
  done: r.done.map((s) => ({
    itemId: s.itemId,
    number: s.number,
    category: s.category,
    conflicts: [...s.conflicts],
    localChanged: [...s.localChanged],
    removed: s.removed,
    ...(s.linkedInto !== undefined ? { linkedInto: s.linkedInto } : {}),
  })),
  skipped: [...r.skipped],
  changeSet: r.changeSet,
});

async function itemOf(app: App, name: string, id: number) {
  const integration = await getIntegration(app.db.kysely, app.workspace, name);
  const [item] = await loadItems(app.db.kysely, [id]);
  if (!item || item.row.integration_id !== integration.id)
    fail('not_found', `There is no item ${id} in integration "${integration.name}".`, { item: id });
  return { integration, item };
}

/** An action route: the target's items, one transaction, one change set. */
const simple = (
  endpoint: (typeof api.actions)[keyof typeof api.actions],
  action: Parameters<typeof runAction>[2],
  perItem: PerItem,
) =>
  route(endpoint as typeof api.actions.unlink, async ({ params, body, app }) =>
    result(await runAction(app(), params.name, action, targetOf(body.target), perItem)),
  );

export const overviewRoutes: Route[] = [
  route(api.overview, async ({ params, readApp }) => {
    const app = readApp();
    const integration = await getIntegration(app.db.kysely, app.workspace, params.name);
    return {
      integration: integration.name,
      entity: integration.entity,
      source: integration.source,
      counts: await countItems(app.db.kysely, integration),
    };
  }),

  route(api.listItems, async ({ params, query, readApp }) => {
    const app = readApp();
    const integration = await getIntegration(app.db.kysely, app.workspace, params.name);
    const after = query.cursor !== undefined ? decodeCursor(query.cursor, query) : undefined;
    if (query.cursor !== undefined && !after)
      fail(
        'validation_failed',
        `The cursor is not one this server gave out for a list sorted by ${query.sort} (${query.order}); ` +
          'ask for the first page again.',
        [{ path: 'query.cursor', message: 'not a cursor of this list' }],
      );
    const page = await pageItems(
      app.db.kysely,
      integration,
      {
        sort: query.sort,
        order: query.order,
        limit: query.limit,
        offset: query.offset,
        ...(query.category ? { category: query.category } : {}),
        ...(query.search ? { search: query.search } : {}),
        ...(query.side ? { side: query.side } : {}),
      },
      after,
    );
    return {
      items: page.items.map(itemView),
      total: page.total,
      totalCapped: page.totalCapped,
      nextCursor: page.nextCursor,
    };
  }),

  route(api.showItem, async ({ params, query, readApp }) => {
    const { integration, item } = await itemOf(readApp(), params.name, params.id);
    return { item: itemDetail(viewOf(item), item.local?.id ?? null, integration, query.reveal === true) };
  }),

  route(api.candidates, async ({ params, query, readApp }) => ({
    candidates: (await findCandidates(readApp(), params.name, params.id, query.limit)).map((c) => ({
      ...c,
      reasons: [...c.reasons],
    })),
    waiting: await findWaiting(readApp(), params.name, params.id),
  })),

  route(api.previewAction, async ({ params, body, readApp }) => {
    const app = readApp();
    const integration = await getIntegration(app.db.kysely, app.workspace, params.name);
    const action = body.action === 'partner-all' ? 'partner' : body.action;
    const allowed = ACTION_CATEGORIES[action];
    const target = targetOf(body.target);
    const count = async (categories: readonly Category[] | null, q: Target): Promise<number> => {
      let query =
        'ids' in q
          ? app.db.kysely
              .selectFrom('item')
              .where('integration_id', '=', integration.id)
              .where('id', 'in', [...q.ids])
          : itemsQuery(app.db.kysely, integration, q);
      if (categories) query = query.where('category', 'in', [...categories]);
      if (action === 'unlink') query = query.where('linked', '=', 1);
      // A record inactive only in a file is not reactivated from here (it is skipped, not counted).
      if (action === 'reactivate' && !isWritable(integration))
        query = query.where('local_id', 'is not', null);
      const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const total = 'ids' in target ? target.ids.length : await count(null, target);
    return { total, count: await count(allowed, target) };
  }),

  route(api.actions.resolve, async ({ params, body, app }) => {
    const a = app();
    const integration = await getIntegration(a.db.kysely, a.workspace, params.name);
    const bad = Object.keys(body.fields ?? {}).filter((f) => !findFieldDef(integration.entity, f));
    if (bad.length > 0)
      fail(
        'validation_failed',
        `${integration.entity}s have no field ${bad.map((f) => `"${f}"`).join(', ')}.`,
        bad.map((f) => ({ path: `fields.${f}`, message: `${integration.entity}s have no such field` })),
      );
    const choices = (body.fields ?? {}) as FieldChoices;
    return result(
      await runAction(a, params.name, 'resolve', targetOf(body.target), (unit, i, item) =>
        resolveItem(unit, i, item, body.take, choices),
      ),
    );
  }),

  route(api.actions.partner, async ({ params, body, app }) => {
    const target = targetOf(body.target);
    const single = 'ids' in target && target.ids.length === 1;
    if (body.number !== undefined && !single)
      fail('validation_failed', 'A number goes with exactly one item.', [
        { path: 'number', message: 'only with exactly one item' },
      ]);
    return result(
      await runAction(
        app(),
        params.name,
        'partner',
        target,
        (unit, i, item) => createPartner(unit, i, item, body.number),
        {
          skipTakenNumbers: !single,
        },
      ),
    );
  }),

  route(api.actions.link, async ({ params, body, app }) =>
    result(
      await runAction(
        app(),
        params.name,
        'link',
        {
          ids: [body.item],
          ...(body.version !== undefined ? { versions: { [body.item]: body.version } } : {}),
        },
        async (unit, i, item) => {
          const [other] = await loadItems(unit.db, [body.other]);
          if (!other || other.row.integration_id !== i.id)
            fail('not_found', `There is no item ${body.other} in integration "${i.name}".`, {
              item: body.other,
            });
          if (other.row.category !== 'new')
            fail(
              'wrong_category',
              `Item ${body.other} is in "${other.row.category}"; link applies to new items.`,
            );
          return linkItems(unit, i, item, other);
        },
      ),
    ),
  ),

  simple(api.actions.unlink, 'unlink', unlinkItem),
  simple(api.actions.disable, 'disable', (u, i, item) => setSyncEnabled(u, i, item, false)),
  simple(api.actions.enable, 'enable', (u, i, item) => setSyncEnabled(u, i, item, true)),
  simple(api.actions.delete, 'delete', deleteOtherSide),
  simple(api.actions.restore, 'restore', restoreItem),
  route(api.actions.reactivate, async ({ params, body, app }) =>
    result(await reactivateItems(app(), params.name, targetOf(body.target))),
  ),

  route(api.partnerAll, async ({ params, body, app, user, deps }) => {
    const a = app();
    const integration = await getIntegration(a.db.kysely, a.workspace, params.name);
    const job = deps.jobs.start('partner-all', a.workspace, integration.name, user!.login, (progress) =>
      createAllPartners(
        a,
        integration.name,
        { ...(body.side ? { side: body.side } : {}), ...(body.search ? { search: body.search } : {}) },
        (done, total) => progress(done, total, total > 0 ? done / total : null),
      ),
    );
    return { job };
  }),
];

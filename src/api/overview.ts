/**
 * The synchronisation overview (SYNC.md §4) and its actions (§7). Reading is for every role; every
 * action is for admins (§9: supervisors cannot resolve or change integrations).
 */
import { ACTIONS } from '../core/model.js';
import type { ActionName } from '../core/model.js';
import { z } from 'zod';
import { bool, endpoint, idParam } from './contract.js';
import {
  actionResultSchema,
  categorySchema,
  countsSchema,
  entitySchema,
  itemDetailSchema,
  itemSchema,
  jobSchema,
  sideSchema,
  targetSchema,
} from './schemas.js';

const tag = 'overview';
const nameParam = z.object({ name: z.string().min(1).max(100) });
const itemParams = nameParam.extend({ id: idParam });

export const overview = endpoint({
  id: 'overview.counts',
  method: 'GET',
  path: '/api/integrations/:name/overview',
  summary: 'Items per category of an integration',
  access: 'supervisor',
  tag,
  params: nameParam,
  response: z.object({
    integration: z.string(),
    entity: entitySchema,
    /** `file`, or a live ERP (`tryton`) that the page offers to sync now. */
    source: z.string(),
    counts: countsSchema,
  }),
});

export const ITEM_SORTS = ['number', 'name'] as const;

/**
 * A page of items. Pages are index scans per category: pass `cursor` (the previous page's `nextCursor`)
 * to page forward at any depth; `offset` is for jumping and costs its size. `total` counts the filter
 * (kept counts when only a category is given, so it stays a small read at a million items; with a
 * search, counted up to 1,000). A search is a substring match on number and name: a scan of the
 * category, so it costs time in proportion to the category's size.
 */
export const listItems = endpoint({
  id: 'items.list',
  method: 'GET',
  path: '/api/integrations/:name/items',
  summary: 'Items of one category with search, sort and paging',
  access: 'supervisor',
  tag,
  params: nameParam,
  query: z.object({
    category: categorySchema.optional(),
    search: z.string().max(200).optional(),
    side: sideSchema.optional(),
    sort: z.enum(ITEM_SORTS).default('number'),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
    cursor: z.string().max(400).optional(),
  }),
  response: z.object({
    items: z.array(itemSchema),
    total: z.number(),
    /** With a search or side filter the count stops at 1,000: then true and `total` is 1,000 ("1,000+"). */
    totalCapped: z.boolean(),
    nextCursor: z.string().nullable(),
  }),
});

export const showItem = endpoint({
  id: 'items.show',
  method: 'GET',
  path: '/api/integrations/:name/items/:id',
  summary: 'One item: local, remote and last agreed value of every field side by side',
  access: 'supervisor',
  tag,
  params: itemParams,
  query: z.object({ reveal: bool.optional() }),
  response: z.object({ item: itemDetailSchema }),
});

export const candidates = endpoint({
  id: 'items.candidates',
  method: 'GET',
  path: '/api/integrations/:name/items/:id/candidates',
  summary: 'Records of the other side that could be the partner of a new item, best first, with reasons',
  access: 'supervisor',
  tag,
  params: itemParams,
  query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }),
  response: z.object({
    candidates: z.array(
      z.object({
        itemId: z.number(),
        number: z.string(),
        name: z.string(),
        score: z.number(),
        reasons: z.array(z.string()),
      }),
    ),
    /**
     * Items of the other side with this item's number that wait apart (`inactive`: inactive or archived;
     * `disabled`: sync off). Reactivating or enabling one links it with this item by number; creating a
     * partner instead makes a second record of the number.
     */
    waiting: z.array(
      z.object({
        itemId: z.number(),
        number: z.string(),
        name: z.string(),
        category: z.enum(['inactive', 'disabled']),
      }),
    ),
  }),
});

/** SYNC.md §7, as the API names them. */
export const ACTION_NAMES = ACTIONS;
export type { ActionName };

/** How many items an action would change, for the confirmation ("set up 1,204 partners?"). */
export const previewAction = endpoint({
  id: 'actions.preview',
  method: 'POST',
  path: '/api/integrations/:name/actions/preview',
  summary: 'How many items an action on these items or this filter would work on; nothing changes',
  access: 'supervisor',
  tag: 'actions',
  params: nameParam,
  body: z.strictObject({ action: z.enum([...ACTION_NAMES, 'partner-all']), target: targetSchema }),
  response: z.object({
    /** Items the target names. */
    total: z.number(),
    /** Of those, in a category the action applies to. */
    count: z.number(),
  }),
});

const choice = z.union([z.enum(['local', 'remote']), z.strictObject({ value: z.string() })]);

const act = <B extends z.ZodType>(action: string, summary: string, body: B) =>
  endpoint({
    id: `actions.${action}`,
    method: 'POST',
    path: `/api/integrations/:name/actions/${action}`,
    summary,
    access: 'admin',
    tag: 'actions',
    params: nameParam,
    body,
    response: actionResultSchema,
  });

const targetOnly = z.strictObject({ target: targetSchema });

export const actions = {
  resolve: act(
    'resolve',
    'Resolve conflicts: take every conflicting field from one side, or choose field by field',
    z
      .strictObject({
        target: targetSchema,
        take: z.enum(['local', 'remote']).optional(),
        /** Field → `local`, `remote` or `{ value }`; with `take`, these win for the fields named. */
        fields: z.record(z.string(), choice).optional(),
      })
      .refine((b) => b.take !== undefined || (b.fields && Object.keys(b.fields).length > 0), {
        message: 'say how to resolve: take local|remote, or a choice per field',
        path: ['take'],
      }),
  ),
  partner: act(
    'partner',
    'Create the partner of new items on the other side and link them (file: the export file)',
    z.strictObject({
      target: targetSchema,
      /** With exactly one item: the number for the new record (default: its own). */
      number: z.string().trim().min(1).max(40).optional(),
    }),
  ),
  link: act(
    'link',
    'Choose partner: link a new item with a new item of the other side',
    z.strictObject({
      item: z.number().int().positive(),
      other: z.number().int().positive(),
      version: z.number().int().optional(),
    }),
  ),
  unlink: act('unlink', 'Remove the link; both records stay as unlinked items', targetOnly),
  disable: act('disable', 'Stop comparing and propagating these items', targetOnly),
  enable: act('enable', 'Compare and propagate these items again', targetOnly),
  delete: act('delete', 'Deleted items: delete (archive) the survivor too; the link retires', targetOnly),
  restore: act('restore', 'Deleted items: bring the missing record back from the survivor', targetOnly),
  reactivate: act('reactivate', 'Inactive items: make the record active again (→ new)', targetOnly),
} as const satisfies Record<ActionName, unknown>;

/** Create all partners runs as a job: answers 202 with the job to follow. */
export const partnerAll = endpoint({
  id: 'actions.partnerAll',
  method: 'POST',
  path: '/api/integrations/:name/actions/partner-all',
  summary: 'Create partners for every new item (of one side, matching a search) as a background job',
  access: 'admin',
  tag: 'actions',
  params: nameParam,
  body: z.strictObject({ side: sideSchema.optional(), search: z.string().max(200).optional() }),
  response: z.object({ job: jobSchema }),
  status: 202,
});

/** History (SYNC.md §8): the audit log, the change sets (actions, runs, edits) and undo. */
import { z } from 'zod';
import { bool, endpoint, idParam } from './contract.js';
import { auditEntrySchema, changeSetSchema } from './schemas.js';

const tag = 'history';

/**
 * The audit log, newest first. Filter by item, local record, change (a run or action) or user (actor,
 * e.g. `user:anna`). Page backwards with `before` (the smallest `id` of the previous page).
 */
export const listAudit = endpoint({
  id: 'audit.list',
  method: 'GET',
  path: '/api/audit',
  summary: 'The audit log filtered by item, record, change or user, newest first',
  access: 'supervisor',
  tag,
  query: z.object({
    item: z.coerce.number().int().positive().optional(),
    local: z.coerce.number().int().positive().optional(),
    change: z.coerce.number().int().positive().optional(),
    actor: z.string().max(100).optional(),
    integration: z.string().max(100).optional(),
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    reveal: bool.optional(),
  }),
  response: z.object({ entries: z.array(auditEntrySchema) }),
});

/** Actions, runs, edits and undos, newest first: what "undo" offers. */
export const listChanges = endpoint({
  id: 'changes.list',
  method: 'GET',
  path: '/api/changes',
  summary: 'Change sets (actions, runs, edits, undos), newest first',
  access: 'supervisor',
  tag,
  query: z.object({
    integration: z.string().max(100).optional(),
    actor: z.string().max(100).optional(),
    kind: z.string().max(40).optional(),
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  }),
  response: z.object({ changes: z.array(changeSetSchema) }),
});

export const undo = endpoint({
  id: 'changes.undo',
  method: 'POST',
  path: '/api/changes/:id/undo',
  summary: 'Undo a change; values changed again since are reported as conflicts, never overwritten',
  access: 'admin',
  tag,
  params: z.object({ id: idParam }),
  response: z.object({
    undone: z.number(),
    changeSet: z.number().nullable(),
    restored: z.number(),
    conflicts: z.array(
      z.object({
        auditId: z.number(),
        itemId: z.number().nullable(),
        localId: z.number().nullable(),
        field: z.string().nullable(),
        expected: z.string().nullable(),
        now: z.string().nullable(),
      }),
    ),
  }),
});

/**
 * Live integrations (a Tryton ERP): sync now, and the last round of each. Syncing is admin work (SYNC.md
 * §9: a supervisor cannot pull); when the last round ran and how it ended, everyone may see.
 */
import { z } from 'zod';
import { endpoint } from './contract.js';
import { jobSchema } from './schemas.js';

const tag = 'integrations';

export const syncNow = endpoint({
  id: 'integrations.sync',
  method: 'POST',
  path: '/api/integrations/:name/sync',
  summary:
    'One complete round with a live ERP now — read, reconcile, apply, deliver pending writes — as a background job',
  access: 'admin',
  tag,
  params: z.object({ name: z.string().min(1).max(100) }),
  body: z.strictObject({
    /** Read every record, not only those changed since the last round. */
    full: z.boolean().optional(),
    /** Allow a round that would delete many records (the mass-delete guard). */
    confirmDeletes: z.boolean().optional(),
  }),
  response: z.object({ job: jobSchema }),
  status: 202,
});

export const checkConnection = endpoint({
  id: 'integrations.check',
  method: 'POST',
  path: '/api/integrations/:name/check',
  summary:
    "Try a live integration's connection: log in and read the newest change of each model a round reads; nothing is written",
  access: 'admin',
  tag,
  params: z.object({ name: z.string().min(1).max(100) }),
  response: z.object({
    ok: z.boolean(),
    /** The error code and message when it does not work (remote_login_failed, remote_unavailable, …). */
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  }),
});

export const lastSyncRunSchema = z.object({
  integration: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  outcome: z.enum(['ok', 'partial', 'failed']),
  summary: z.unknown(),
  error: z.string().nullable(),
});

export const syncRuns = endpoint({
  id: 'integrations.syncRuns',
  method: 'GET',
  path: '/api/sync-runs',
  summary: 'The last sync round of every live integration: when, how it ended, its counts or error',
  access: 'supervisor',
  tag,
  response: z.object({ runs: z.array(lastSyncRunSchema) }),
});

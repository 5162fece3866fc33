/** Live integrations: sync now (a background job) and the last round of each. */
import { live as api } from '../../api/index.js';
import type { ErrorCode } from '../../core/errors.js';
import { AbgleichError, fail } from '../../core/errors.js';
import { getIntegration } from '../../sync/integrations.js';
import { checkConnection, lastRuns, syncIntegration } from '../../sync/live-sync.js';
import type { Route } from '../context.js';
import { route } from '../context.js';

const CONNECTION_CODES = new Set<ErrorCode>([
  'remote_unavailable',
  'remote_login_failed',
  'remote_invalid_answer',
  'remote_refused',
]);

export const liveRoutes: Route[] = [
  route(api.syncNow, async ({ params, body, app, user, deps }) => {
    const a = app();
    const integration = await getIntegration(a.db.kysely, a.workspace, params.name);
    if (integration.source === 'file')
      fail(
        'usage',
        `"${integration.name}" reads files: it is synced by importing a file, not by "sync now".`,
      );
    const job = deps.jobs.start('sync', a.workspace, integration.name, user!.login, (progress) =>
      syncIntegration(a, integration.name, {
        ...(body.full ? { full: true } : {}),
        ...(body.confirmDeletes ? { confirmDeletes: true } : {}),
        onProgress: (_phase, done, total) =>
          progress(done, total ?? null, total ? Math.min(1, done / total) : null),
      }),
    );
    return { job };
  }),
  route(api.checkConnection, async ({ params, app }) => {
    const a = app();
    const integration = await getIntegration(a.db.kysely, a.workspace, params.name);
    try {
      await checkConnection(a, integration);
      return { ok: true, error: null };
    } catch (error) {
      // A connection that does not work is the answer, not a failed request; anything else is.
      if (error instanceof AbgleichError && CONNECTION_CODES.has(error.code))
        return { ok: false, error: { code: error.code, message: error.message } };
      throw error;
    }
  }),
  route(api.syncRuns, async ({ readApp }) => ({ runs: await lastRuns(readApp()) })),
];

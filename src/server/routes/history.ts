/** The audit log, change sets and undo. */
import { history as api } from '../../api/index.js';
import { findAudit, listChanges } from '../../sync/history.js';
import { findIntegration } from '../../sync/integrations.js';
import { undoChangeSet } from '../../sync/undo.js';
import type { App } from '../../sync/app.js';
import type { Route } from '../context.js';
import { route } from '../context.js';
import { auditView } from '../views.js';

/** An integration filter by name; an unknown name matches nothing (id 0 never exists). */
async function integrationId(app: App, name: string | undefined): Promise<number | undefined> {
  if (name === undefined) return undefined;
  return (await findIntegration(app.db.kysely, app.workspace, name))?.id ?? 0;
}

export const historyRoutes: Route[] = [
  route(api.listAudit, async ({ query, readApp, user }) => {
    const app = readApp();
    const entries = await findAudit(app.db.kysely, {
      workspace: app.workspace,
      item: query.item,
      local: query.local,
      change: query.change,
      actor: query.actor,
      integration: await integrationId(app, query.integration),
      before: query.before,
      limit: query.limit,
    });
    // Sensitive values in clear only for admins who ask.
    const reveal = query.reveal === true && user!.role === 'admin';
    return { entries: entries.map((e) => auditView(e, reveal)) };
  }),
  route(api.listChanges, async ({ query, readApp }) => {
    const app = readApp();
    return {
      changes: await listChanges(app.db.kysely, {
        workspace: app.workspace,
        integration: await integrationId(app, query.integration),
        actor: query.actor,
        kind: query.kind,
        before: query.before,
        limit: query.limit,
      }),
    };
  }),
  route(api.undo, async ({ params, app }) => {
    const r = await undoChangeSet(app(), params.id);
    return { ...r, conflicts: [...r.conflicts] };
  }),
];

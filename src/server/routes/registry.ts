/** The registry: employees and customers, by number. */
import { registry, customerSyncTargets } from '../../api/index.js';
import type { EntityKind } from '../../core/fields.js';
import { createCustomer } from '../../sync/customer-prompt.js';
import { recordTimeline, sideOf } from '../../sync/history.js';
import { listIntegrations } from '../../sync/integrations.js';
import { archiveRecord, createRecord, editRecord, getRecord, restoreRecord } from '../../sync/registry.js';
import { isWritable } from '../../sync/settings.js';
import { countLocal, listLocal } from '../../store/records.js';
import type { Route } from '../context.js';
import { route } from '../context.js';
import { auditView, recordView } from '../views.js';

function registryRoutes(kind: EntityKind): Route[] {
  const e = registry[kind];
  return [
    route(e.list, async ({ query, readApp }) => {
      const app = readApp();
      const archived = query.archived === true;
      const filter = {
        workspace: app.workspace,
        kind,
        archived,
        ...(query.search ? { search: query.search } : {}),
      };
      const { kysely, dialect } = app.db;
      const records = await listLocal(kysely, dialect, {
        ...filter,
        limit: query.limit,
        offset: query.offset,
      });
      return {
        records: records.map((r) => recordView(r, query.reveal === true)),
        total: await countLocal(kysely, dialect, filter),
      };
    }),
    route(e.show, async ({ params, query, readApp }) => {
      const app = readApp();
      return {
        record: recordView(
          await getRecord(app.db.kysely, app.workspace, kind, params.number),
          query.reveal === true,
        ),
      };
    }),
    route(e.create, async ({ body, app: appOf }) => {
      const app = appOf();
      await app.ensureWorkspace();
      // A customer while a writable customer integration exists needs the sync choice, as in the CLI.
      const record = await app.unit('create', null, async (unit) =>
        kind === 'customer'
          ? (await createCustomer(unit, body.values, body.sync)).record
          : createRecord(unit, kind, body.values),
      );
      return { record: recordView(record, true) };
    }),
    route(e.edit, async ({ params, body, app: appOf }) => {
      const app = appOf();
      const record = await app.unit('edit', null, async (unit) =>
        editRecord(
          unit,
          await getRecord(unit.db, app.workspace, kind, params.number),
          body.values,
          body.expectVersion,
        ),
      );
      return {
        record: recordView(record, false),
        overridden: record.overridden.map((o) => ({ ...o, integrations: [...o.integrations] })),
      };
    }),
    route(e.archive, async ({ params, app: appOf }) => {
      const app = appOf();
      const record = await app.unit('archive', null, async (unit) =>
        archiveRecord(unit, await getRecord(unit.db, app.workspace, kind, params.number)),
      );
      return { record: recordView(record, false) };
    }),
    route(e.restore, async ({ params, app: appOf }) => {
      const app = appOf();
      const record = await app.unit('restore', null, async (unit) =>
        restoreRecord(unit, await getRecord(unit.db, app.workspace, kind, params.number, 'archived')),
      );
      return { record: recordView(record, false) };
    }),
    route(e.timeline, async ({ params, query, readApp, user }) => {
      const app = readApp();
      const prefer = query.archived === true ? 'archived' : 'live';
      const record = await getRecord(app.db.kysely, app.workspace, kind, params.number, prefer);
      const entries = await recordTimeline(app.db.kysely, app.workspace, record.id, query.limit);
      return {
        // As in the audit log: old sensitive values in clear only for admins who ask.
        entries: entries.map((x) => ({
          ...auditView(x, query.reveal === true && user!.role === 'admin'),
          side: sideOf(x),
        })),
      };
    }),
  ];
}

export const registryRouteList: Route[] = [
  ...registryRoutes('employee'),
  ...registryRoutes('customer'),
  route(customerSyncTargets, async ({ readApp }) => {
    const app = readApp();
    const all = await listIntegrations(app.db.kysely, app.workspace);
    return { integrations: all.filter((i) => i.entity === 'customer' && isWritable(i)).map((i) => i.name) };
  }),
];

/**
 * Employment ending with the calendar (SYNC.md §3: an employee is inactive once `employedUntil` lies
 * before today). Runs and actions classify with today's date, but an item nobody touches keeps the
 * category it had when its end date was still in the future. `reclassifyEnded` settles those items
 * again; the server runs it once a day (and `abgleich reclassify` runs it by hand).
 */
import { isInactive } from '../core/values.js';
import type { App } from './app.js';
import { listIntegrations } from './integrations.js';
import { remoteValuesOf, settle, withLocals } from './items.js';
import { contextFor } from './settings.js';
import { itemPage } from '../store/keyset.js';

const PAGE = 1000;
/** Stored values are compact JSON; an end date is a non-empty ISO date. */
const END_DATE_SET = '%"employedUntil":"____-__-__"%';

export interface ReclassifyReport {
  /** Items looked at (unlinked, not yet inactive, carrying an end date). */
  readonly checked: number;
  /** Items whose category changed. */
  readonly moved: number;
}

/**
 * Re-settle every unlinked item of the workspace's employee integrations that is not yet `inactive`
 * although its record's `employedUntil` has passed (a link stays as it is: SYNC.md §4 keeps an
 * inactive pair `synced`, the link still exchanges data). One transaction per page of items, so a
 * large registry never holds a long lock; items that do not move write nothing.
 */
export async function reclassifyEnded(app: App): Promise<ReclassifyReport> {
  let checked = 0;
  let moved = 0;
  const today = app.now().slice(0, 10);
  for (const integration of await listIntegrations(app.db.kysely, app.workspace)) {
    if (integration.entity !== 'employee') continue;
    let after = 0;
    for (;;) {
      // Only items whose data mentions an end date at all: a cheap text filter before any JSON is read.
      const rows = await itemPage(app.db.kysely, integration.id, after, PAGE)
        .leftJoin('local_record', 'local_record.id', 'item.local_id')
        .selectAll('item')
        .where('item.linked', '=', 0)
        .where('item.category', '!=', 'inactive')
        .where((eb) =>
          eb.or([
            eb('local_record.data', 'like', END_DATE_SET),
            eb('item.remote_data', 'like', END_DATE_SET),
          ]),
        )
        .execute();
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      checked += rows.length;
      moved += await app.unit('reclassify', integration.id, async (unit) => {
        const ctx = contextFor(integration, unit.today);
        let n = 0;
        for (const item of await withLocals(unit.db, rows)) {
          const values = item.local?.values ?? remoteValuesOf(item.row) ?? {};
          const remote = remoteValuesOf(item.row);
          if (!isInactive(values, today) && !(remote && isInactive(remote, today))) continue;
          const settled = await settle(unit, ctx, item, { reason: 'employment ended' });
          if (settled.removed || settled.category !== item.row.category) n++;
        }
        return n;
      });
    }
  }
  return { checked, moved };
}

/**
 * The server's daily pass: `reclassifyEnded` at start and then every `everyMs` (a day), one at a time;
 * errors are logged and the next pass comes anyway.
 */
export function startDailyReclassify(
  app: App,
  log: (line: string) => void,
  everyMs = 24 * 60 * 60 * 1000,
): { stop(): Promise<void> } {
  let current: Promise<void> = Promise.resolve();
  const run = () => {
    current = current
      .then(() => reclassifyEnded(app))
      .then(
        (r) => {
          if (r.moved > 0) log(`${r.moved} employees whose employment has ended moved to inactive`);
        },
        (error: unknown) =>
          log(`reclassify failed: ${error instanceof Error ? error.message : String(error)}`),
      );
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref?.();
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}

/**
 * The server's sync worker: every live integration of the app's workspace is synced on its own interval
 * (`intervalMinutes`, default 15), one round at a time per integration (a "sync now" meanwhile waits for
 * the running round, see `syncIntegration`). Errors are logged with their message (which never holds a
 * credential) and recorded as the integration's last run; the worker goes on.
 */
import type { App } from './app.js';
import { listIntegrations } from './integrations.js';
import { syncIntegration } from './live-sync.js';

export interface SchedulerOptions {
  readonly log: (line: string) => void;
  /** How often the worker looks for integrations that are due (default 30 s). */
  readonly tickMs?: number;
}

export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(app: App, opts: SchedulerOptions): Scheduler {
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const tick = async (): Promise<void> => {
    const live = (await listIntegrations(app.db.kysely, app.workspace)).filter((i) => i.source !== 'file');
    for (const integration of live) {
      if (stopped) return;
      const last = await app.db.kysely
        .selectFrom('sync_run')
        .select('finished_at')
        .where('integration_id', '=', integration.id)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const due =
        !last ||
        Date.parse(app.now()) - Date.parse(last.finished_at) >= integration.settings.intervalMinutes * 60_000;
      if (!due) continue;
      try {
        const r = await syncIntegration(app, integration.name);
        opts.log(
          `sync ${integration.name}: ${r.pull.listed} listed, ${r.pull.read} read, ${r.push.delivered} writes delivered, ${r.pending} pending`,
        );
      } catch (error) {
        opts.log(
          `sync ${integration.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  };
  const run = () => {
    current = current.then(tick).catch((error: unknown) => {
      opts.log(`sync worker: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  run();
  const timer = setInterval(run, opts.tickMs ?? 30_000);
  timer.unref?.();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}

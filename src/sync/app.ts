/**
 * The entry point for the CLI (and later the server): an open store plus who acts, with every use case
 * run in one transaction as one unit of work.
 */
import { AbgleichError } from '../core/errors.js';
import type { Db } from '../store/database.js';
import { isBusy } from '../store/database.js';
import { reclassifyChangedLocals } from './local-items.js';
import { Unit } from './unit.js';
import type { SecretBox } from './secrets.js';

export interface AppOptions {
  readonly db: Db;
  readonly workspace: string;
  readonly actor: string;
  /** Injected so tests and runs can fix the time. */
  readonly clock: () => Date;
  /** Seals and opens stored credentials; asked for only when an integration needs one. */
  readonly secrets?: () => SecretBox;
  /** The `fetch` live connectors use (tests inject failures). */
  readonly fetch?: typeof fetch;
}

/** A lock another connection held past the wait, as the error a user can act on; others unchanged. */
function busyAsError(error: unknown): unknown {
  return isBusy(error)
    ? new AbgleichError(
        'database_busy',
        'Other work is writing to the database (an import or another action); nothing was changed. Try again when it is done.',
      )
    : error;
}

/** Thrown inside a transaction to roll it back on purpose (dry runs), carrying the result out. */
export class Rollback<T> extends Error {
  constructor(readonly result: T) {
    super('rollback');
  }
}

export class App {
  constructor(readonly options: AppOptions) {}

  get db(): Db {
    return this.options.db;
  }

  get workspace(): string {
    return this.options.workspace;
  }

  now(): string {
    return this.options.clock().toISOString();
  }

  /** Create the workspace on first use. Looked up first: a reading command needs no write lock. */
  async ensureWorkspace(): Promise<void> {
    const found = await this.db.kysely
      .selectFrom('workspace')
      .select('id')
      .where('id', '=', this.workspace)
      .executeTakeFirst();
    if (found) return;
    try {
      await this.db.kysely
        .insertInto('workspace')
        .values({ id: this.workspace, name: this.workspace, created_at: this.now() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    } catch (error) {
      throw busyAsError(error);
    }
  }

  /** Run `fn` as one unit of work in one transaction; a thrown error rolls everything back. */
  async unit<T>(
    kind: string,
    integrationId: number | null,
    fn: (unit: Unit) => Promise<T>,
    summary?: (result: T) => unknown,
  ): Promise<T> {
    try {
      return await this.db.kysely.transaction().execute(async (trx) => {
        await this.db.bulk.lockWorkspace(trx, this.workspace);
        const unit = new Unit(
          trx,
          this.db.bulk,
          this.workspace,
          this.options.actor,
          this.now(),
          kind,
          integrationId,
        );
        let result: T;
        try {
          result = await fn(unit);
        } catch (error) {
          // Nothing may still be writing when the transaction rolls back.
          await unit.caughtUp().catch(() => undefined);
          throw error;
        }
        await reclassifyChangedLocals(unit, (integration) => `changed by ${kind} in ${integration}`);
        if (summary) unit.summarize(summary(result));
        await unit.finish();
        return result;
      });
    } catch (error) {
      if (error instanceof Rollback) return error.result as T;
      throw busyAsError(error);
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

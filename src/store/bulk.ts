/**
 * Bulk writes for the hot paths of runs and bulk actions (a million rows). Kysely compiles every query,
 * which costs more than the insert itself at that scale; so here SQLite uses cached prepared statements
 * on the same connection (inside the caller's transaction), and PostgreSQL one statement per batch that
 * takes its rows as one JSON text (`json_to_recordset`): `pg` encodes an array parameter element by element
 * with a regex each, about 20 µs a row of nine columns against 2 µs for `JSON.stringify` of the rows
 * (bench/README) — the largest part of a million-row import's time in node.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import type { Executor } from './executor.js';
import type { Tables } from './schema.js';

type Row = Readonly<Record<string, unknown>>;

export interface BulkWriter {
  /** Insert rows that all have the same columns; returns their new ids in order. */
  insert<T extends keyof Tables>(db: Executor, table: T, rows: readonly Row[]): Promise<number[]>;
  /**
   * Insert rows that all have the same columns, skipping each one a unique index already holds (or that
   * an earlier row of the same call took). Returns the new ids in order, `null` for a row skipped. The
   * index itself decides, row by row: no lookup query whose plan could go wrong on a table that grows
   * within the transaction. `key` names a column whose value is unique among the rows inserted (on
   * PostgreSQL the inserted rows are matched back by it).
   */
  insertNew<T extends keyof Tables>(
    db: Executor,
    table: T,
    rows: readonly Row[],
    key: string,
  ): Promise<(number | null)[]>;
  /** Update rows by id; every row carries the same columns besides `id`. */
  update<T extends keyof Tables>(db: Executor, table: T, rows: readonly Row[]): Promise<void>;
  /**
   * Stream the rows of a read-only query as arrays of column values, in pages: a million rows without
   * a million objects at once. Run it inside the caller's transaction; issue no other query on `db`
   * until the iteration has ended (SQLite keeps the statement open between pages). Parameters are
   * written `?` (and no `?` may appear otherwise); the selected columns need distinct names.
   */
  scan(db: Executor, sql: string, params: readonly unknown[]): AsyncIterable<unknown[][]>;
  /**
   * SQL of an aggregate that joins the text `expression` over a group's rows, in no particular order and
   * with nothing between them (`group_concat` / `string_agg`). A page of rows read as one value: the
   * driver's work per row is what costs most in reading a million (bench/README).
   */
  joinText(expression: string): string;
  /**
   * For a bulk run that writes a large share of a table: drop index `name` now and return what builds it
   * again (call it before the transaction ends; a rollback brings the index back by itself). Building an
   * index sorted at once is far cheaper than keeping it up entry by entry in random order (bench/README,
   * "The floor"). SQLite only, inside the caller's transaction; `null` on PostgreSQL, where dropping an
   * index would lock every reader of the table out until the commit, or when there is no such index.
   */
  deferIndex(db: Executor, name: string): Promise<(() => Promise<void>) | null>;
  /**
   * After a bulk run that wrote a large share of `tables`: bring the planner's statistics up to date, in
   * the caller's transaction. PostgreSQL plans from them: a table filled by one import and read by the
   * next before autovacuum came round was taken for a few hundred rows, and each page of the remote
   * index became a scan and sort of the whole integration (200,000 items: 110 ms a page instead of 8).
   * Nothing on SQLite, which plans from its indexes.
   */
  analyze(db: Executor, tables: readonly (keyof Tables)[]): Promise<void>;
  /**
   * Whether the database works while node does: true for PostgreSQL (a server), false for SQLite, whose
   * statements run in node's own thread, so a write started without waiting would only interleave.
   */
  readonly concurrent: boolean;
  /**
   * Take the workspace's write lock for the rest of the caller's transaction, waiting for a unit of work
   * that holds it (up to the connection's lock wait, then `isBusy`). Every unit takes it first, so units
   * of one workspace write one after the other, each reading what the one before committed — as SQLite
   * gives by itself (`begin immediate`: one writer per file). On PostgreSQL, under read committed, two
   * imports at once otherwise interleaved their batches and an import beside a bulk delete left items
   * linked to archived records and counts below zero.
   */
  lockWorkspace(db: Executor, workspace: string): Promise<void>;
}

/**
 * The first key of the PostgreSQL advisory lock of a workspace ("Abgl"); the second is the workspace id's
 * `hashtext`. Two workspaces whose ids hash alike only wait for each other.
 */
const WORKSPACE_LOCK = 0x4162676c;

const SCAN_PAGE = 20_000;

/** A bulk run that wrote this many rows of a table has the table analyzed (`BulkWriter.analyze`). */
export const ANALYZE_AFTER = 10_000;

/** PostgreSQL column types of the JSON record sets (the rest are text). */
const PG_TYPES: Record<string, string> = {
  id: 'int4',
  integration_id: 'int4',
  local_id: 'int4',
  change_set_id: 'int4',
  item_id: 'int4',
  remote_deleted: 'int4',
  linked: 'int4',
  sync_enabled: 'int4',
  do_not_sync: 'int4',
  version: 'int4',
  attempts: 'int4',
};
const pgType = (column: string): string => PG_TYPES[column] ?? 'text';

const columnsOf = (rows: readonly Row[]): string[] => Object.keys(rows[0] ?? {});

export function sqliteBulk(sqlite: BetterSqlite3.Database): BulkWriter {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string) => {
    let s = statements.get(sql);
    if (!s) {
      s = sqlite.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };
  const values = (row: Row, columns: readonly string[]) =>
    columns.map((c) => (row[c] === undefined ? null : row[c]));
  return {
    async insert(_db, table, rows) {
      if (rows.length === 0) return [];
      const columns = columnsOf(rows);
      const stmt = prepared(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      );
      return rows.map((row) => Number(stmt.run(values(row, columns)).lastInsertRowid));
    },
    async insertNew(_db, table, rows) {
      if (rows.length === 0) return [];
      const columns = columnsOf(rows);
      const stmt = prepared(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) on conflict do nothing`,
      );
      return rows.map((row) => {
        const info = stmt.run(values(row, columns));
        return info.changes === 0 ? null : Number(info.lastInsertRowid);
      });
    },
    async update(_db, table, rows) {
      if (rows.length === 0) return;
      const columns = columnsOf(rows).filter((c) => c !== 'id');
      const stmt = prepared(`update ${table} set ${columns.map((c) => `${c} = ?`).join(', ')} where id = ?`);
      for (const row of rows) stmt.run([...values(row, columns), row.id]);
    },
    joinText: (expression) => `group_concat(${expression}, '')`,
    concurrent: false,
    async lockWorkspace() {}, // the transaction began `immediate`: it holds the file's write lock
    async analyze() {},
    async deferIndex(_db, name) {
      const row = sqlite
        .prepare(`select sql from sqlite_master where type = 'index' and name = ?`)
        .get(name) as { sql: string | null } | undefined;
      if (!row?.sql) return null;
      const definition = row.sql;
      sqlite.exec(`drop index ${name}`);
      return async () => {
        sqlite.exec(definition);
      };
    },
    async *scan(_db, sql, params) {
      let page: unknown[][] = [];
      for (const row of prepared(`${sql} -- scan`)
        .raw(true)
        .iterate(...params) as IterableIterator<unknown[]>) {
        page.push(row);
        if (page.length === SCAN_PAGE) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    },
  };
}

let cursors = 0;

export function postgresBulk(): BulkWriter {
  /** The rows of `$1` (a JSON array of objects) as a table `v` with `columns`. */
  const recordset = (columns: readonly string[]) =>
    `json_to_recordset($1::json) as v(${columns.map((c) => `${c} ${pgType(c)}`).join(', ')})`;
  /** A chunk as the parameter: every row has the same keys; an undefined value is left out, i.e. null. */
  const param = (chunk: readonly Row[]) => [JSON.stringify(chunk)];
  return {
    async insert(db, table, rows) {
      const ids: number[] = [];
      for (let i = 0; i < rows.length; i += 5000) {
        const chunk = rows.slice(i, i + 5000);
        const columns = columnsOf(chunk);
        const list = columns.join(', ');
        const sql = `insert into ${table} (${list}) select ${list} from ${recordset(columns)} returning id`;
        const result = await db.executeQuery<{ id: number }>(CompiledQuery.raw(sql, param(chunk)));
        // INSERT … SELECT FROM a set-returning function inserts, and returns, in the order of its rows.
        ids.push(...result.rows.map((r) => r.id));
      }
      return ids;
    },
    async insertNew(db, table, rows, key) {
      const ids: (number | null)[] = [];
      for (let i = 0; i < rows.length; i += 5000) {
        const chunk = rows.slice(i, i + 5000);
        const columns = columnsOf(chunk);
        const list = columns.join(', ');
        const sql = `insert into ${table} (${list}) select ${list} from ${recordset(columns)} on conflict do nothing returning id, ${key} as key`;
        const result = await db.executeQuery<{ id: number; key: unknown }>(
          CompiledQuery.raw(sql, param(chunk)),
        );
        const byKey = new Map(result.rows.map((r) => [String(r.key), r.id]));
        // A key the call inserted twice was inserted once: the first row of it gets the id.
        for (const row of chunk) {
          const k = String(row[key]);
          ids.push(byKey.get(k) ?? null);
          byKey.delete(k);
        }
      }
      return ids;
    },
    async update(db, table, rows) {
      for (let i = 0; i < rows.length; i += 5000) {
        const chunk = rows.slice(i, i + 5000);
        const columns = columnsOf(chunk);
        const others = columns.filter((c) => c !== 'id');
        const sql = `update ${table} t set ${others.map((c) => `${c} = v.${c}`).join(', ')} from ${recordset(columns)} where t.id = v.id`;
        await db.executeQuery(CompiledQuery.raw(sql, param(chunk)));
      }
    },
    joinText: (expression) => `string_agg(${expression}, '')`,
    concurrent: true,
    async lockWorkspace(db, workspace) {
      await db.executeQuery(
        CompiledQuery.raw('select pg_advisory_xact_lock($1, hashtext($2))', [WORKSPACE_LOCK, workspace]),
      );
    },
    async analyze(db, tables) {
      for (const table of tables) await db.executeQuery(CompiledQuery.raw(`analyze ${table}`));
    },
    async deferIndex() {
      return null;
    },
    async *scan(db, sql, params) {
      // A server-side cursor of the caller's transaction: pages come as they are fetched.
      const cursor = `scan_${++cursors}`;
      let n = 0;
      const numbered = sql.replace(/\?/g, () => `$${++n}`);
      await db.executeQuery(
        CompiledQuery.raw(`declare ${cursor} no scroll cursor for ${numbered}`, [...params]),
      );
      try {
        for (;;) {
          const { rows } = await db.executeQuery<Record<string, unknown>>(
            CompiledQuery.raw(`fetch ${SCAN_PAGE} from ${cursor}`),
          );
          if (rows.length > 0) yield rows.map((r) => Object.values(r));
          if (rows.length < SCAN_PAGE) break;
        }
      } finally {
        await db.executeQuery(CompiledQuery.raw(`close ${cursor}`));
      }
    },
  };
}

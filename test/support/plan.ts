/** What SQLite's planner does with a query: `explain query plan`, its steps joined by " | ". */
import type { Compilable } from 'kysely';
import type { Executor } from '../../src/store/executor.js';

export async function sqlitePlan(db: Executor, query: Compilable): Promise<string> {
  const compiled = query.compile();
  const plan = await db.executeQuery<{ detail: string }>({
    ...compiled,
    sql: `explain query plan ${compiled.sql}`,
  });
  return plan.rows.map((r) => r.detail).join(' | ');
}

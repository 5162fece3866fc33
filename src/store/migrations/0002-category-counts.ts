import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Counts per integration and category, kept by triggers, so the overview's counts are one small read at
 * any size (instead of counting a million index entries). SQLite uses row triggers; PostgreSQL statement
 * triggers over transition tables, so a bulk write of thousands of items updates each count once.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('category_count')
    .addColumn('integration_id', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('category_count_pk', ['integration_id', 'category'])
    .execute();
  const statements = dialect === 'sqlite' ? SQLITE : POSTGRES;
  for (const statement of statements) await sql.raw(statement).execute(db);
  await sql
    .raw(
      `insert into category_count (integration_id, category, n)
       select integration_id, category, count(*) from item group by integration_id, category`,
    )
    .execute(db);
}

const SQLITE = [
  `create trigger item_count_insert after insert on item begin
     insert into category_count (integration_id, category, n) values (new.integration_id, new.category, 1)
       on conflict (integration_id, category) do update set n = n + 1;
   end`,
  `create trigger item_count_delete after delete on item begin
     update category_count set n = n - 1 where integration_id = old.integration_id and category = old.category;
   end`,
  `create trigger item_count_update after update of category, integration_id on item
     when old.category <> new.category or old.integration_id <> new.integration_id begin
     update category_count set n = n - 1 where integration_id = old.integration_id and category = old.category;
     insert into category_count (integration_id, category, n) values (new.integration_id, new.category, 1)
       on conflict (integration_id, category) do update set n = n + 1;
   end`,
];

const POSTGRES = [
  `create function category_count_add() returns trigger language plpgsql as $$
   begin
     insert into category_count (integration_id, category, n)
       select integration_id, category, count(*) from new_rows group by integration_id, category
       on conflict (integration_id, category) do update set n = category_count.n + excluded.n;
     return null;
   end $$`,
  `create function category_count_remove() returns trigger language plpgsql as $$
   begin
     update category_count c set n = c.n - o.k
       from (select integration_id, category, count(*) as k from old_rows group by integration_id, category) o
       where c.integration_id = o.integration_id and c.category = o.category;
     return null;
   end $$`,
  `create function category_count_move() returns trigger language plpgsql as $$
   begin
     insert into category_count (integration_id, category, n)
       select integration_id, category, sum(d) from (
         select integration_id, category, 1 as d from new_rows
         union all
         select integration_id, category, -1 as d from old_rows
       ) x group by integration_id, category having sum(d) <> 0
       on conflict (integration_id, category) do update set n = category_count.n + excluded.n;
     return null;
   end $$`,
  `create trigger item_count_insert after insert on item referencing new table as new_rows
     for each statement execute function category_count_add()`,
  `create trigger item_count_delete after delete on item referencing old table as old_rows
     for each statement execute function category_count_remove()`,
  `create trigger item_count_update after update on item referencing old table as old_rows new table as new_rows
     for each statement execute function category_count_move()`,
];

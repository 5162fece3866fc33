/**
 * Matching in a run (SYNC.md §6): which unlinked local record a remote row meets by its number. The run
 * itself is `run.ts`; a local record made after its remote one is matched in `local-items.ts`.
 */
import type { FieldValues } from '../core/fields.js';
import type { NumberOptions } from '../core/compare.js';
import { numberKey } from '../core/compare.js';
import { mayAutoLink } from '../core/match.js';
import type { ItemState } from '../core/model.js';
import type { Item } from './items.js';
import { loadItems, remoteValuesOf, removeItem } from './items.js';
import type { Unit } from './unit.js';

/** A checked row of the snapshot on its way to the store. */
export interface Entry {
  readonly key: string;
  readonly hash: string;
  readonly values: FieldValues;
  readonly row: number;
}

/** An unlinked record alone on one side, as matching sees it (literals: a first import makes a million). */
const NO_BASELINE = Object.freeze({ local: Object.freeze({}), remote: Object.freeze({}) });
export const remoteOnly = (values: FieldValues): ItemState => ({
  local: null,
  remote: { values, deleted: false },
  linked: false,
  syncEnabled: true,
  doNotSync: false,
  baseline: NO_BASELINE,
});
export const localOnly = (values: FieldValues): ItemState => ({
  local: { values, archived: false },
  remote: null,
  linked: false,
  syncEnabled: true,
  doNotSync: false,
  baseline: NO_BASELINE,
});

export class Matching {
  /** Loaded when the first record that may need it comes (an unchanged re-import never does). */
  private localByNumber: Map<string, number> | undefined;

  constructor(
    private readonly unit: Unit,
    private readonly integrationId: number,
    private readonly numbers: NumberOptions,
  ) {}

  /** Itself, once the candidates are read (`take` is synchronous: it runs for every new row). */
  async loaded(): Promise<this> {
    await this.locals();
    return this;
  }

  /**
   * The item of the unlinked local record a row without an item (`key`, in `state`) is to be linked with,
   * if any; it is nobody else's afterwards. The caller still checks the local record itself
   * (`localOnly`). Call `loaded` first.
   */
  take(key: string, state: ItemState): number | undefined {
    const locals = this.localByNumber!;
    const localItem = locals.get(key);
    if (localItem === undefined || !mayAutoLink(state, this.unit.today)) return undefined;
    locals.delete(key);
    return localItem;
  }

  /**
   * Remote-only items this run changes: one that may be linked now and could not before (active again)
   * meets the unlinked local record of its number, as a new row would. Its item goes; the local record's
   * item takes the row (through `linkIds`). Returns the items to settle as usual. A remote record that
   * could be linked before stays as it is: a pair the user unlinked is not matched again.
   */
  async rejoin(
    items: readonly Item[],
    rows: ReadonlyMap<number, Entry>,
    linkIds: Map<number, Entry>,
  ): Promise<readonly Item[]> {
    const today = this.unit.today;
    const waiting = items.filter(
      (i) =>
        i.row.local_id === null &&
        i.row.linked === 0 &&
        i.row.do_not_sync === 0 &&
        i.row.sync_enabled === 1 &&
        !mayAutoLink(remoteOnly(remoteValuesOf(i.row) ?? {}), today),
    );
    if (waiting.length === 0) return items;
    const locals = await this.locals();
    const pairs = new Map<number, Item>(); // the local record's item → the remote-only item
    for (const item of waiting) {
      const entry = rows.get(item.row.id)!;
      const localItem = locals.get(entry.key);
      if (localItem !== undefined && mayAutoLink(remoteOnly(entry.values), today)) pairs.set(localItem, item);
    }
    if (pairs.size === 0) return items;
    const gone = new Set<number>();
    for (const local of await loadItems(this.unit.db, [...pairs.keys()])) {
      if (!local.local || !mayAutoLink(localOnly(local.local.values), today)) continue;
      const remote = pairs.get(local.row.id)!;
      const entry = rows.get(remote.row.id)!;
      await removeItem(this.unit, remote.row, 'linked by number');
      locals.delete(entry.key);
      linkIds.set(local.row.id, entry);
      gone.add(remote.row.id);
    }
    return items.filter((i) => !gone.has(i.row.id));
  }

  /**
   * Unlinked, local-only items by number key: candidates for automatic linking. Such an item is `new` or
   * `inactive` (`classifyUnlinked`; `disabled` ones are do-not-sync), so the category index narrows the
   * read to those two.
   */
  private async locals(): Promise<Map<string, number>> {
    if (this.localByNumber) return this.localByNumber;
    const rows = await this.unit.db
      .selectFrom('item')
      .innerJoin('local_record', 'local_record.id', 'item.local_id')
      .select(['item.id', 'local_record.number'])
      .where('item.integration_id', '=', this.integrationId)
      .where('item.category', 'in', ['new', 'inactive'])
      .where('item.linked', '=', 0)
      .where('item.remote_key', 'is', null)
      .where('item.do_not_sync', '=', 0)
      .where('local_record.archived_at', 'is', null)
      .execute();
    this.localByNumber = new Map(rows.map((r) => [numberKey(r.number, this.numbers), r.id]));
    return this.localByNumber;
  }
}

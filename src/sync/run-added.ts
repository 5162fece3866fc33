/**
 * The items a run adds for records only the remote side has: inserted behind the run's reading
 * (`Unit.writeBehind`), counted per category, with the name index set aside once enough of them come
 * (`name-order.ts`), and one audit entry naming them all at the end.
 */
import type { CountDeltas } from '../store/counts.js';
import { adjustCounts, tally } from '../store/counts.js';
import { ANALYZE_AFTER } from '../store/bulk.js';
import type { NewItem } from '../store/schema.js';
import { deferNameOrder } from './name-order.js';
import type { IntegrationInfo } from './settings.js';
import type { Unit } from './unit.js';

/** Every this many new items a run asks whether to set the name index aside. */
const NAME_ORDER_CHECK = 20_000;

export class AddedItems {
  /** New items inserted so far. */
  private inserted = 0;
  /** Their ids, for the audit entry. */
  private ids: { first: number; last: number; count: number } | null = null;
  private nameOrderCheck = NAME_ORDER_CHECK;
  /** What builds the name index again, if the run set it aside. */
  private restoreNameOrder: (() => Promise<void>) | null = null;

  constructor(
    private readonly unit: Unit,
    private readonly integration: IntegrationInfo,
    /** The fraction of the source read so far, if known: how many new items the whole will bring. */
    private readonly progress: (() => number | undefined) | undefined,
  ) {}

  /** Insert a batch of new items; nothing of the run reads them back, so the next batch is read meanwhile. */
  async insert(fresh: readonly NewItem[]): Promise<void> {
    if (fresh.length === 0) return;
    const deltas: CountDeltas = new Map();
    for (const f of fresh) tally(deltas, f.category);
    await this.unit.writeBehind(async () => {
      const ids = await this.unit.bulk.insert(this.unit.db, 'item', fresh);
      const added = (this.ids ??= { first: Infinity, last: -Infinity, count: 0 });
      for (const id of ids) {
        if (id < added.first) added.first = id;
        if (id > added.last) added.last = id;
      }
      added.count += ids.length;
      await adjustCounts(this.unit.db, this.integration.id, deltas);
    });
    this.inserted += fresh.length;
    if (this.restoreNameOrder === null && this.inserted >= this.nameOrderCheck) {
      // From how many new items the whole source will bring at this rate (or has brought so far).
      this.nameOrderCheck += NAME_ORDER_CHECK;
      const fraction = this.progress?.();
      const expected = fraction ? Math.round(this.inserted / fraction) : this.inserted;
      await this.unit.caughtUp(); // the counts read next must hold every item inserted so far
      this.restoreNameOrder = await deferNameOrder(this.unit, expected, this.inserted);
    }
  }

  /** After the last batch: the name index built again if it was set aside, the statistics updated. */
  async settled(): Promise<void> {
    await this.unit.caughtUp();
    await this.restoreNameOrder?.();
    this.restoreNameOrder = null;
    if (this.inserted >= ANALYZE_AFTER) await this.unit.bulk.analyze(this.unit.db, ['item']);
  }

  /**
   * One audit entry for the whole run, naming the range of the new items' ids, not one each: a first
   * import of a million rows would write a million entries, and nothing local changed. Undo removes the
   * items of the range that nothing has changed since (`undo-added.ts`, SYNC.md §8: "any run can be
   * undone"). Their ids are one unbroken run within the integration: the run inserts them in one
   * transaction, holding the workspace's write lock.
   */
  async audit(from: string): Promise<void> {
    await this.unit.caughtUp();
    if (this.ids === null || this.ids.count === 0) return;
    await this.unit.audit({
      item_id: null,
      local_id: null,
      target: 'items-added',
      field: null,
      old_value: null,
      // How many first: the history shows the keys in this order ("count 2, first 17, last 18, …").
      new_value: JSON.stringify({ ...this.ids, integration: this.integration.id }),
      reason: `new in ${from}`,
    });
  }
}

/**
 * Changing an integration's settings (SYNC.md §5): the rules, the contact person and how numbers compare
 * decide every item's category, so a change of them settles every item again at once — a conflict a new
 * rule resolves leaves the overview, one it creates appears — instead of waiting for a remote change.
 */
import { fail } from '../core/errors.js';
import { numberKey } from '../core/compare.js';
import { loadItems, remoteValuesOf, settle } from './items.js';
import { updateSettings } from './integrations.js';
import type { IntegrationInfo, IntegrationSettings } from './settings.js';
import { contextFor } from './settings.js';
import type { Unit } from './unit.js';
import { itemPage } from '../store/keyset.js';
import { matchWaiting } from './match-waiting.js';

const CHUNK = 2000;

/** What a change of settings did to the integration's items, besides saving them. */
export interface SettingsEffect {
  /** Items whose category or local record the new settings changed, or that they linked by number. */
  readonly items: number;
  /** Values written into local records (a rule that now takes the remote side's value). */
  readonly localFieldsChanged: number;
}

export interface SettingsChange {
  readonly integration: IntegrationInfo;
  readonly effect: SettingsEffect;
}

/**
 * Save `change`; when it touches how items compare, key and settle every item of the integration again,
 * and say what that changed: a rule may overwrite registry values (SYNC.md §5), which the person who set
 * it must be told, not find in the history.
 */
export async function changeSettings(
  unit: Unit,
  integration: IntegrationInfo,
  change: Partial<IntegrationSettings>,
): Promise<SettingsChange> {
  const updated = await updateSettings(unit.db, integration, unit.now, change);
  const before = integration.settings;
  const after = updated.settings;
  const zerosMoved = before.ignoreLeadingZeros !== after.ignoreLeadingZeros;
  const compareMoved =
    zerosMoved ||
    before.syncContactPerson !== after.syncContactPerson ||
    JSON.stringify(before.rules) !== JSON.stringify(after.rules);
  const effect = { items: 0, localFieldsChanged: 0 };
  if (!compareMoved) return { integration: updated, effect };
  if (zerosMoved) await rekey(unit, updated);
  const ctx = contextFor(updated, unit.today);
  let last = 0;
  for (;;) {
    const ids = (await itemPage(unit.db, updated.id, last, CHUNK).select('id').execute()).map((r) => r.id);
    if (ids.length === 0) break;
    for (const item of await loadItems(unit.db, ids)) {
      const settled = await settle(unit, ctx, item, { reason: 'integration settings changed' });
      if (settled.localChanged.length > 0 || settled.category !== item.row.category) effect.items++;
      effect.localFieldsChanged += settled.localChanged.length;
    }
    last = ids[ids.length - 1]!;
  }
  if (zerosMoved && after.ignoreLeadingZeros)
    effect.items += await matchNewlyEqual(unit, updated, before.ignoreLeadingZeros);
  return { integration: updated, effect };
}

/**
 * Numbers that meet since leading zeros are ignored (local 0300, the file's 300) are linked now, as a
 * run would have linked them (SYNC.md §6); a pair whose numbers met before and is apart stays apart.
 * Returns how many pairs it linked.
 */
async function matchNewlyEqual(
  unit: Unit,
  integration: IntegrationInfo,
  zerosBefore: boolean,
): Promise<number> {
  let linked = 0;
  const old = { ignoreLeadingZeros: zerosBefore };
  const apart = (l: string, r: string) => numberKey(l, old) !== numberKey(r, old);
  for (let last = 0; ;) {
    const ids = (
      await itemPage(unit.db, integration.id, last, CHUNK)
        .select('id')
        .where('category', '=', 'new')
        .where('remote_key', 'is', null)
        .execute()
    ).map((r) => r.id);
    if (ids.length === 0) return linked;
    for (const id of ids) if (await matchWaiting(unit, integration, id, apart)) linked++;
    last = ids[ids.length - 1]!;
  }
}

/**
 * Leading zeros now count (or no longer do): every remote record's key follows, page by page. Keys only
 * split when zeros start to count, so only ignoring them can make two records one: that is checked
 * first, over all keys, and refuses the change naming both numbers (nothing is saved then). Without such
 * a pair no new key can be another row's old one on the way, so each row is updated in place.
 */
async function rekey(unit: Unit, integration: IntegrationInfo): Promise<void> {
  const numbers = { ignoreLeadingZeros: integration.settings.ignoreLeadingZeros };
  if (numbers.ignoreLeadingZeros) {
    const seen = new Map<string, string>();
    await eachRemote(unit, integration, (id, number) => {
      const key = numberKey(number, numbers);
      const other = seen.get(key);
      if (other !== undefined)
        fail(
          'usage',
          `Integration "${integration.name}" holds the numbers ${other} and ${number}, which are the same number when leading zeros are ignored; the setting was not changed.`,
          { numbers: [other, number] },
        );
      seen.set(key, number);
      return undefined;
    });
  }
  await eachRemote(unit, integration, (_id, number, key) => {
    const next = numberKey(number, numbers);
    return next === key ? undefined : next;
  });
}

/** Every remote record of the integration, a page at a time; `visit` returns a new key to store, if any. */
async function eachRemote(
  unit: Unit,
  integration: IntegrationInfo,
  visit: (id: number, number: string, key: string) => string | undefined,
): Promise<void> {
  for (let last = 0; ;) {
    const rows = await itemPage(unit.db, integration.id, last, CHUNK)
      .select(['id', 'remote_key', 'remote_data', 'number'])
      .where('remote_key', 'is not', null)
      .execute();
    if (rows.length === 0) return;
    last = rows[rows.length - 1]!.id;
    const moves: { id: number; remote_key: string }[] = [];
    for (const row of rows) {
      const next = visit(row.id, remoteValuesOf(row)?.number ?? row.number, row.remote_key!);
      if (next !== undefined) moves.push({ id: row.id, remote_key: next });
    }
    // The bulk writer's statement: one per page on PostgreSQL, a cached one on SQLite.
    await unit.bulk.update(unit.db, 'item', moves);
  }
}

/**
 * SYNC.md §7 "Creating a customer locally while a writable customer integration is enabled asks:
 * synchronise now (create partner at once), do not synchronise (`disabled`), or decide later (`new`)."
 * The question is asked by the caller (CLI flag, UI dialog); this applies the answer in the same unit of
 * work as the creation.
 */
import { fail } from '../core/errors.js';
import type { LocalRecord } from '../store/records.js';
import { createPartner, setSyncEnabled } from './actions.js';
import { listIntegrations } from './integrations.js';
import { loadItems } from './items.js';
import { createRecord } from './registry.js';
import type { IntegrationInfo } from './settings.js';
import { isWritable } from './settings.js';
import type { Unit } from './unit.js';

export const SYNC_CHOICES = ['now', 'never', 'later'] as const;
export type SyncChoice = (typeof SYNC_CHOICES)[number];

/** The integrations the question is about: writable customer integrations of the workspace. */
export async function writableCustomerIntegrations(unit: Unit): Promise<IntegrationInfo[]> {
  return (await listIntegrations(unit.db, unit.workspace)).filter(
    (i) => i.entity === 'customer' && isWritable(i),
  );
}

export interface CreatedCustomer {
  readonly record: LocalRecord;
  /** Per writable customer integration: what the answer did to the new record's item there. */
  readonly integrations: { readonly name: string; readonly itemId: number; readonly category: string }[];
}

/**
 * Create a customer and apply the sync choice in every writable customer integration. Without a choice
 * while such an integration exists, the creation is refused with the question (nothing is created).
 */
export async function createCustomer(
  unit: Unit,
  raw: Readonly<Record<string, string>>,
  choice: SyncChoice | undefined,
): Promise<CreatedCustomer> {
  const integrations = await writableCustomerIntegrations(unit);
  if (integrations.length > 0 && choice === undefined)
    fail(
      'usage',
      `Customers are synchronised with ${integrations.map((i) => `"${i.name}"`).join(', ')}: say whether to synchronise the new customer now, never, or decide later (--sync now|never|later).`,
      { integrations: integrations.map((i) => i.name), choices: SYNC_CHOICES },
    );
  const record = await createRecord(unit, 'customer', raw);
  const out: CreatedCustomer['integrations'] = [];
  for (const integration of integrations) {
    const row = await unit.db
      .selectFrom('item')
      .select('id')
      .where('integration_id', '=', integration.id)
      .where('local_id', '=', record.id)
      .executeTakeFirstOrThrow();
    const [item] = await loadItems(unit.db, [row.id]);
    if (!item) continue;
    const settled =
      choice === 'now' && item.row.category === 'new'
        ? await createPartner(unit, integration, item)
        : choice === 'never'
          ? await setSyncEnabled(unit, integration, item, false)
          : null;
    out.push({
      name: integration.name,
      itemId: item.row.id,
      category: settled?.category ?? item.row.category,
    });
  }
  return { record, integrations: out };
}

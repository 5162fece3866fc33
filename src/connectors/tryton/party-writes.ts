/**
 * What a write to Tryton sends for a party's one-to-many children: its first address and its contact
 * mechanisms (e-mail, phones; for customers also the contact person's). Written through the party, so
 * that the party's write date and `_timestamp` move with them.
 */
import type { FieldName, FieldValues } from '../../core/fields.js';
import type { RemotePatch } from '../../core/port.js';
import type { TrytonParty } from './mapping.js';
import { firstAddress, mechanism } from './mapping.js';

export interface PartyWriteContext {
  readonly isCustomer: boolean;
  /** Tryton's id of the country with this ISO code (refused when Tryton has none). */
  readonly countryId: (code: string) => Promise<number>;
}

async function addressVals(values: RemotePatch, ctx: PartyWriteContext): Promise<Record<string, unknown>> {
  const v: Record<string, unknown> = {};
  if (values.address !== undefined) v.street = values.address || null;
  if (values.zip !== undefined) v.postal_code = values.zip || null;
  if (values.city !== undefined) v.city = values.city || null;
  if (values.country !== undefined) v.country = values.country ? await ctx.countryId(values.country) : null;
  return v;
}

/** The mechanisms of a record: [type, person?, field]. */
function mechanismFields(isCustomer: boolean): [string, boolean, FieldName][] {
  return isCustomer
    ? [
        ['email', false, 'email'],
        ['phone', false, 'phone'],
        ['email', true, 'contactEmail'],
        ['phone', true, 'contactPhone'],
      ]
    : [
        ['email', false, 'email'],
        ['phone', false, 'privatePhone'],
        ['mobile', false, 'workPhone'],
      ];
}

/** The children of a new party. */
export async function childCreates(
  values: FieldValues,
  ctx: PartyWriteContext,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const address = await addressVals(values, ctx);
  if (Object.values(address).some((v) => v !== null)) out.addresses = [['create', [address]]];
  const mechs = mechanismFields(ctx.isCustomer)
    .filter(([, , f]) => values[f])
    .map(([type, person, f]) => ({
      type,
      value: values[f],
      ...(person ? { name: values.contactName || values.name } : {}),
    }));
  if (mechs.length > 0) out.contact_mechanisms = [['create', mechs]];
  return out;
}

/** Address and mechanism changes of party `p`: written, created or deleted as the patch says. */
export async function childWrites(
  p: TrytonParty,
  patch: RemotePatch,
  ctx: PartyWriteContext,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const address = await addressVals(patch, ctx);
  if (Object.keys(address).length > 0) {
    const existing = firstAddress(p);
    out.addresses = existing ? [['write', [existing.id], address]] : [['create', [address]]];
  }
  const actions: unknown[] = [];
  for (const [type, person, f] of mechanismFields(ctx.isCustomer)) {
    const value = patch[f];
    if (value === undefined) continue;
    const existing = mechanism(p, type, person);
    const name = person ? { name: patch.contactName ?? (existing?.name || p.name) } : {};
    if (existing && value === '') actions.push(['delete', [existing.id]]);
    else if (existing) actions.push(['write', [existing.id], { value, ...name }]);
    else if (value !== '') actions.push(['create', [{ type, value, ...name }]]);
  }
  // A contact person renamed alone: the name goes onto the person's mechanisms it is kept on.
  if (
    ctx.isCustomer &&
    patch.contactName !== undefined &&
    patch.contactEmail === undefined &&
    patch.contactPhone === undefined
  ) {
    for (const [type] of [['email'], ['phone']] as const) {
      const existing = mechanism(p, type, true);
      if (existing && patch.contactName) actions.push(['write', [existing.id], { name: patch.contactName }]);
    }
  }
  if (actions.length > 0) out.contact_mechanisms = actions;
  return out;
}

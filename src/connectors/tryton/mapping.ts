/**
 * How SYNC.md §3 fields map onto Tryton 6.0 (modules party and company), both ways. Written down in
 * docs/tryton.md. A party's first active address carries address/zip/city/country; its active contact
 * mechanisms without a name carry the record's own e-mail and phones; those with a name are the contact
 * person (customers, when the integration syncs it).
 */
import type { EntityKind, FieldName, FieldValues } from '../../core/fields.js';
import { getFieldDef, maskValue } from '../../core/fields.js';
import type { RowProblem } from '../../core/port.js';
import { parseValue } from '../../core/values.js';

export const MAPPED_FIELDS: { readonly [K in EntityKind]: readonly FieldName[] } = {
  customer: [
    'number',
    'name',
    'address',
    'zip',
    'city',
    'country',
    'email',
    'phone',
    'contactName',
    'contactEmail',
    'contactPhone',
    'active',
  ],
  employee: [
    'number',
    'name',
    'address',
    'zip',
    'city',
    'country',
    'privatePhone',
    'workPhone',
    'email',
    'employedSince',
    'employedUntil',
    'active',
  ],
};

/** The party fields read for every record (dotted names fetch addresses and mechanisms in one call). */
export const PARTY_READ = [
  'id',
  'code',
  'name',
  'active',
  '_timestamp',
  'addresses._timestamp',
  'addresses.active',
  'addresses.street',
  'addresses.postal_code',
  'addresses.city',
  'addresses.country.code',
  'contact_mechanisms._timestamp',
  'contact_mechanisms.active',
  'contact_mechanisms.type',
  'contact_mechanisms.value',
  'contact_mechanisms.name',
] as const;

export interface TrytonAddress {
  readonly id: number;
  readonly _timestamp?: string;
  readonly active?: unknown;
  readonly street?: string | null;
  readonly postal_code?: string | null;
  readonly city?: string | null;
  readonly 'country.'?: { readonly code?: string } | null;
}

export interface TrytonMechanism {
  readonly id: number;
  readonly _timestamp?: string;
  readonly active?: unknown;
  readonly type: string;
  readonly value?: string | null;
  readonly name?: string | null;
}

export interface TrytonParty {
  readonly id: number;
  readonly code: string | null;
  readonly name: string | null;
  readonly active: unknown;
  readonly _timestamp: string;
  readonly 'addresses.'?: readonly TrytonAddress[];
  readonly 'contact_mechanisms.'?: readonly TrytonMechanism[];
}

export interface TrytonDate {
  readonly __class__: 'date';
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Booleans are 0/1 on SQLite and true/false on PostgreSQL. */
export const truthy = (v: unknown): boolean => v === true || v === 1 || v === '1';

/**
 * A party's version with its children: writes to an address or a mechanism alone do not move the party's
 * `_timestamp`, so a guarded write compares this instead (SYNC.md §6: never a blind overwrite).
 */
export function partyVersion(p: TrytonParty): string {
  const children = [...(p['addresses.'] ?? []), ...(p['contact_mechanisms.'] ?? [])]
    .map((c) => `${c.id}@${c._timestamp ?? ''}`)
    .join(',');
  return `${p._timestamp}~${children}`;
}

export const firstAddress = (p: TrytonParty): TrytonAddress | undefined =>
  (p['addresses.'] ?? []).find((a) => truthy(a.active ?? true));

/** The record's own mechanism of a type (no name), or the contact person's (a name). */
export function mechanism(p: TrytonParty, type: string, person: boolean): TrytonMechanism | undefined {
  return (p['contact_mechanisms.'] ?? []).find(
    (m) => truthy(m.active ?? true) && m.type === type && Boolean(m.name?.trim()) === person,
  );
}

export const dateOf = (d: unknown): string => {
  if (d === null || d === undefined || d === false) return '';
  const t = d as TrytonDate;
  return `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
};

export const toDate = (iso: string): TrytonDate | null => {
  if (!iso) return null;
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { __class__: 'date', year, month, day };
};

/** The raw values of a party (and, for employees, its employment), before parsing. */
export function rawValues(
  kind: EntityKind,
  p: TrytonParty,
  employee?: { start_date?: unknown; end_date?: unknown },
): Partial<Record<FieldName, string>> {
  const address = firstAddress(p);
  const raw: Partial<Record<FieldName, string>> = {
    number: p.code ?? '',
    name: p.name ?? '',
    address: address?.street ?? '',
    zip: address?.postal_code ?? '',
    city: address?.city ?? '',
    country: address?.['country.']?.code ?? '',
    email: mechanism(p, 'email', false)?.value ?? '',
    active: truthy(p.active) ? 'true' : 'false',
  };
  if (kind === 'customer') {
    raw.phone = mechanism(p, 'phone', false)?.value ?? '';
    const person = (p['contact_mechanisms.'] ?? []).find((m) => truthy(m.active ?? true) && m.name?.trim());
    raw.contactName = person?.name ?? '';
    raw.contactEmail = mechanism(p, 'email', true)?.value ?? '';
    raw.contactPhone = mechanism(p, 'phone', true)?.value ?? '';
  } else {
    raw.privatePhone = mechanism(p, 'phone', false)?.value ?? '';
    raw.workPhone = mechanism(p, 'mobile', false)?.value ?? '';
    raw.employedSince = dateOf(employee?.start_date);
    raw.employedUntil = dateOf(employee?.end_date);
  }
  return raw;
}

/** Canonical values (SYNC.md §3 normalisation) and the problems of values Abgleich cannot take. */
export function parseRecord(
  kind: EntityKind,
  raw: Partial<Record<FieldName, string>>,
  row: number,
): { values: FieldValues; problems: RowProblem[] } {
  const values: Partial<Record<FieldName, string>> = {};
  const problems: RowProblem[] = [];
  for (const field of MAPPED_FIELDS[kind]) {
    const text = raw[field] ?? '';
    const def = getFieldDef(kind, field);
    const parsed = parseValue(def, text);
    if (parsed.ok) {
      if (parsed.value !== '') values[field] = parsed.value;
    } else {
      const value = def.sensitive ? maskValue(text) : text;
      problems.push({ row, column: field, field, value, code: parsed.code, reason: parsed.message });
    }
  }
  return { values, problems };
}

/**
 * Integration settings (SYNC.md §2, §3, §5) and the engine context they give. One zod schema, parsed
 * whenever settings are read or written, so a bad setting fails with every problem named.
 */
import { z } from 'zod';
import type { EntityKind, FieldName } from '../core/fields.js';
import { CONTACT_FIELDS, FIELDS_OF } from '../core/fields.js';
import type { ReconcileContext } from '../core/model.js';
import { FIELD_RULES } from '../core/model.js';

export const SOURCES = ['file', 'tryton'] as const;
export type Source = (typeof SOURCES)[number];

export const settingsSchema = z.object({
  /** SYNC.md §3: numbers compared ignoring leading zeros (default on). */
  ignoreLeadingZeros: z.boolean().default(true),
  /** SYNC.md §3: compare and exchange the customer's contact person. */
  syncContactPerson: z.boolean().default(false),
  /** SYNC.md §5 per-field rules; fields not named are two-way. */
  rules: z.record(z.string(), z.enum(FIELD_RULES)).default({}),
  /** A custom file type (FORMATS.md "Custom file types"), checked by `formats`; absent: the standard format. */
  fileType: z.unknown().optional(),
  /** SYNC.md §7 "delete on the other side" on a writable remote: delete, or deactivate. */
  remoteDelete: z.enum(['delete', 'deactivate']).default('delete'),
  /** A live ERP's address and user (the password is stored apart, encrypted: `secrets.ts`). */
  connection: z
    .object({
      url: z.url({ protocol: /^https?$/ }),
      database: z.string().min(1),
      user: z.string().min(1),
      /** Customers: only parties in this Tryton category. */
      category: z.string().min(1).optional(),
    })
    .optional(),
  /** A live integration is synced by the server every this many minutes. */
  intervalMinutes: z.number().int().min(1).max(1440).default(15),
});

export type IntegrationSettings = z.infer<typeof settingsSchema>;

export function parseSettings(json: string): IntegrationSettings {
  return settingsSchema.parse(JSON.parse(json));
}

export interface IntegrationInfo {
  readonly id: number;
  readonly workspace: string;
  readonly name: string;
  readonly entity: EntityKind;
  readonly source: Source;
  readonly settings: IntegrationSettings;
  /** The fields the remote side carried at its last run. */
  readonly fields: readonly FieldName[];
  readonly lastRunAt: string | null;
}

export const isWritable = (i: Pick<IntegrationInfo, 'source'>): boolean => i.source !== 'file';

/** The fields compared for `present` remote fields under these settings. */
export function comparedFields(
  entity: EntityKind,
  present: readonly FieldName[],
  settings: IntegrationSettings,
): FieldName[] {
  const contact = new Set<FieldName>(CONTACT_FIELDS);
  return FIELDS_OF[entity].filter(
    (f) =>
      present.includes(f) &&
      settings.rules[f] !== 'ignore' &&
      (settings.syncContactPerson || !contact.has(f)),
  );
}

export function contextFor(
  i: IntegrationInfo,
  today: string,
  present: readonly FieldName[] = i.fields,
): ReconcileContext {
  return {
    kind: i.entity,
    fields: comparedFields(i.entity, present, i.settings),
    rules: i.settings.rules as ReconcileContext['rules'],
    writable: isWritable(i),
    numbers: { ignoreLeadingZeros: i.settings.ignoreLeadingZeros },
    today,
  };
}

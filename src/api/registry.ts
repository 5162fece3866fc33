/**
 * The registry (SYNC.md §3): employees at `/api/employees`, customers at `/api/customers`, records
 * addressed by number. Supervisors create customers and edit records; creating employees, archiving and
 * restoring are for admins (docs/ARCHITECTURE.md "Roles").
 */
import { z } from 'zod';
import type { EntityKind } from '../core/fields.js';
import { A_KIND, FIELDS_OF } from '../core/fields.js';
import type { Access } from './contract.js';
import { bool, endpoint } from './contract.js';
import { auditEntrySchema, recordSchema, valuesSchema } from './schemas.js';

/** SYNC.md §7 "creating a customer": synchronise now, do not synchronise, or decide later. */
export const SYNC_CHOICES = ['now', 'never', 'later'] as const;

const numberParam = z.object({ number: z.string().min(1).max(40) });
const reveal = { reveal: bool.optional() };

function registryOf<K extends EntityKind>(kind: K, createAccess: Access) {
  const base = `/api/${kind}s`;
  const tag = `${kind}s`;
  return {
    list: endpoint({
      id: `${kind}s.list`,
      method: 'GET',
      path: base,
      summary: `List ${kind}s (or the archive) with search and paging, ordered by number`,
      access: 'supervisor',
      tag,
      query: z.object({
        /** Any value of the record contains it (number, name, address, e-mail, …); any case. */
        search: z.string().max(200).optional(),
        archived: bool.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        offset: z.coerce.number().int().min(0).default(0),
        ...reveal,
      }),
      response: z.object({ records: z.array(recordSchema), total: z.number() }),
    }),
    show: endpoint({
      id: `${kind}s.show`,
      method: 'GET',
      path: `${base}/:number`,
      summary: `One ${kind}; sensitive values masked unless reveal=true`,
      access: 'supervisor',
      tag,
      params: numberParam,
      query: z.object(reveal),
      response: z.object({ record: recordSchema }),
    }),
    create: endpoint({
      id: `${kind}s.create`,
      method: 'POST',
      path: base,
      summary: `Create ${A_KIND[kind]}${kind === 'customer' ? ' (with the sync choice when a writable customer integration exists)' : ''}`,
      access: createAccess,
      tag,
      body: z.strictObject({
        values: valuesSchema,
        /** Only asked when `GET /api/customers/sync-targets` names an integration; default `later`. */
        sync: z.enum(SYNC_CHOICES).optional(),
      }),
      response: z.object({ record: recordSchema }),
      status: 201,
    }),
    edit: endpoint({
      id: `${kind}s.edit`,
      method: 'PATCH',
      path: `${base}/:number`,
      summary: `Change fields of ${A_KIND[kind]}; "" clears a field; expectVersion refuses a stale edit`,
      access: 'supervisor',
      tag,
      params: numberParam,
      body: z.strictObject({ values: valuesSchema, expectVersion: z.number().int().optional() }),
      response: z.object({
        record: recordSchema,
        /** Edited values a field rule put back at once: the integration's remote value wins there. */
        overridden: z.array(
          z.object({ field: z.string(), value: z.string(), integrations: z.array(z.string()) }),
        ),
      }),
    }),
    archive: endpoint({
      id: `${kind}s.archive`,
      method: 'POST',
      path: `${base}/:number/archive`,
      summary: `Archive (delete) ${A_KIND[kind]}: restorable${FIELDS_OF[kind].includes('ssn') ? '; wipes the SSN, from its history too' : ''}`,
      access: 'admin',
      tag,
      params: numberParam,
      response: z.object({ record: recordSchema }),
    }),
    restore: endpoint({
      id: `${kind}s.restore`,
      method: 'POST',
      path: `${base}/:number/restore`,
      summary: `Restore an archived ${kind}`,
      access: 'admin',
      tag,
      params: numberParam,
      response: z.object({ record: recordSchema }),
    }),
    timeline: endpoint({
      id: `${kind}s.timeline`,
      method: 'GET',
      path: `${base}/:number/timeline`,
      summary: `Every audited change of this ${kind} and its items in every integration, newest first`,
      access: 'supervisor',
      tag,
      params: numberParam,
      query: z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(200),
        ...reveal,
        /** The archived record of this number, when a newer one holds the number now. */
        archived: bool.optional(),
      }),
      response: z.object({
        entries: z.array(
          auditEntrySchema.extend({
            /** Which side the change touched: the registry (local), the remote record, or the link. */
            side: z.enum(['local', 'remote', 'link']),
          }),
        ),
      }),
    }),
  };
}

export const employees = registryOf('employee', 'admin');
export const customers = registryOf('customer', 'supervisor');

export const registry = { employee: employees, customer: customers } as const;

/** The integrations that make creating a customer ask "synchronise now / not / later". */
export const customerSyncTargets = endpoint({
  id: 'customers.syncTargets',
  method: 'GET',
  path: '/api/customer-sync-targets',
  summary: 'Writable customer integrations: when any exist, creating a customer asks now / never / later',
  access: 'supervisor',
  tag: 'customers',
  response: z.object({ integrations: z.array(z.string()) }),
});

/** Integrations (SYNC.md §2): list, show, create, change settings and field rules, remove. Admin writes. */
import { z } from 'zod';
import { endpoint } from './contract.js';
import { entitySchema, fileTypeSchema, integrationSchema, ruleSchema } from './schemas.js';

const tag = 'integrations';
const nameParam = z.object({ name: z.string().min(1).max(100) });

const settingsPatch = z.strictObject({
  ignoreLeadingZeros: z.boolean().optional(),
  syncContactPerson: z.boolean().optional(),
  /** Field → rule. Merged into the current rules; `two-way` removes a field's rule. */
  rules: z.record(z.string(), ruleSchema).optional(),
  /** A custom file type, or null for the standard Abgleich format. */
  fileType: fileTypeSchema.nullable().optional(),
  remoteDelete: z.enum(['delete', 'deactivate']).optional(),
  /** A live integration: how often the server syncs it. */
  intervalMinutes: z.number().int().min(1).max(1440).optional(),
  /**
   * A live integration's connection; the password is stored encrypted and never shown (leave it out to
   * keep the stored one).
   */
  connection: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }),
      database: z.string().min(1).max(200),
      user: z.string().min(1).max(200),
      password: z.string().min(1).max(500).optional(),
      /** Tryton customers: only parties in this party category. */
      category: z.string().min(1).max(200).nullable().optional(),
    })
    .optional(),
});

export const listIntegrations = endpoint({
  id: 'integrations.list',
  method: 'GET',
  path: '/api/integrations',
  summary: 'Every integration of the workspace with its overview counts',
  access: 'supervisor',
  tag,
  response: z.object({ integrations: z.array(integrationSchema) }),
});

export const showIntegration = endpoint({
  id: 'integrations.show',
  method: 'GET',
  path: '/api/integrations/:name',
  summary: 'One integration: settings, field rules, file type, fields of the last run, counts',
  access: 'supervisor',
  tag,
  params: nameParam,
  response: z.object({ integration: integrationSchema }),
});

export const createIntegration = endpoint({
  id: 'integrations.create',
  method: 'POST',
  path: '/api/integrations',
  summary: 'Add an integration',
  access: 'admin',
  tag,
  body: z.strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(
        /^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u,
        'letters, digits and - _ . only, starting with a letter or digit',
      ),
    entity: entitySchema,
    source: z.enum(['file', 'tryton']).default('file'),
    settings: settingsPatch.optional(),
  }),
  response: z.object({ integration: integrationSchema }),
  status: 201,
});

export const updateIntegration = endpoint({
  id: 'integrations.update',
  method: 'PATCH',
  path: '/api/integrations/:name',
  summary: 'Change settings, field rules or the file type of an integration',
  access: 'admin',
  tag,
  params: nameParam,
  body: settingsPatch,
  response: z.object({
    integration: integrationSchema,
    /**
     * What the new settings did to the integration's items: a changed rule settles every item again
     * and may write registry values (SYNC.md §5). `changeSet` names those changes in the history.
     */
    changed: z.object({
      items: z.number(),
      localFieldsChanged: z.number(),
      changeSet: z.number().nullable(),
    }),
  }),
});

export const removeIntegration = endpoint({
  id: 'integrations.remove',
  method: 'DELETE',
  path: '/api/integrations/:name',
  summary: 'Remove an integration and its overview (the registry stays as it is)',
  access: 'admin',
  tag,
  params: nameParam,
  status: 204,
});

/**
 * The server's endpoints as the screens call them: each goes through the shared contracts
 * (`src/api/`, zod schemas per endpoint) and their typed client, so a path or body that drifts from
 * the server fails the typecheck.
 */
import type { BodyOf, QueryOf } from '../../../src/api/contract.js';
import { api } from '../../../src/api/index.js';
import { createClient, urlOf } from '../../../src/api/client.js';
export type ActionName = keyof typeof api.actions;
import type { Entity, Side, Target } from './types.js';
import { track } from './http.js';

const client = createClient();
/**
 * Endpoints without path parameters still need `params: {}`: the client's `CallArgs` reads zod 4's
 * `z.object({})` input type (`Record<string, never>`) as "has parameters".
 */
const none = { params: {} as Record<string, never> };
const call = track(client.call);

export const setCsrfToken = (token: string) => {
  client.csrfToken = token;
};

export const session = {
  get: () => call(api.getSession, none),
  setup: (body: {
    login: string;
    name: string;
    password: string;
    language?: 'en' | 'de' | 'da';
    demo?: boolean;
  }) => call(api.setup, { ...none, body }),
  login: (body: { login: string; password: string }) => call(api.login, { ...none, body }),
  logout: () => call(api.logout, none),
  setLanguage: (language: 'en' | 'de' | 'da') => call(api.updateMe, { ...none, body: { language } }),
};

export type ItemQuery = QueryOf<typeof api.listItems>;
const named = (name: string) => ({ params: { name } });

export const integrations = {
  list: () => call(api.listIntegrations, none),
  show: (name: string) => call(api.showIntegration, named(name)),
  create: (body: BodyOf<typeof api.createIntegration>) => call(api.createIntegration, { ...none, body }),
  update: (name: string, body: BodyOf<typeof api.updateIntegration>) =>
    call(api.updateIntegration, { ...named(name), body }),
  syncNow: (name: string, body: BodyOf<typeof api.syncNow> = {}) =>
    call(api.syncNow, { ...named(name), body }),
  syncRuns: () => call(api.syncRuns, none),
  checkConnection: (name: string) => call(api.checkConnection, named(name)),
  remove: (name: string) => call(api.removeIntegration, named(name)),
  overview: (name: string) => call(api.overviewCounts, named(name)),
  items: (name: string, query: ItemQuery, signal?: AbortSignal) =>
    call(api.listItems, { ...named(name), query, ...(signal ? { signal } : {}) }),
  item: (name: string, id: number, reveal = false) =>
    call(api.showItem, { params: { name, id }, query: reveal ? { reveal: true } : {} }),
  candidates: (name: string, id: number) => call(api.candidates, { params: { name, id }, query: {} }),
  preview: (name: string, action: string, target: Target) =>
    call(api.previewAction, {
      ...named(name),
      body: { action: action as 'resolve', target },
    }),
  act: (name: string, action: ActionName, body: Record<string, unknown>) =>
    call(api.actions[action], { ...named(name), body: body as never }),
  partnerAll: (name: string, body: { side?: Side; search?: string }) =>
    call(api.partnerAll, { ...named(name), body }),
  startImport: (
    name: string,
    body: { upload: string; dryRun: boolean; skipInvalid: boolean; confirmDeletes: boolean; sheet?: string },
  ) => call(api.startImport, { ...named(name), body }),
  exportUrl: (name: string, format: 'csv' | 'xlsx', lang: 'en' | 'de' | 'da') =>
    urlOf(api.exportFile, { params: { name }, query: { format, lang } }),
};

export const files = {
  upload: (file: File) => call(api.upload, { ...none, file, fileName: file.name }),
  headers: (id: string, entity: Entity) => call(api.uploadHeaders, { params: { id }, query: { entity } }),
  job: (id: string) => call(api.showJob, { params: { id } }),
  jobEventsUrl: (id: string) => urlOf(api.jobEvents, { params: { id } }),
};

const reg = (kind: Entity) => api[kind === 'employee' ? 'employees' : 'customers'];

export const registry = {
  list: (
    kind: Entity,
    query: { search?: string; archived?: boolean; limit?: number; offset?: number; reveal?: boolean },
  ) => call(reg(kind).list, { ...none, query }),
  show: (kind: Entity, number: string, reveal = false) =>
    call(reg(kind).show, { params: { number }, query: reveal ? { reveal: true } : {} }),
  create: (kind: Entity, values: Record<string, string>, sync?: 'now' | 'never' | 'later') =>
    call(reg(kind).create, { ...none, body: sync ? { values, sync } : { values } }),
  edit: (kind: Entity, number: string, values: Record<string, string>, expectVersion?: number) =>
    call(reg(kind).edit, {
      params: { number },
      body: expectVersion === undefined ? { values } : { values, expectVersion },
    }),
  archive: (kind: Entity, number: string) => call(reg(kind).archive, { params: { number } }),
  restore: (kind: Entity, number: string) => call(reg(kind).restore, { params: { number } }),
  timeline: (kind: Entity, number: string, archived = false, limit?: number) =>
    call(reg(kind).timeline, {
      params: { number },
      query: { ...(archived ? { archived: true } : {}), ...(limit ? { limit } : {}) },
    }),
  syncTargets: () => call(api.customerSyncTargets, none),
};

/** The workspace's users (administrators only): the users page, and the history's user filter. */
export const users = {
  list: () => call(api.listUsers, none),
  create: (body: BodyOf<typeof api.createUser>) => call(api.createUser, { ...none, body }),
  update: (login: string, body: BodyOf<typeof api.updateUser>) =>
    call(api.updateUser, { params: { login }, body }),
  remove: (login: string) => call(api.removeUser, { params: { login } }),
};

/** The signed-in user's own account: name, language, password, API tokens. */
export const account = {
  update: (body: BodyOf<typeof api.updateMe>) => call(api.updateMe, { ...none, body }),
  tokens: () => call(api.listTokens, none),
  createToken: (name: string) => call(api.createToken, { ...none, body: { name } }),
  revokeToken: (id: number) => call(api.revokeToken, { params: { id } }),
};

export const history = {
  audit: (query: QueryOf<typeof api.listAudit>) => call(api.listAudit, { ...none, query }),
  changes: (query: QueryOf<typeof api.listChanges>) => call(api.listChanges, { ...none, query }),
  undo: (id: number) => call(api.undo, { params: { id } }),
};

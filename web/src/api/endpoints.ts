/** Calls of the server's endpoints (paths and shapes from `src/api/`), one function each. */
import { del, get, patch, post, request } from './http.js';
import type {
  ActionResult,
  AuditEntry,
  Candidate,
  ChangeSet,
  Counts,
  Entity,
  FileType,
  Integration,
  Item,
  ItemDetail,
  Job,
  RecordView,
  Session,
  Settings,
  Side,
  Target,
  UndoResult,
  Upload,
  User,
} from './types.js';

const enc = encodeURIComponent;
const integ = (name: string) => `/api/integrations/${enc(name)}`;

export const session = {
  get: () => get<Session>('/api/session'),
  setup: (body: { login: string; name: string; password: string; language?: string }) =>
    post<{ user: User; csrfToken: string }>('/api/setup', body),
  login: (body: { login: string; password: string }) =>
    post<{ user: User; csrfToken: string }>('/api/login', body),
  logout: () => post<void>('/api/logout'),
  updateMe: (body: { language?: string }) => patch<{ user: User }>('/api/me', body),
};

export interface ItemQuery {
  category?: string;
  search?: string;
  side?: Side;
  sort?: 'number' | 'name';
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export type SettingsPatch = Partial<Omit<Settings, 'fileType'>> & { fileType?: FileType | null };

export const integrations = {
  list: () => get<{ integrations: Integration[] }>('/api/integrations'),
  show: (name: string) => get<{ integration: Integration }>(integ(name)),
  create: (body: { name: string; entity: Entity; source?: string; settings?: SettingsPatch }) =>
    post<{ integration: Integration }>('/api/integrations', body),
  update: (name: string, body: SettingsPatch) => patch<{ integration: Integration }>(integ(name), body),
  remove: (name: string) => del<void>(integ(name)),
  overview: (name: string) =>
    get<{ integration: string; entity: Entity; counts: Counts }>(`${integ(name)}/overview`),
  items: (name: string, q: ItemQuery, signal?: AbortSignal) =>
    get<{ items: Item[]; total: number; nextCursor: string | null }>(
      `${integ(name)}/items`,
      { ...q },
      signal,
    ),
  item: (name: string, id: number, reveal = false) =>
    get<{ item: ItemDetail }>(`${integ(name)}/items/${id}`, reveal ? { reveal: true } : undefined),
  candidates: (name: string, id: number) =>
    get<{ candidates: Candidate[] }>(`${integ(name)}/items/${id}/candidates`),
  preview: (name: string, action: string, target: Target) =>
    post<{ total: number; count: number }>(`${integ(name)}/actions/preview`, { action, target }),
  act: (name: string, action: string, body: Record<string, unknown>) =>
    post<ActionResult>(`${integ(name)}/actions/${action}`, body),
  partnerAll: (name: string, body: { side?: Side; search?: string }) =>
    post<{ job: Job }>(`${integ(name)}/actions/partner-all`, body),
  startImport: (
    name: string,
    body: { upload: string; dryRun: boolean; skipInvalid: boolean; confirmDeletes: boolean },
  ) => post<{ job: Job }>(`${integ(name)}/imports`, body),
  exportUrl: (name: string, format: 'csv' | 'xlsx', lang: string) =>
    `${integ(name)}/export?format=${format}&lang=${lang}`,
};

export const files = {
  upload: (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<{ upload: Upload }>('POST', '/api/uploads', { body: form });
  },
  headers: (id: string, entity: Entity) =>
    get<{
      format: 'csv' | 'xlsx';
      encoding: string | null;
      headers: { header: string; field: string | null }[];
      sample: string[][];
    }>(`/api/uploads/${enc(id)}/headers`, { entity }),
  job: (id: string) => get<{ job: Job }>(`/api/jobs/${enc(id)}`),
  jobEventsUrl: (id: string) => `/api/jobs/${enc(id)}/events`,
  reportUrl: (id: string) => `/api/jobs/${enc(id)}/report.csv`,
};

const reg = (kind: Entity) => `/api/${kind}s`;

export const registry = {
  list: (
    kind: Entity,
    q: { search?: string; archived?: boolean; limit?: number; offset?: number; reveal?: boolean },
  ) => get<{ records: RecordView[]; total: number }>(reg(kind), { ...q }),
  show: (kind: Entity, number: string, reveal = false) =>
    get<{ record: RecordView }>(`${reg(kind)}/${enc(number)}`, reveal ? { reveal: true } : undefined),
  create: (kind: Entity, values: Record<string, string>, sync?: 'now' | 'never' | 'later') =>
    post<{ record: RecordView }>(reg(kind), sync ? { values, sync } : { values }),
  edit: (kind: Entity, number: string, values: Record<string, string>, expectVersion?: number) =>
    patch<{ record: RecordView }>(
      `${reg(kind)}/${enc(number)}`,
      expectVersion === undefined ? { values } : { values, expectVersion },
    ),
  archive: (kind: Entity, number: string) =>
    post<{ record: RecordView }>(`${reg(kind)}/${enc(number)}/archive`),
  restore: (kind: Entity, number: string) =>
    post<{ record: RecordView }>(`${reg(kind)}/${enc(number)}/restore`),
  timeline: (kind: Entity, number: string) =>
    get<{ entries: AuditEntry[] }>(`${reg(kind)}/${enc(number)}/timeline`),
  syncTargets: () => get<{ integrations: string[] }>('/api/customer-sync-targets'),
};

export const history = {
  audit: (q: {
    item?: number;
    local?: number;
    change?: number;
    actor?: string;
    integration?: string;
    before?: number;
    limit?: number;
  }) => get<{ entries: AuditEntry[] }>('/api/audit', { ...q }),
  changes: (q: { integration?: string; actor?: string; kind?: string; limit?: number }) =>
    get<{ changes: ChangeSet[] }>('/api/changes', { ...q }),
  undo: (id: number) => post<UndoResult>(`/api/changes/${id}/undo`),
};

/** Every endpoint of the API, as data. The server registers exactly these; the role matrix test walks them. */
import type { Endpoint } from './contract.js';
import * as auth from './auth.js';
import * as files from './files.js';
import * as history from './history.js';
import * as integrations from './integrations.js';
import * as live from './live.js';
import * as overview from './overview.js';
import { customers, customerSyncTargets, employees } from './registry.js';

export * from './contract.js';
export * from './schemas.js';
export { auth, files, history, integrations, live, overview };
export { customers, customerSyncTargets, employees, registry, SYNC_CHOICES } from './registry.js';
export { ACTION_NAMES, ITEM_SORTS } from './overview.js';

export const api = {
  ...auth,
  ...integrations,
  syncNow: live.syncNow,
  syncRuns: live.syncRuns,
  checkConnection: live.checkConnection,
  overviewCounts: overview.overview,
  listItems: overview.listItems,
  showItem: overview.showItem,
  candidates: overview.candidates,
  previewAction: overview.previewAction,
  actions: overview.actions,
  partnerAll: overview.partnerAll,
  ...history,
  ...files,
  employees,
  customers,
  customerSyncTargets,
} as const;

export const ENDPOINTS: readonly Endpoint[] = [
  ...Object.values(auth),
  ...Object.values(integrations),
  live.syncNow,
  live.syncRuns,
  live.checkConnection,
  overview.overview,
  overview.listItems,
  overview.showItem,
  overview.candidates,
  overview.previewAction,
  ...Object.values(overview.actions),
  overview.partnerAll,
  ...Object.values(history),
  ...Object.values(files),
  ...Object.values(employees),
  ...Object.values(customers),
  customerSyncTargets,
] as readonly Endpoint[];

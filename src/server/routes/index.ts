/** Every route handler, one per contract of `src/api` (build-app refuses to start if one is missing). */
import type { Route } from '../context.js';
import { fileRoutes } from './files.js';
import { historyRoutes } from './history.js';
import { integrationRoutes } from './integrations.js';
import { liveRoutes } from './live.js';
import { overviewRoutes } from './overview.js';
import { registryRouteList } from './registry.js';
import { sessionRoutes } from './session.js';

export const ROUTES: readonly Route[] = [
  ...sessionRoutes,
  ...registryRouteList,
  ...integrationRoutes,
  ...liveRoutes,
  ...overviewRoutes,
  ...historyRoutes,
  ...fileRoutes,
];

/**
 * The HTTP server, built apart from starting it (tests call `inject()`): plugins, the error shape, the
 * routes registered from the contracts of `src/api`, the OpenAPI reference at `/api/docs`, and the
 * built web app at `/` with a fallback to its index.html.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ENDPOINTS } from '../api/index.js';
import { AbgleichError } from '../core/errors.js';
import type { Db } from '../store/database.js';
import { App } from '../sync/app.js';
import type { SecretBox } from '../sync/secrets.js';
import type { PasswordCost } from '../sync/users.js';
import { DEFAULT_COST } from '../sync/users.js';
import { Authenticator } from './auth.js';
import type { Ctx, Route, ServerDeps } from './context.js';
import type { ErrorLog, SizeLimits } from './errors.js';
import { errorHandler } from './errors.js';
import { Jobs } from './jobs.js';
import { LoginThrottle } from './login-throttle.js';
import { ROUTES } from './routes/index.js';
import { Uploads } from './uploads.js';

export interface ServerOptions {
  readonly db: Db;
  /** A second connection for reads (SQLite); default: `db`. */
  readonly readDb?: Db;
  readonly clock?: () => Date;
  readonly passwordCost?: PasswordCost;
  /** The built web app (vite's outDir). Default: `dist/web` of this package. */
  readonly webRoot?: string;
  readonly logger?: boolean;
  /** Login attempts per login and address in 15 minutes. */
  readonly loginAttempts?: number;
  readonly secureCookie?: boolean;
  /** Largest upload in bytes (default 300 MB: a million-row CSV is about 125 MB). */
  readonly uploadLimit?: number;
  /** The workspace of the first administrator created by first-run setup (default "default"). */
  readonly workspace?: string;
  /** Loads the demo data into a workspace (first-run setup with `demo: true`). */
  readonly loadDemo?: (app: App) => Promise<void>;
  /** Opens live integrations' stored credentials (`abgleich serve` passes the configured key). */
  readonly secrets?: () => SecretBox;
  /** Where unexpected errors are written with their stacks (default: stderr). */
  readonly errorLog?: ErrorLog;
}

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

declare module 'fastify' {
  interface FastifyInstance {
    deps: ServerDeps;
    authenticator: Authenticator;
  }
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? (() => new Date());
  const errorLog: ErrorLog = options.errorLog ?? ((text) => void process.stderr.write(text));
  const limits: SizeLimits = { body: 2 * 1024 * 1024, upload: options.uploadLimit ?? 300 * 1024 * 1024 };
  const deps: ServerDeps = {
    db: options.db,
    readDb: options.readDb ?? options.db,
    clock,
    cost: options.passwordCost ?? DEFAULT_COST,
    jobs: new Jobs(clock, errorLog),
    uploads: new Uploads(clock, limits.upload),
    secureCookie: options.secureCookie ?? false,
    workspace: options.workspace ?? 'default',
    loadDemo: options.loadDemo,
    secrets: options.secrets,
    forgetSessions: (secret) => authenticator.forget(secret),
    logins: new LoginThrottle(options.loginAttempts ?? 10, 15 * 60_000, () => clock().getTime()),
  };
  // eslint-disable-next-line prefer-const
  let authenticator: Authenticator;
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: false,
    bodyLimit: limits.body,
  }).withTypeProvider<ZodTypeProvider>();
  app.decorate('deps', deps);
  authenticator = new Authenticator(deps);
  app.decorate('authenticator', authenticator);
  app.decorateRequest('identity', null);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler(errorLog, clock, limits));
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    return payload;
  });
  app.addHook('onClose', async () => {
    await deps.jobs.settle();
    await deps.uploads.close();
  });

  await app.register(cookie);
  await app.register(multipart, {
    limits: { files: 1, fileSize: limits.upload, fields: 20 },
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Abgleich API',
        version: '1',
        description:
          'Employee and customer master data kept in step with payroll and ERP systems. Sign in with a session ' +
          '(POST /api/login; non-GET requests carry the x-csrf-token header) or send an API token as ' +
          '`Authorization: Bearer …`. Errors are always {"error":{"code","message","details"}}.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  registerRoutes(app, deps, authenticator);
  await registerWeb(app, options.webRoot ?? DEFAULT_WEB_ROOT);
  return app;
}

function registerRoutes(app: FastifyInstance, deps: ServerDeps, authenticator: Authenticator): void {
  const byId = new Map<string, Route>(ROUTES.map((r) => [r.endpoint.id, r]));
  const missing = ENDPOINTS.filter((e) => !byId.has(e.id)).map((e) => e.id);
  if (missing.length > 0) throw new Error(`endpoints without a handler: ${missing.join(', ')}`);
  for (const e of ENDPOINTS) {
    const { handler } = byId.get(e.id)!;
    const schema: FastifySchema & Record<string, unknown> = {
      operationId: e.id,
      summary: e.summary,
      tags: [e.tag],
    };
    if (Object.keys(e.params.shape).length > 0) schema.params = e.params;
    if (Object.keys(e.query.shape).length > 0) schema.querystring = e.query;
    if (e.transport === 'json' && !(e.body instanceof z.ZodUndefined)) schema.body = e.body;
    const answersJson = e.transport === 'json' || e.transport === 'upload';
    if (answersJson && e.status !== 204) schema.response = { [e.status]: e.response };
    if (e.access === 'public') schema.security = [];
    app.route({
      method: e.method,
      url: e.path,
      schema,
      onRequest: authenticator.guard(e.access),
      handler: async (req, reply) => {
        const user = req.identity?.user ?? null;
        const appFor = (db: Db) => () => {
          if (!user) throw new AbgleichError('unauthenticated', 'Sign in first.');
          return new App({
            db,
            workspace: user.workspace,
            actor: `user:${user.login}`,
            clock: deps.clock,
            ...(deps.secrets ? { secrets: deps.secrets } : {}),
          });
        };
        const ctx: Ctx<typeof e> = {
          params: req.params as never,
          query: req.query as never,
          body: req.body as never,
          user,
          app: appFor(deps.db),
          readApp: appFor(deps.readDb),
          req,
          reply,
          deps,
        };
        const result = await handler(ctx);
        if (!answersJson) return reply;
        if (e.status === 204) return reply.code(204).send();
        return reply.code(e.status).send(result);
      },
    });
  }
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Abgleich</title>
<body style="font-family:sans-serif;max-width:40rem;margin:3rem auto">
<h1>Abgleich</h1><p>The web app was not built. Run <code>npm run build</code> (or <code>npm ci</code>)
in the checkout and start the server again. The API is running: see <a href="/api/docs">/api/docs</a>.</p>
</body></html>`;

async function registerWeb(app: FastifyInstance, webRoot: string): Promise<void> {
  const built = existsSync(`${webRoot}/index.html`);
  if (built) await app.register(fastifyStatic, { root: webRoot, prefix: '/', index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if ((req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api/') && path !== '/api') {
      if (built) return reply.type('text/html').sendFile('index.html');
      return reply.code(200).type('text/html').send(NOT_BUILT);
    }
    return reply.code(404).send({
      error: { code: 'not_found', message: `There is no ${req.method} ${path}.`, details: null },
    });
  });
}

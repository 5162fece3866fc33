/** What a route handler gets: the parsed request parts, who calls, an App acting as them, the server's parts. */
import type { LoginThrottle } from './login-throttle.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Endpoint, ResultOf } from '../api/contract.js';
import type { Db } from '../store/database.js';
import type { App } from '../sync/app.js';
import type { SecretBox } from '../sync/secrets.js';
import type { PasswordCost, UserInfo } from '../sync/users.js';
import type { Jobs } from './jobs.js';
import type { Uploads } from './uploads.js';

export interface ServerDeps {
  /** Writes (and reads inside transactions). */
  readonly db: Db;
  /** Reads outside transactions: a second SQLite connection, so lists stay live while an import runs. */
  readonly readDb: Db;
  readonly clock: () => Date;
  readonly cost: PasswordCost;
  readonly jobs: Jobs;
  readonly uploads: Uploads;
  /** Send the session cookie with `Secure` (behind HTTPS). */
  readonly secureCookie: boolean;
  /** The workspace the first administrator (first-run setup) belongs to. */
  readonly workspace: string;
  /** Loads the demo data into a workspace (injected by `abgleich serve`); absent: setup offers none. */
  readonly loadDemo: ((app: App) => Promise<void>) | undefined;
  /** The box that opens live integrations' stored credentials (absent: live integrations cannot be added or synced). */
  readonly secrets: (() => SecretBox) | undefined;
  /** Forget cached sessions (all, or one by its secret). */
  forgetSessions(secret?: string): void;
  /** Failed sign-ins per login and address. */
  readonly logins: LoginThrottle;
}

export interface Ctx<E extends Endpoint> {
  readonly params: z.output<E['params']>;
  readonly query: z.output<E['query']>;
  readonly body: z.output<E['body']>;
  /** Null only on public endpoints. */
  readonly user: UserInfo | null;
  /** An App in the caller's workspace acting as them (throws on public endpoints without a user). */
  app(): App;
  /** The same on the read connection. */
  readApp(): App;
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
  readonly deps: ServerDeps;
}

export type Handler<E extends Endpoint> = (ctx: Ctx<E>) => Promise<ResultOf<E> | undefined>;

export interface Route {
  readonly endpoint: Endpoint;
  readonly handler: Handler<Endpoint>;
}

/** Pair a contract with its handler; the types follow the contract. */
export function route<E extends Endpoint>(endpoint: E, handler: Handler<E>): Route {
  return { endpoint, handler: handler as unknown as Handler<Endpoint> };
}

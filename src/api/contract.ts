/**
 * The shape of an endpoint contract: method, path, the zod schemas of its parameters, query, body and
 * answer, and the least role that may call it (SYNC.md §9). Contracts are data: the server registers its
 * routes from them, the browser calls them through `client.ts`, the role matrix test walks them and the
 * OpenAPI document is generated from them. This folder imports only zod and `src/core`, so that it runs
 * in the browser as well as in Node.
 */
import { z } from 'zod';
import type { ErrorCode } from '../core/errors.js';
import { ERRORS } from '../core/errors.js';

/** SYNC.md §9. `public`: no login needed (session, setup, login). */
export const ROLES = ['admin', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];
export type Access = Role | 'public';

/** Whether `role` may call an endpoint that needs `access`. */
export function allows(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  if (role === null) return false;
  return access === 'supervisor' || role === 'admin';
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * How the request and answer travel: `json` both ways; `upload` a multipart/form-data body with one
 * file (fields described in `body` are sent as form fields); `download` answers with a file
 * (Content-Disposition: attachment); `events` answers with server-sent events.
 */
export type Transport = 'json' | 'upload' | 'download' | 'events';

type Obj = z.ZodObject;

export interface Endpoint<
  P extends Obj = Obj,
  Q extends Obj = Obj,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  /** Stable id, e.g. `items.list`; also the OpenAPI operationId. */
  readonly id: string;
  readonly method: Method;
  /** Fastify-style path with `:param` segments, always under `/api/`. */
  readonly path: string;
  readonly summary: string;
  readonly access: Access;
  readonly transport: Transport;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The success answer (status `status`). */
  readonly response: R;
  readonly status: 200 | 201 | 202 | 204;
  /** OpenAPI tag. */
  readonly tag: string;
}

const none = z.object({});

/** Build an endpoint; omitted schemas mean "nothing". */
export function endpoint<
  P extends Obj = typeof none,
  Q extends Obj = typeof none,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodObject,
>(e: {
  id: string;
  method: Method;
  path: string;
  summary: string;
  access: Access;
  tag: string;
  transport?: Transport;
  params?: P;
  query?: Q;
  body?: B;
  response?: R;
  status?: 200 | 201 | 202 | 204;
}): Endpoint<P, Q, B, R> {
  return {
    transport: 'json',
    status: 200,
    ...e,
    params: (e.params ?? none) as P,
    query: (e.query ?? none) as Q,
    body: (e.body ?? z.undefined()) as B,
    response: (e.response ?? z.object({})) as R,
  };
}

export type ParamsOf<E extends Endpoint> = z.input<E['params']>;
export type QueryOf<E extends Endpoint> = z.input<E['query']>;
export type BodyOf<E extends Endpoint> = z.input<E['body']>;
export type ResultOf<E extends Endpoint> = z.output<E['response']>;

export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

/** One problem of a request: `path` names the field (`values.email`, `query.limit`). */
export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() }).loose();
export type FieldError = z.infer<typeof fieldErrorSchema>;

/**
 * Every error answer: `{"error":{"code","message","details"}}`. For `validation_failed` and `usage`
 * caused by a bad request, `details` is an array of field errors, one per field.
 */
export const errorSchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.unknown(),
  }),
});
export type ErrorBody = z.infer<typeof errorSchema>;

/** Whole numbers in paths and queries arrive as text. */
export const idParam = z.coerce.number().int().positive();
export const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

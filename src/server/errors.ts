/** Every failure leaves as `{"error":{"code","message","details"}}` with the catalogue's HTTP status. */
import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorCode } from '../core/errors.js';
import { AbgleichError, ERRORS } from '../core/errors.js';

export interface ErrorReply {
  readonly status: number;
  readonly body: { error: { code: ErrorCode; message: string; details: unknown } };
}

const make = (code: ErrorCode, message: string, details: unknown = null): ErrorReply => ({
  status: ERRORS[code].http,
  body: { error: { code, message, details } },
});

/** Registry and file-type problems (`details.fields`) become one `{path, message}` per field. */
function fieldDetails(details: unknown): unknown {
  const fields = (details as { fields?: { field: string; reason: string }[] } | null)?.fields;
  if (!Array.isArray(fields)) return details ?? null;
  return fields.map((f) => ({ ...f, path: `values.${f.field}`, message: f.reason }));
}

/** The server's size limits in bytes, named in the answer to a request over one. */
export interface SizeLimits {
  /** A JSON (or other non-file) request body. */
  readonly body: number;
  /** One uploaded file. */
  readonly upload: number;
}

/** A limit as people read it: "2 MB", "300 MB", "1.5 MB" (below 1 MB, in KB: only tests set such). */
export function sizeText(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${Number((bytes / 1024).toFixed(1))} KB`;
}

export function toErrorReply(error: unknown, limits?: SizeLimits): ErrorReply {
  if (error instanceof AbgleichError) {
    const details = error.code === 'validation_failed' ? fieldDetails(error.details) : error.details;
    return make(error.code, error.message, details ?? null);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError).validationContext ?? 'body';
    // One entry per field: several problems of one field are joined. The first one's zod code and
    // bound go along, so a client can say "too short (at least 10 characters)" in its own words.
    const byPath = new Map<string, { messages: string[]; first: Record<string, unknown> }>();
    for (const v of error.validation) {
      const path = [where, ...v.instancePath.split('/').filter(Boolean)].join('.');
      const p = v.params as { minimum?: unknown; maximum?: unknown; origin?: unknown };
      const first = {
        ...(typeof v.keyword === 'string' ? { code: v.keyword } : {}),
        ...(typeof p.origin === 'string' ? { origin: p.origin } : {}),
        ...(typeof p.minimum === 'number' ? { minimum: p.minimum } : {}),
        ...(typeof p.maximum === 'number' ? { maximum: p.maximum } : {}),
      };
      const seen = byPath.get(path);
      byPath.set(path, {
        messages: [...(seen?.messages ?? []), v.message ?? 'invalid'],
        first: seen?.first ?? first,
      });
    }
    const details = [...byPath].map(([path, { messages, first }]) => ({
      path,
      message: messages.join('; '),
      ...first,
    }));
    const list = details.map((d) => `${d.path}: ${d.message}`).join('; ');
    return make('validation_failed', `The request is not valid: ${list}`, details);
  }
  if (isResponseSerializationError(error)) return make('internal', 'The answer did not match its contract.');
  const fe = error as FastifyError;
  if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return make('usage', fe.message);
  if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = limits ? ` (${sizeText(limits.body)})` : '';
    return make('too_large', `The request body is larger than the server accepts${limit}.`, {
      limitBytes: limits?.body ?? null,
    });
  }
  if (fe?.code === 'FST_REQ_FILE_TOO_LARGE') {
    const limit = limits ? ` of ${sizeText(limits.upload)}` : '';
    return make('too_large', `The file is larger than the upload limit${limit}.`, {
      limitBytes: limits?.upload ?? null,
    });
  }
  if (fe?.code === 'FST_FILES_LIMIT')
    return make('usage', 'Send one file per upload, as the multipart part "file".');
  if (fe?.statusCode === 413)
    return make('too_large', `The request is larger than the server accepts: ${fe.message}`);
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return make('usage', fe.message);
  return make('internal', 'An unexpected error occurred.');
}

/** Where unexpected errors are written (`abgleich serve`: stderr). Gets whole lines. */
export type ErrorLog = (text: string) => void;

/**
 * The answer to `error`, as `toErrorReply`; an unexpected one (`internal`) is first written to `log` with
 * its stack under an incident id, which the answer names so that a user can quote it. `where` says what
 * failed (a request's method and path, a job) and never holds a body, a query or a password.
 */
export function answerError(
  error: unknown,
  log: ErrorLog,
  where: string,
  now: Date,
  limits?: SizeLimits,
): ErrorReply {
  const reply = toErrorReply(error, limits);
  if (reply.body.error.code !== 'internal') return reply;
  const incident = randomBytes(4).toString('hex');
  log(unexpectedBlock(error, incident, where, now));
  return make('internal', `${reply.body.error.message} It has been logged as incident ${incident}.`, {
    incident,
  });
}

/** One block, every line prefixed with the incident, so the lines of concurrent failures stay apart. */
export function unexpectedBlock(error: unknown, incident: string, where: string, now: Date): string {
  const lines = [`${now.toISOString()} unexpected error in ${where}`];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && depth < 5; depth++) {
    const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
    lines.push(...(depth === 0 ? [] : ['caused by:']), ...text.split('\n'));
    e = e instanceof Error ? e.cause : undefined;
  }
  return lines.map((line) => `[abgleich ${incident}] ${line}\n`).join('');
}

/** Fastify's error handler: the error shape for every failure; unexpected ones logged to `log`. */
export function errorHandler(log: ErrorLog, clock: () => Date, limits: SizeLimits) {
  return (error: unknown, req: FastifyRequest, reply: FastifyReply): void => {
    const where = `${req.method} ${req.url.split('?')[0] ?? ''}`;
    const { status, body } = answerError(error, log, where, clock(), limits);
    void reply.status(status).type('application/json').send(body);
  };
}

/** Every failure leaves as `{"error":{"code","message","details"}}` with the catalogue's HTTP status. */
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

export function toErrorReply(error: unknown): ErrorReply {
  if (error instanceof AbgleichError) {
    const details = error.code === 'validation_failed' ? fieldDetails(error.details) : error.details;
    return make(error.code, error.message, details ?? null);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError).validationContext ?? 'body';
    // One entry per field: several problems of one field are joined.
    const byPath = new Map<string, string[]>();
    for (const v of error.validation) {
      const path = [where, ...v.instancePath.split('/').filter(Boolean)].join('.');
      byPath.set(path, [...(byPath.get(path) ?? []), v.message ?? 'invalid']);
    }
    const details = [...byPath].map(([path, messages]) => ({ path, message: messages.join('; ') }));
    const list = details.map((d) => `${d.path}: ${d.message}`).join('; ');
    return make('validation_failed', `The request is not valid: ${list}`, details);
  }
  if (isResponseSerializationError(error)) return make('internal', 'The answer did not match its contract.');
  const fe = error as FastifyError;
  if (fe?.statusCode === 429) return make('rate_limited', fe.message);
  if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return make('usage', fe.message);
  if (fe?.code === 'FST_REQ_FILE_TOO_LARGE' || fe?.statusCode === 413)
    return make('usage', 'The file is too large.');
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return make('usage', fe.message);
  return make('internal', 'An unexpected error occurred; it has been logged.');
}

export function errorHandler(error: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorReply(error);
  if (status >= 500) req.log.error({ err: error }, 'request failed');
  void reply.status(status).type('application/json').send(body);
}

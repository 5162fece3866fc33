/**
 * The one catalogue of failures: each code has its CLI exit code and HTTP status. `docs/errors.md` lists
 * the same table; a test keeps the two in step.
 */

export const ERRORS = {
  internal: { exit: 1, http: 500, title: 'Unexpected internal error' },
  usage: { exit: 2, http: 400, title: 'The command or request is malformed' },
  too_large: { exit: 2, http: 413, title: 'The request or uploaded file is larger than the server accepts' },
  validation_failed: { exit: 3, http: 400, title: 'A value is not valid for its field' },
  not_found: { exit: 4, http: 404, title: 'The named record, item, integration or change does not exist' },
  stale_version: { exit: 5, http: 409, title: 'The item changed since it was read; nothing was changed' },
  duplicate_number: { exit: 5, http: 409, title: 'The number is taken by another record' },
  wrong_category: { exit: 5, http: 409, title: 'The action does not apply to an item in this category' },
  already_exists: { exit: 5, http: 409, title: 'Something with that name exists already' },
  already_undone: { exit: 5, http: 409, title: 'The change was undone already' },
  file_unreadable: {
    exit: 6,
    http: 422,
    title: 'The file cannot be read as CSV or XLSX in an accepted layout',
  },
  file_invalid: { exit: 6, http: 422, title: 'Rows of the file are invalid; nothing was imported' },
  confirm_deletes: { exit: 7, http: 409, title: 'The run would delete many records and needs confirmation' },
  database_unavailable: { exit: 8, http: 503, title: 'The database cannot be opened or reached' },
  database_busy: {
    exit: 8,
    http: 503,
    title: 'Other work holds the database (an import?); nothing was changed, try again',
  },
  remote_unavailable: {
    exit: 9,
    http: 502,
    title: 'The remote system cannot be reached or refused the request',
  },
  remote_login_failed: {
    exit: 9,
    http: 502,
    title: "The remote system refused the integration's user or password",
  },
  remote_invalid_answer: { exit: 9, http: 502, title: 'The remote system answered in an unexpected shape' },
  remote_refused: { exit: 9, http: 502, title: 'The remote system refused a write, with its own message' },
  remote_changed: {
    exit: 5,
    http: 409,
    title: 'The remote record changed since it was read; it is read again',
  },
  secret_key_missing: {
    exit: 2,
    http: 500,
    title: 'The key that encrypts stored credentials is missing or not usable',
  },
  unauthenticated: { exit: 10, http: 401, title: 'Sign in first: no valid session or API token' },
  forbidden: { exit: 10, http: 403, title: 'Your role may not do this' },
  csrf_failed: { exit: 10, http: 403, title: 'The request lacks the CSRF token of the session' },
  rate_limited: { exit: 10, http: 429, title: 'Too many attempts; wait and try again' },
} as const satisfies Record<string, { exit: number; http: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A real failure with a stable code. `details` says what and where (field, row, column). */
export class AbgleichError extends Error {
  override readonly name = 'AbgleichError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = undefined,
  ) {
    super(message);
  }
}

export function fail(code: ErrorCode, message: string, details?: unknown): never {
  throw new AbgleichError(code, message, details);
}

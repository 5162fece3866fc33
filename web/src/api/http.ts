/**
 * What the screens need around the shared client (`src/api/client.ts`): its `ApiError`, the field
 * problems of a validation error, noticing a lost session, and saving a downloaded file.
 */
import { ApiError } from '../../../src/api/client.js';

export { ApiError };

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
  readonly code?: string;
  /** The bound a value missed (`too_small`, `too_big`), and whether it counts characters (`string`). */
  readonly minimum?: number;
  readonly maximum?: number;
  readonly origin?: string;
}

/** Validation details as a list of field issues, when the server sent them. */
export function fieldIssues(error: unknown): FieldIssue[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return error.details
    .filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
    .map((x) => {
      const path = Array.isArray(x.path) ? x.path.join('.') : String(x.path ?? x.field ?? '');
      return {
        path,
        message: String(x.message ?? x.reason ?? ''),
        ...(typeof x.code === 'string' ? { code: x.code } : {}),
        ...(typeof x.minimum === 'number' ? { minimum: x.minimum } : {}),
        ...(typeof x.maximum === 'number' ? { maximum: x.maximum } : {}),
        ...(typeof x.origin === 'string' ? { origin: x.origin } : {}),
      };
    });
}

/** Called when the server says the session is gone (401), so the app can show the login. */
let onUnauthenticated: () => void = () => {};
export const setUnauthenticatedHandler = (handler: () => void) => {
  onUnauthenticated = handler;
};

/** Wraps the client's `call` so that a 401 outside login sends the user back to the login. */
export function track<F extends (...args: never[]) => Promise<unknown>>(call: F): F {
  return (async (...args: Parameters<F>) => {
    try {
      return await call(...args);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && error.code === 'unauthenticated')
        onUnauthenticated();
      throw error;
    }
  }) as F;
}

/**
 * The one way the browser (and scripts) call the API: `call(endpoint, { params, query, body })`.
 * Fills the path, encodes the query, sends JSON with the CSRF header, and turns an error answer into an
 * `ApiError` with the code, message and details of `{"error":{…}}`. No Node imports: runs in the browser.
 *
 * ```ts
 * const client = createClient();
 * const { csrfToken } = await client.call(api.getSession, {});   // remembered for later calls
 * const page = await client.call(api.listItems, { params: { name: 'lohn' }, query: { category: 'new' } });
 * ```
 */
import type { ErrorCode } from '../core/errors.js';
import type { BodyOf, Endpoint, FieldError, ParamsOf, QueryOf, ResultOf } from './contract.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** For validation errors: the problems by field path (`values.email` → message). */
  get fieldErrors(): Record<string, string> {
    if (!Array.isArray(this.details)) return {};
    const out: Record<string, string> = {};
    for (const d of this.details as FieldError[]) {
      if (d && typeof d.path === 'string' && !(d.path in out)) out[d.path] = d.message;
    }
    return out;
  }
}

type Empty = Record<string, never>;
type Part<T> = [T] extends [undefined] ? never : keyof T extends never ? never : T;

/** What `call` takes for an endpoint: only the parts it has. */
export type CallArgs<E extends Endpoint> = {
  params?: ParamsOf<E>;
  query?: QueryOf<E>;
  body?: BodyOf<E>;
  /** An upload: the file (sent as multipart field "file"). */
  file?: Blob;
  fileName?: string;
  signal?: AbortSignal;
} & (Part<ParamsOf<E>> extends never ? Empty : { params: ParamsOf<E> });

export interface ClientOptions {
  /** Where the API lives; '' (same origin) in the browser. */
  readonly baseUrl?: string;
  /** An API token for scripts (`Authorization: Bearer …`); the browser uses the session cookie. */
  readonly token?: string;
  readonly fetch?: typeof fetch;
}

/** Fill `:name` segments of `path` from `params`. */
export function pathOf(path: string, params: Record<string, unknown> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, key: string) => {
    const v = params[key];
    if (v === undefined || v === null) throw new Error(`missing path parameter "${key}" for ${path}`);
    return encodeURIComponent(String(v));
  });
}

/** The query string (leading `?`, or ''): undefined values are left out. */
export function queryOf(query: Record<string, unknown> = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** The full URL of an endpoint, e.g. for a download link or an EventSource. */
export function urlOf<E extends Endpoint>(
  e: E,
  args: { params?: ParamsOf<E>; query?: QueryOf<E> },
  baseUrl = '',
): string {
  return `${baseUrl}${pathOf(e.path, args.params as Record<string, unknown>)}${queryOf(args.query as Record<string, unknown>)}`;
}

export function createClient(options: ClientOptions = {}) {
  const doFetch = options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  let csrfToken: string | null = null;

  async function call<E extends Endpoint>(e: E, args: CallArgs<E>): Promise<ResultOf<E>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (e.method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
    let body: FormData | string | undefined;
    if (e.transport === 'upload') {
      const form = new FormData();
      for (const [k, v] of Object.entries((args.body ?? {}) as Record<string, unknown>))
        if (v !== undefined) form.set(k, String(v));
      if (args.file) form.set('file', args.file, args.fileName ?? 'upload');
      body = form;
    } else if (args.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(args.body);
    }
    let res: Response;
    try {
      res = await doFetch(urlOf(e, args, options.baseUrl ?? ''), {
        method: e.method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body } : {}),
        ...(args.signal ? { signal: args.signal } : {}),
      });
    } catch (error) {
      throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error), null);
    }
    if (!res.ok) throw await errorOf(res);
    if (res.status === 204) return undefined as ResultOf<E>;
    if (e.transport === 'download') return (await res.text()) as ResultOf<E>;
    const data = (await res.json()) as ResultOf<E>;
    const token = (data as { csrfToken?: unknown } | null)?.csrfToken;
    if (typeof token === 'string') csrfToken = token;
    return data;
  }

  return {
    call,
    /** The CSRF token from the last session, setup or login answer. */
    get csrfToken(): string | null {
      return csrfToken;
    },
    set csrfToken(value: string | null) {
      csrfToken = value;
    },
  };
}

export type Client = ReturnType<typeof createClient>;

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: ErrorCode; message?: string; details?: unknown } };
    if (body.error?.code)
      return new ApiError(
        res.status,
        body.error.code,
        body.error.message ?? res.statusText,
        body.error.details,
      );
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, res.status >= 500 ? 'internal' : 'usage', res.statusText, null);
}

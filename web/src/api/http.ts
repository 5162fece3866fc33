/**
 * The one way the app talks to the server: JSON over fetch, the session cookie, the CSRF header on
 * every non-GET request, and errors as `ApiError` carrying the server's code and details
 * (`{"error":{"code","message","details"}}`), so the UI can translate them by code.
 */

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
  readonly code?: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** Validation details as a list of field issues, when the server sent them. */
  get fieldIssues(): FieldIssue[] {
    const d = this.details;
    if (!Array.isArray(d)) return [];
    return d
      .filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
      .map((x) => {
        const path = Array.isArray(x.path) ? x.path.join('.') : String(x.path ?? x.field ?? '');
        const issue: FieldIssue = { path, message: String(x.message ?? x.reason ?? '') };
        return typeof x.code === 'string' ? { ...issue, code: x.code } : issue;
      });
  }
}

let csrfToken = '';
export const setCsrfToken = (token: string) => {
  csrfToken = token;
};

/** Called when the server says the session is gone (401), so the app can show the login. */
let onUnauthenticated: () => void = () => {};
export const setUnauthenticatedHandler = (handler: () => void) => {
  onUnauthenticated = handler;
};

type Query = Readonly<Record<string, string | number | boolean | undefined | null>>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function toError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
    ?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${res.status}`;
  const message = typeof error?.message === 'string' ? error.message : res.statusText;
  return new ApiError(res.status, code, message, error?.details);
}

export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', String(cause), undefined);
  }
  if (!res.ok) {
    const error = await toError(res);
    if (res.status === 401 && !path.endsWith('/login')) onUnauthenticated();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) });
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} });
export const put = <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} });
export const patch = <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body: body ?? {} });
export const del = <T>(path: string, body?: unknown) =>
  request<T>('DELETE', path, body === undefined ? {} : { body });

/** Downloads a file the server sends (export, report) by a POST or GET, as the browser would save it. */
export async function download(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  fallbackName = 'download',
) {
  const headers: Record<string, string> = {};
  if (method !== 'GET') {
    headers['x-csrf-token'] = csrfToken;
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw await toError(res);
  const disposition = res.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  saveBlob(await res.blob(), match?.[1] ? decodeURIComponent(match[1]) : fallbackName);
}

export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

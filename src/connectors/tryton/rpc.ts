/**
 * Tryton's JSON-RPC over HTTP, as trytond 6.0 speaks it: a body of exactly `id`, `method` and `params`
 * (any other key switches the server to a "raw" mode), a session from `common.db.login`, and the
 * context as the last positional parameter of every model call. Errors come back in four shapes: a JSON
 * `error` pair, an HTTP status with an HTML or empty body (401 bad login or session, 403, 429, 5xx), or
 * no answer at all. Each becomes an AbgleichError that names the integration; network errors, 5xx and
 * 429 are retried with back-off first.
 */
import { AbgleichError } from '../../core/errors.js';

export interface TrytonConnection {
  /** The server, e.g. `https://erp.example.com/` (the database becomes a path segment). */
  readonly url: string;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

export interface RpcOptions {
  /** Named in every error message. */
  readonly integration: string;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Retries of a transient failure (network, 5xx, 429) before giving up. */
  readonly retries?: number;
  /** First back-off delay; it doubles per retry. */
  readonly backoffMs?: number;
  /** One request's time limit. */
  readonly timeoutMs?: number;
}

/** A failure worth trying again later (the outbox keeps the write). */
export const isTransient = (error: unknown): boolean =>
  error instanceof AbgleichError && error.code === 'remote_unavailable';

type Context = Record<string, unknown>;

export class TrytonRpc {
  private session: string | undefined;
  private context: Context = {};
  private nextId = 1;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    readonly connection: TrytonConnection,
    private readonly options: RpcOptions,
  ) {
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  private get dbUrl(): string {
    const base = this.connection.url.endsWith('/') ? this.connection.url : `${this.connection.url}/`;
    return `${base}${encodeURIComponent(this.connection.database)}/`;
  }

  private where(): string {
    return `Integration "${this.options.integration}" (Tryton ${this.connection.url}, database ${this.connection.database})`;
  }

  /** The user's context (company, language), as the official clients send it. */
  get userContext(): Context {
    return this.context;
  }

  async login(): Promise<void> {
    const result = await this.post(
      'common.db.login',
      [this.connection.user, { password: this.connection.password }, 'en'],
      false,
    );
    if (!Array.isArray(result) || typeof result[0] !== 'number' || typeof result[1] !== 'string')
      this.invalid('common.db.login', result);
    const [uid, key] = result as [number, string];
    this.session = `Session ${Buffer.from(`${this.connection.user}:${uid}:${key}`).toString('base64')}`;
    const prefs = await this.post('model.res.user.get_preferences', [true, {}], true);
    if (prefs === null || typeof prefs !== 'object') this.invalid('get_preferences', prefs);
    this.context = prefs as Context;
  }

  /** `model.<model>.<method>` with the user's context (plus `extra`) as the last parameter. */
  async model(model: string, method: string, params: unknown[], extra: Context = {}): Promise<unknown> {
    if (!this.session) await this.login();
    const call = `model.${model}.${method}`;
    const ctx = { ...this.context, ...extra };
    try {
      return await this.post(call, [...params, ctx], true);
    } catch (error) {
      // A session that expired or a server that restarted without it: log in once more.
      if (error instanceof SessionLost) {
        await this.login();
        return this.post(call, [...params, ctx], true);
      }
      throw error;
    }
  }

  async logout(): Promise<void> {
    if (!this.session) return;
    try {
      await this.post('common.db.logout', [], true);
    } catch {
      // A session that cannot be closed expires by itself.
    }
    this.session = undefined;
  }

  private async post(method: string, params: unknown[], authed: boolean): Promise<unknown> {
    const retries = this.options.retries ?? 4;
    let delay = this.options.backoffMs ?? 200;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, params, authed);
      } catch (error) {
        if (!isTransient(error) || attempt >= retries) throw error;
        await this.sleep(delay);
        delay *= 2;
      }
    }
  }

  private async once(method: string, params: unknown[], authed: boolean): Promise<unknown> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authed && this.session) headers.authorization = this.session;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(this.dbUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ id: this.nextId++, method, params }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
      });
      text = await res.text();
    } catch (error) {
      throw new AbgleichError('remote_unavailable', `${this.where()} cannot be reached: ${causeOf(error)}.`, {
        integration: this.options.integration,
      });
    }
    if (!res.ok) return this.httpError(method, res.status, text);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return this.invalid(method, text.slice(0, 200));
    }
    if (body === null || typeof body !== 'object') return this.invalid(method, body);
    const b = body as { result?: unknown; error?: unknown };
    if (b.error !== undefined && b.error !== null) return this.rpcError(method, b.error);
    if (!('result' in b)) return this.invalid(method, body);
    return b.result;
  }

  private httpError(method: string, status: number, text: string): never {
    const details = { integration: this.options.integration, status };
    if (status === 401 && method === 'common.db.login')
      throw new AbgleichError(
        'remote_login_failed',
        `${this.where()} refused user "${this.connection.user}": wrong user or password.`,
        details,
      );
    if (status === 401) throw new SessionLost();
    if (status === 429 || status >= 500)
      throw new AbgleichError(
        'remote_unavailable',
        `${this.where()} answered HTTP ${status} to ${method}${status === 429 ? ' (too many requests)' : ''}.`,
        details,
      );
    if (status === 404)
      throw new AbgleichError(
        'remote_unavailable',
        `${this.where()}: there is no database "${this.connection.database}" at that address (HTTP 404).`,
        details,
      );
    throw new AbgleichError(
      'remote_refused',
      `${this.where()} refused ${method} with HTTP ${status}${
        text
          ? `: ${text
              .replace(/<[^>]*>/g, ' ')
              .trim()
              .slice(0, 200)}`
          : ''
      }.`,
      details,
    );
  }

  private rpcError(method: string, error: unknown): never {
    const details = { integration: this.options.integration, method, error };
    const [name, args] = Array.isArray(error) ? (error as [unknown, unknown]) : [error, undefined];
    if (name === 'ConcurrencyException')
      throw new AbgleichError(
        'remote_changed',
        `${this.where()}: the record was changed in Tryton meanwhile (${method}).`,
        details,
      );
    if (name === 'LoginException')
      throw new AbgleichError(
        'remote_login_failed',
        `${this.where()} asked for a login: ${JSON.stringify(args)}.`,
        details,
      );
    if (name === 'UserError' || name === 'UserWarning') {
      const message = Array.isArray(args) ? args.filter((a) => typeof a === 'string' && a).join(' ') : '';
      throw new AbgleichError('remote_refused', `${this.where()} refused ${method}: ${message}`, details);
    }
    if (typeof name === 'string' && /doesn't exist/.test(name))
      throw new AbgleichError(
        'remote_unavailable',
        `${this.where()}: there is no database "${this.connection.database}".`,
        details,
      );
    throw new AbgleichError(
      'remote_refused',
      `${this.where()} failed ${method}: ${typeof name === 'string' ? name : JSON.stringify(name)}`,
      details,
    );
  }

  /** An answer that is not what Tryton gives: a clear error, and the caller changes nothing. */
  invalid(method: string, got: unknown): never {
    throw new AbgleichError(
      'remote_invalid_answer',
      `${this.where()} gave an unexpected answer to ${method}: ${JSON.stringify(got)?.slice(0, 200)}.`,
      { integration: this.options.integration, method },
    );
  }
}

/** HTTP 401 on an authenticated call: the session is gone (expired, logged out, server restarted). */
class SessionLost extends Error {}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

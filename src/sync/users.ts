/**
 * Users, passwords, sessions and API tokens (SYNC.md §9). Passwords are hashed with scrypt (memory-hard,
 * in node:crypto) and a per-user salt, compared in constant time. Session and token secrets are stored
 * only as SHA-256 digests: the database never holds a usable credential.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { fail } from '../core/errors.js';
import type { Executor } from '../store/executor.js';

export const ROLES = ['admin', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];
export const USER_LANGUAGES = ['en', 'de', 'da'] as const;
export type UserLanguage = (typeof USER_LANGUAGES)[number];

export interface UserInfo {
  readonly id: number;
  readonly workspace: string;
  readonly login: string;
  readonly name: string;
  readonly role: Role;
  readonly language: UserLanguage;
}

/** scrypt cost: N = 2^15, r = 8 → 32 MiB and about 0.1 s per hash here. Tests may lower it. */
export interface PasswordCost {
  readonly n: number;
  readonly r: number;
  readonly p: number;
}
export const DEFAULT_COST: PasswordCost = { n: 2 ** 15, r: 8, p: 1 };

const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, cost: PasswordCost): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { N: cost.n, r: cost.r, p: cost.p, maxmem: 256 * cost.n * cost.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

export async function hashPassword(password: string, cost: PasswordCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, cost);
  return `scrypt$${cost.n}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), {
    n: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash no password matches, so an unknown login costs the same time as a wrong password. */
let decoy: Promise<string> | undefined;

export const digest = (secret: string): string => createHash('sha256').update(secret).digest('hex');
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

type UserRow = {
  id: number;
  workspace_id: string;
  login: string;
  name: string;
  role: string;
  language: string;
};

const toUser = (r: UserRow): UserInfo => ({
  id: r.id,
  workspace: r.workspace_id,
  login: r.login,
  name: r.name,
  role: r.role as Role,
  language: r.language as UserLanguage,
});

const USER_COLUMNS = ['id', 'workspace_id', 'login', 'name', 'role', 'language'] as const;

export async function countUsers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listUsers(db: Executor, workspace: string): Promise<UserInfo[]> {
  const rows = await db
    .selectFrom('app_user')
    .select(USER_COLUMNS)
    .where('workspace_id', '=', workspace)
    .orderBy('login')
    .execute();
  return rows.map(toUser);
}

export async function findUser(db: Executor, login: string): Promise<UserInfo | undefined> {
  const row = await db
    .selectFrom('app_user')
    .select(USER_COLUMNS)
    .where('login', '=', login.trim().toLowerCase())
    .executeTakeFirst();
  return row ? toUser(row) : undefined;
}

export async function getUser(db: Executor, workspace: string, login: string): Promise<UserInfo> {
  const user = await findUser(db, login);
  if (!user || user.workspace !== workspace) fail('not_found', `There is no user "${login}".`);
  return user;
}

export interface NewUser {
  readonly login: string;
  readonly name: string;
  readonly role: Role;
  readonly password: string;
  readonly language?: UserLanguage | undefined;
}

export async function addUser(
  db: Executor,
  workspace: string,
  now: string,
  u: NewUser,
  cost: PasswordCost = DEFAULT_COST,
): Promise<UserInfo> {
  const login = u.login.trim().toLowerCase();
  if (await findUser(db, login)) fail('already_exists', `The login "${login}" is taken.`, { field: 'login' });
  const row = await db
    .insertInto('app_user')
    .values({
      workspace_id: workspace,
      login,
      name: u.name.trim(),
      role: u.role,
      language: u.language ?? 'de',
      password_hash: await hashPassword(u.password, cost),
      created_at: now,
      updated_at: now,
    })
    .returning(USER_COLUMNS)
    .executeTakeFirstOrThrow();
  return toUser(row);
}

export interface UserPatch {
  readonly name?: string | undefined;
  readonly role?: Role | undefined;
  readonly language?: UserLanguage | undefined;
  readonly password?: string | undefined;
}

export async function updateUser(
  db: Executor,
  user: UserInfo,
  now: string,
  patch: UserPatch,
  cost: PasswordCost = DEFAULT_COST,
): Promise<UserInfo> {
  if (patch.role && patch.role !== 'admin' && user.role === 'admin') await assertAnotherAdmin(db, user);
  await db
    .updateTable('app_user')
    .set({
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.language !== undefined ? { language: patch.language } : {}),
      ...(patch.password !== undefined ? { password_hash: await hashPassword(patch.password, cost) } : {}),
      updated_at: now,
    })
    .where('id', '=', user.id)
    .execute();
  // A new password ends every session of the user; the API opens a new one for the browser that changed it.
  if (patch.password !== undefined)
    await db.deleteFrom('user_session').where('user_id', '=', user.id).execute();
  return (await findUser(db, user.login))!;
}

async function assertAnotherAdmin(db: Executor, user: UserInfo): Promise<void> {
  const others = await db
    .selectFrom('app_user')
    .select('id')
    .where('workspace_id', '=', user.workspace)
    .where('role', '=', 'admin')
    .where('id', '!=', user.id)
    .executeTakeFirst();
  if (!others)
    fail('wrong_category', `"${user.login}" is the last administrator of the workspace; add another first.`);
}

export async function removeUser(db: Executor, user: UserInfo): Promise<void> {
  if (user.role === 'admin') await assertAnotherAdmin(db, user);
  await db.deleteFrom('user_session').where('user_id', '=', user.id).execute();
  await db.deleteFrom('api_token').where('user_id', '=', user.id).execute();
  await db.deleteFrom('app_user').where('id', '=', user.id).execute();
}

/** The user if login and password match; undefined otherwise (same cost either way). */
export async function checkPassword(
  db: Executor,
  login: string,
  password: string,
): Promise<UserInfo | undefined> {
  const row = await db
    .selectFrom('app_user')
    .select([...USER_COLUMNS, 'password_hash'])
    .where('login', '=', login.trim().toLowerCase())
    .executeTakeFirst();
  if (!row) {
    decoy ??= hashPassword(newSecret());
    await verifyPassword(password, await decoy);
    return undefined;
  }
  return (await verifyPassword(password, row.password_hash)) ? toUser(row) : undefined;
}

export interface SessionInfo {
  readonly user: UserInfo;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export const SESSION_DAYS = 7;

/** A new session: returns the cookie secret (shown once) and the CSRF token. */
export async function createSession(
  db: Executor,
  user: UserInfo,
  now: Date,
): Promise<{ secret: string; session: SessionInfo }> {
  const secret = newSecret();
  const csrfToken = newSecret(24);
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString();
  await db
    .insertInto('user_session')
    .values({
      id: digest(secret),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  return { secret, session: { user, csrfToken, expiresAt } };
}

export async function findSession(
  db: Executor,
  secret: string,
  now: string,
): Promise<SessionInfo | undefined> {
  const row = await db
    .selectFrom('user_session')
    .innerJoin('app_user', 'app_user.id', 'user_session.user_id')
    .select([
      'app_user.id',
      'app_user.workspace_id',
      'app_user.login',
      'app_user.name',
      'app_user.role',
      'app_user.language',
      'user_session.csrf_token',
      'user_session.expires_at',
    ])
    .where('user_session.id', '=', digest(secret))
    .executeTakeFirst();
  if (!row || row.expires_at <= now) return undefined;
  return { user: toUser(row), csrfToken: row.csrf_token, expiresAt: row.expires_at };
}

export async function endSession(db: Executor, secret: string): Promise<void> {
  await db.deleteFrom('user_session').where('id', '=', digest(secret)).execute();
}

export interface TokenInfo {
  readonly id: number;
  readonly name: string;
  readonly login: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** A token for scripts: `abg_` + 32 random bytes. Only its digest is stored. */
export async function createToken(
  db: Executor,
  user: UserInfo,
  name: string,
  now: string,
): Promise<TokenInfo & { token: string }> {
  const token = `abg_${newSecret()}`;
  const row = await db
    .insertInto('api_token')
    .values({ user_id: user.id, name: name.trim(), token_hash: digest(token), created_at: now })
    .returning(['id', 'name', 'created_at', 'last_used_at'])
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    name: row.name,
    login: user.login,
    createdAt: row.created_at,
    lastUsedAt: null,
    token,
  };
}

export async function listTokens(db: Executor, user: UserInfo): Promise<TokenInfo[]> {
  const rows = await db
    .selectFrom('api_token')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('user_id', '=', user.id)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    login: user.login,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));
}

/** Revoke token `id` of `user` (an admin may revoke any token of the workspace). */
export async function revokeToken(db: Executor, user: UserInfo, id: number): Promise<void> {
  const row = await db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .select(['api_token.id', 'api_token.user_id', 'app_user.workspace_id'])
    .where('api_token.id', '=', id)
    .executeTakeFirst();
  const mine =
    row && (row.user_id === user.id || (user.role === 'admin' && row.workspace_id === user.workspace));
  if (!mine) fail('not_found', `There is no token ${id}.`);
  await db.deleteFrom('api_token').where('id', '=', id).execute();
}

export async function findToken(
  db: Executor,
  token: string,
): Promise<{ user: UserInfo; id: number } | undefined> {
  const row = await db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .select([
      'app_user.id',
      'app_user.workspace_id',
      'app_user.login',
      'app_user.name',
      'app_user.role',
      'app_user.language',
      'api_token.id as token_id',
    ])
    .where('api_token.token_hash', '=', digest(token))
    .executeTakeFirst();
  return row ? { user: toUser(row), id: row.token_id } : undefined;
}

export async function touchToken(db: Executor, id: number, now: string): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', id).execute();
}

/** The tables of users, sessions and API tokens (migration 0004). */
import type { ColumnType, Generated } from 'kysely';

export interface AppUserTable {
  id: Generated<number>;
  workspace_id: string;
  login: string;
  name: string;
  role: string;
  language: string;
  /** `scrypt$N$r$p$salt$hash` (base64): the parameters travel with the hash. */
  password_hash: string;
  created_at: ColumnType<string, string, never>;
  updated_at: string;
}

export interface UserSessionTable {
  /** SHA-256 of the cookie's secret: a stolen database holds no usable session. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: ColumnType<string, string, never>;
  expires_at: string;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** SHA-256 of the token; the token itself is shown once. */
  token_hash: string;
  created_at: ColumnType<string, string, never>;
  last_used_at: string | null;
}

export interface AuthTables {
  app_user: AppUserTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
}

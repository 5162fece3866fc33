/** Session, first-run setup, login and logout; the signed-in user; users and API tokens (admin). */
import { z } from 'zod';
import { endpoint, idParam } from './contract.js';
import {
  languageSchema,
  loginSchema,
  passwordSchema,
  roleSchema,
  tokenSchema,
  userSchema,
} from './schemas.js';

const tag = 'session';

/** Who is signed in, the CSRF token to send as `x-csrf-token`, and whether the first admin is missing. */
export const getSession = endpoint({
  id: 'session.get',
  method: 'GET',
  path: '/api/session',
  summary: 'The current session: user (or null), CSRF token, whether first-run setup is needed',
  access: 'public',
  tag,
  response: z.object({
    user: userSchema.nullable(),
    csrfToken: z.string(),
    setupRequired: z.boolean(),
    /** Setup may load the demo data: the server can, and the workspace has no integration yet. */
    demoOffered: z.boolean(),
    /** The workspace the user acts in (null when signed out). */
    workspace: z.string().nullable(),
  }),
});

/** Creates the first administrator while no user exists, and signs in as them. */
export const setup = endpoint({
  id: 'session.setup',
  method: 'POST',
  path: '/api/setup',
  summary: 'Create the first administrator (only while no user exists) and sign in',
  access: 'public',
  tag,
  body: z.strictObject({
    login: loginSchema,
    name: z.string().trim().min(1).max(100),
    password: passwordSchema,
    language: languageSchema.optional(),
    /** Also load the demo workspace's data (the demo integrations and records) into this workspace. */
    demo: z.boolean().optional(),
  }),
  response: z.object({ user: userSchema, csrfToken: z.string() }),
  status: 201,
});

export const login = endpoint({
  id: 'session.login',
  method: 'POST',
  path: '/api/login',
  summary: 'Sign in with login and password (failed sign-ins are limited per login and address)',
  access: 'public',
  tag,
  body: z.strictObject({ login: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }),
  response: z.object({ user: userSchema, csrfToken: z.string() }),
});

export const logout = endpoint({
  id: 'session.logout',
  method: 'POST',
  path: '/api/logout',
  summary: 'Sign out (ends the session)',
  access: 'public',
  tag,
  status: 204,
});

/** The signed-in user changes their own name, language or password. */
export const updateMe = endpoint({
  id: 'me.update',
  method: 'PATCH',
  path: '/api/me',
  summary: 'Change your own name, language or password',
  access: 'supervisor',
  tag,
  body: z.strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    language: languageSchema.optional(),
    password: z.object({ current: z.string().min(1), new: passwordSchema }).optional(),
  }),
  response: z.object({ user: userSchema }),
});

const users = 'users';

export const listUsers = endpoint({
  id: 'users.list',
  method: 'GET',
  path: '/api/users',
  summary: 'The users of the workspace',
  access: 'admin',
  tag: users,
  response: z.object({ users: z.array(userSchema) }),
});

export const createUser = endpoint({
  id: 'users.create',
  method: 'POST',
  path: '/api/users',
  summary: 'Add a user to the workspace',
  access: 'admin',
  tag: users,
  body: z.strictObject({
    login: loginSchema,
    name: z.string().trim().min(1).max(100),
    role: roleSchema,
    password: passwordSchema,
    language: languageSchema.optional(),
  }),
  response: z.object({ user: userSchema }),
  status: 201,
});

export const updateUser = endpoint({
  id: 'users.update',
  method: 'PATCH',
  path: '/api/users/:login',
  summary: "Change a user's name, role, language or password",
  access: 'admin',
  tag: users,
  params: z.object({ login: z.string() }),
  body: z.strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    role: roleSchema.optional(),
    language: languageSchema.optional(),
    password: passwordSchema.optional(),
  }),
  response: z.object({ user: userSchema }),
});

export const removeUser = endpoint({
  id: 'users.remove',
  method: 'DELETE',
  path: '/api/users/:login',
  summary: 'Remove a user (their sessions and tokens end; the last admin cannot be removed)',
  access: 'admin',
  tag: users,
  params: z.object({ login: z.string() }),
  status: 204,
});

export const listTokens = endpoint({
  id: 'tokens.list',
  method: 'GET',
  path: '/api/tokens',
  summary: 'Your API tokens (the secret is never shown again)',
  access: 'supervisor',
  tag: users,
  response: z.object({ tokens: z.array(tokenSchema) }),
});

/** An API token for scripts: send it as `Authorization: Bearer <token>`; it acts with your role. */
export const createToken = endpoint({
  id: 'tokens.create',
  method: 'POST',
  path: '/api/tokens',
  summary: 'Create an API token for yourself; the answer is the only time the secret is shown',
  access: 'supervisor',
  tag: users,
  body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
  response: tokenSchema.extend({ token: z.string() }),
  status: 201,
});

export const revokeToken = endpoint({
  id: 'tokens.revoke',
  method: 'DELETE',
  path: '/api/tokens/:id',
  summary: 'Revoke one of your API tokens (an admin may revoke any)',
  access: 'supervisor',
  tag: users,
  params: z.object({ id: idParam }),
  status: 204,
});

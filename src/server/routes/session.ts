/** Session, first-run setup, login, logout, the signed-in user; users and API tokens. */
import type { FastifyReply } from 'fastify';
import { auth } from '../../api/index.js';
import { AbgleichError, fail } from '../../core/errors.js';
import { App } from '../../sync/app.js';
import { listIntegrations } from '../../sync/integrations.js';
import type { UserInfo } from '../../sync/users.js';
import * as users from '../../sync/users.js';
import { SESSION_COOKIE } from '../auth.js';
import type { Route, ServerDeps } from '../context.js';
import { route } from '../context.js';
import { userView } from '../views.js';

async function signIn(deps: ServerDeps, reply: FastifyReply, user: UserInfo): Promise<string> {
  const { secret, session } = await users.createSession(deps.db.kysely, user, deps.clock());
  void reply.setCookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: deps.secureCookie,
    maxAge: users.SESSION_DAYS * 86_400,
  });
  return session.csrfToken;
}

export const sessionRoutes: Route[] = [
  route(auth.getSession, async ({ req, deps }) => {
    const identity = req.identity;
    const setupRequired = (await users.countUsers(deps.readDb.kysely)) === 0;
    // `serve --demo` has loaded it already: offering it again would do nothing.
    const demoOffered =
      setupRequired &&
      deps.loadDemo !== undefined &&
      (await listIntegrations(deps.readDb.kysely, deps.workspace)).length === 0;
    return {
      user: identity ? userView(identity.user) : null,
      csrfToken: identity?.csrfToken ?? '',
      setupRequired,
      demoOffered,
      workspace: identity?.user.workspace ?? null,
    };
  }),

  route(auth.setup, async ({ body, deps, reply }) => {
    const user = await deps.db.kysely.transaction().execute(async (trx) => {
      if ((await users.countUsers(trx)) > 0)
        fail('already_exists', 'Setup is done: an administrator exists. Sign in instead.');
      await trx
        .insertInto('workspace')
        .values({ id: deps.workspace, name: deps.workspace, created_at: deps.clock().toISOString() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      return users.addUser(
        trx,
        deps.workspace,
        deps.clock().toISOString(),
        { ...body, role: 'admin' },
        deps.cost,
      );
    });
    if (body.demo && deps.loadDemo) {
      await deps.loadDemo(
        new App({ db: deps.db, workspace: user.workspace, actor: `user:${user.login}`, clock: deps.clock }),
      );
    }
    return { user: userView(user), csrfToken: await signIn(deps, reply, user) };
  }),

  route(auth.login, async ({ req, body, deps, reply }) => {
    const key = `${body.login.toLowerCase()}|${req.ip}`;
    deps.logins.check(key);
    const user = await users.checkPassword(deps.readDb.kysely, body.login, body.password);
    if (!user) {
      deps.logins.failed(key);
      throw new AbgleichError('unauthenticated', 'The login or the password is wrong.');
    }
    deps.logins.succeeded(key);
    return { user: userView(user), csrfToken: await signIn(deps, reply, user) };
  }),

  route(auth.logout, async ({ req, deps, reply }) => {
    const secret = req.identity?.secret;
    if (secret) {
      await users.endSession(deps.db.kysely, secret);
      deps.forgetSessions(secret);
    }
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return undefined;
  }),

  route(auth.updateMe, async ({ req, body, user, deps, reply }) => {
    const me = user!;
    if (body.password) {
      const ok = await users.checkPassword(deps.db.kysely, me.login, body.password.current);
      if (!ok)
        fail('validation_failed', 'The current password is wrong.', [
          { path: 'password.current', message: 'the current password is wrong' },
        ]);
    }
    const updated = await users.updateUser(
      deps.db.kysely,
      me,
      deps.clock().toISOString(),
      { name: body.name, language: body.language, password: body.password?.new },
      deps.cost,
    );
    // The session cache holds the user as read before: the next GET /api/session names them anew.
    if (req.identity?.secret) deps.forgetSessions(req.identity.secret);
    if (body.password) {
      deps.forgetSessions();
      // The new password ended every session of the user, this one too: the browser that changed it
      // stays signed in with a new session (its CSRF token comes with the next GET /api/session).
      if (req.identity?.secret) await signIn(deps, reply, updated);
    }
    return { user: userView(updated) };
  }),

  route(auth.listUsers, async ({ user, deps }) => ({
    users: (await users.listUsers(deps.readDb.kysely, user!.workspace)).map(userView),
  })),

  route(auth.createUser, async ({ body, user, deps }) => ({
    user: userView(
      await users.addUser(deps.db.kysely, user!.workspace, deps.clock().toISOString(), body, deps.cost),
    ),
  })),

  route(auth.updateUser, async ({ params, body, user, deps }) => {
    const target = await users.getUser(deps.db.kysely, user!.workspace, params.login);
    const updated = await users.updateUser(
      deps.db.kysely,
      target,
      deps.clock().toISOString(),
      body,
      deps.cost,
    );
    deps.forgetSessions();
    return { user: userView(updated) };
  }),

  route(auth.removeUser, async ({ params, user, deps }) => {
    const target = await users.getUser(deps.db.kysely, user!.workspace, params.login);
    await users.removeUser(deps.db.kysely, target);
    deps.forgetSessions();
    return undefined;
  }),

  route(auth.listTokens, async ({ user, deps }) => ({
    tokens: await users.listTokens(deps.readDb.kysely, user!),
  })),

  route(auth.createToken, async ({ body, user, deps }) =>
    users.createToken(deps.db.kysely, user!, body.name, deps.clock().toISOString()),
  ),

  route(auth.revokeToken, async ({ params, user, deps }) => {
    await users.revokeToken(deps.db.kysely, user!, params.id);
    deps.forgetSessions();
    return undefined;
  }),
];

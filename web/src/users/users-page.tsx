/**
 * The workspace's users, for administrators (SYNC.md §9): who may sign in, with which role and language;
 * add a colleague with an initial password, change a role, remove one. The server keeps one
 * administrator at least, so the last one is offered neither removal nor another role: the page says
 * why instead.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { users as usersApi } from '../api/endpoints.js';
import { ApiError } from '../api/http.js';
import type { User } from '../api/types.js';
import { useIsAdmin, useUser } from '../auth/session.js';
import type { Language } from '../i18n/i18n.js';
import { LANGUAGES, useI18n } from '../i18n/i18n.js';
import { navigate } from '../router.js';
import { Confirm, Dialog, Empty, Loading, Notice, SelectField, TextField } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { NewPasswordFields, passwordsDiffer } from '../auth/new-password.js';

type Role = User['role'];
const ROLES: readonly Role[] = ['admin', 'supervisor'];

export function UsersPage() {
  const { t } = useI18n();
  const admin = useIsAdmin();
  return (
    <section>
      <h1>{t('users.title')}</h1>
      {admin ? <UserList /> : <Empty>{t('users.adminsOnly')}</Empty>}
    </section>
  );
}

function UserList() {
  const { t } = useI18n();
  const me = useUser();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['users'], queryFn: usersApi.list });
  const [adding, setAdding] = useState(false);
  const [roleChange, setRoleChange] = useState<{ user: User; role: Role } | null>(null);
  const [removing, setRemoving] = useState<User | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');

  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorMessage error={list.error} />;
  const all = list.data.users;
  const admins = all.filter((u) => u.role === 'admin').length;
  // The server refuses to remove or demote the last administrator.
  const isLastAdmin = (u: User) => u.role === 'admin' && admins === 1;

  const run = async (work: () => Promise<unknown>, success: string, self: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      setDone(success);
      await client.invalidateQueries({ queryKey: ['users'] });
      // One's own role or account changed: the session says what this browser may do now.
      if (self) {
        await client.invalidateQueries({ queryKey: ['session'] });
        navigate('/');
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setRoleChange(null);
      setRemoving(null);
    }
  };

  return (
    <>
      <p className="muted">{t('users.intro')}</p>
      <div className="buttons left">
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          {t('users.add')}
        </button>
      </div>
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorMessage error={error} />
      <div className="table-wrap">
        <table className="users">
          <thead>
            <tr>
              <th scope="col">{t('field.login')}</th>
              <th scope="col">{t('column.name')}</th>
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.language')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {all.map((u) => (
              <tr key={u.id}>
                <td>
                  {u.login}
                  {u.login === me.login && <span className="tag">{t('users.you')}</span>}
                </td>
                <td>{u.name}</td>
                <td>
                  {isLastAdmin(u) ? (
                    t(`role.${u.role}`)
                  ) : (
                    <select
                      aria-label={t('users.roleOf', { name: u.name })}
                      value={u.role}
                      disabled={busy}
                      onChange={(e) => setRoleChange({ user: u, role: e.target.value as Role })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`role.${r}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
                <td>{t(`lang.${u.language}`)}</td>
                <td>
                  {isLastAdmin(u) ? (
                    <span className="muted">{t('users.lastAdmin')}</span>
                  ) : (
                    <button
                      type="button"
                      className="danger"
                      disabled={busy}
                      aria-label={t('users.removeOf', { name: u.name })}
                      onClick={() => setRemoving(u)}
                    >
                      {t('users.remove')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {adding && (
        <AddUser
          onClose={() => setAdding(false)}
          onAdded={(u) => {
            setAdding(false);
            setError(null);
            setDone(t('users.added', { name: u.name, login: u.login }));
            void client.invalidateQueries({ queryKey: ['users'] });
          }}
        />
      )}
      {roleChange && (
        <Confirm
          title={t('users.roleTitle')}
          message={[
            t('users.roleConfirm', { name: roleChange.user.name, role: t(`role.${roleChange.role}`) }),
            roleChange.user.login === me.login && roleChange.role !== 'admin' ? t('users.roleSelf') : '',
          ]
            .filter(Boolean)
            .join(' ')}
          confirmLabel={t('users.roleApply')}
          busy={busy}
          onCancel={() => setRoleChange(null)}
          onConfirm={() =>
            void run(
              () => usersApi.update(roleChange.user.login, { role: roleChange.role }),
              t('users.roleChanged', { name: roleChange.user.name, role: t(`role.${roleChange.role}`) }),
              roleChange.user.login === me.login,
            )
          }
        />
      )}
      {removing && (
        <Confirm
          title={t('users.removeTitle')}
          message={[
            t('users.removeConfirm', { name: removing.name, login: removing.login }),
            removing.login === me.login ? t('users.removeSelf') : '',
          ]
            .filter(Boolean)
            .join(' ')}
          confirmLabel={t('users.remove')}
          danger
          busy={busy}
          onCancel={() => setRemoving(null)}
          onConfirm={() =>
            void run(
              () => usersApi.remove(removing.login),
              t('users.removed', { name: removing.name }),
              removing.login === me.login,
            )
          }
        />
      )}
    </>
  );
}

/** A new colleague: login, name, role, language and the password they first sign in with. */
function AddUser({ onClose, onAdded }: { onClose: () => void; onAdded: (user: User) => void }) {
  const { t, lang } = useI18n();
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('supervisor');
  const [language, setLanguage] = useState<Language>(lang);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = passwordsDiffer(password, repeat);
  const dirty = Boolean(login || name || password);
  const taken = error instanceof ApiError && error.code === 'already_exists';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== repeat) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await usersApi.create({ login, name, role, language, password });
      onAdded(answer.user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('users.add')}
      onClose={onClose}
      discardQuestion={dirty ? t('registry.discard') : undefined}
    >
      <form onSubmit={(e) => void submit(e)}>
        <TextField
          label={t('field.login')}
          value={login}
          onChange={setLogin}
          required
          autoComplete="off"
          name="login"
          hint={t('users.loginHint')}
          error={taken ? t('users.loginTaken', { login: login.trim().toLowerCase() }) : undefined}
        />
        <TextField label={t('auth.name')} value={name} onChange={setName} required autoComplete="off" />
        <SelectField
          label={t('users.role')}
          value={role}
          onChange={setRole}
          options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <p className="field-hint">{t(`users.roleHint.${role}`)}</p>
        <SelectField
          label={t('users.language')}
          value={language}
          onChange={setLanguage}
          options={LANGUAGES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
        />
        <NewPasswordFields
          label={t('users.initialPassword')}
          hint={t('users.initialPasswordHint')}
          password={password}
          onPassword={setPassword}
          repeat={repeat}
          onRepeat={setRepeat}
        />
        {!taken && <ErrorMessage error={error} />}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || mismatch}>
            {t('users.addSubmit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

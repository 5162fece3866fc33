/**
 * The signed-in user's own account, for every role: name and language, a new password (with the
 * current one, as `PATCH /api/me` asks), and API tokens for scripts — listed, created (the secret is
 * shown once, to be copied then) and revoked.
 */
import { useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { account } from '../api/endpoints.js';
import { ApiError, fieldIssues } from '../api/http.js';
import { useUser } from '../auth/session.js';
import type { Language } from '../i18n/i18n.js';
import { LANGUAGES, useI18n } from '../i18n/i18n.js';
import { Notice, SelectField, TextField } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { NewPasswordFields, passwordsDiffer } from '../auth/new-password.js';
import { Tokens } from './tokens.js';

export function AccountPage() {
  const { t } = useI18n();
  const me = useUser();
  return (
    <section className="account">
      <h1>{t('account.title')}</h1>
      <p className="muted">{t('account.signedInAs', { login: me.login, role: t(`role.${me.role}`) })}</p>
      <Profile />
      <PasswordChange />
      <Tokens />
    </section>
  );
}

function Profile() {
  const { t, lang, setLang } = useI18n();
  const me = useUser();
  const client = useQueryClient();
  const [name, setName] = useState(me.name);
  // The language shown follows the one in use (the header's switch changes it too) until chosen here.
  const [chosen, setLanguage] = useState<Language | null>(null);
  const language = chosen ?? lang;
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await account.update({ name, ...(chosen ? { language: chosen } : {}) });
      if (chosen) setLang(chosen);
      setLanguage(null);
      setSaved(true);
      await client.invalidateQueries({ queryKey: ['session'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const edit =
    <V,>(set: (v: V) => void) =>
    (v: V) => {
      set(v);
      setSaved(false);
    };
  return (
    <form className="narrow" onSubmit={(e) => void submit(e)}>
      <h2>{t('account.profile')}</h2>
      <TextField label={t('auth.name')} value={name} onChange={edit(setName)} required autoComplete="name" />
      <SelectField
        label={t('users.language')}
        value={language}
        onChange={edit(setLanguage)}
        options={LANGUAGES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
      />
      <ErrorMessage error={error} />
      <div className="buttons left">
        <button type="submit" className="primary" disabled={busy}>
          {t('common.save')}
        </button>
        {saved && <Notice kind="success">{t('account.saved')}</Notice>}
      </div>
    </form>
  );
}

function PasswordChange() {
  const { t } = useI18n();
  const me = useUser();
  const client = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = passwordsDiffer(next, repeat);
  // The server says a wrong current password as a validation problem of `password.current`.
  const wrongCurrent =
    error instanceof ApiError && fieldIssues(error).some((i) => i.path === 'password.current');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== repeat) return;
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await account.update({ password: { current, new: next } });
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
      // The new password ended every session; the server opened a new one here, with a new CSRF token.
      await client.refetchQueries({ queryKey: ['session'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="narrow" onSubmit={(e) => void submit(e)}>
      <h2>{t('account.password')}</h2>
      {/* For password managers: the account the new password belongs to. */}
      <input type="text" hidden readOnly autoComplete="username" value={me.login} />
      <TextField
        label={t('account.currentPassword')}
        value={current}
        onChange={setCurrent}
        type="password"
        required
        autoComplete="current-password"
        error={wrongCurrent ? t('account.currentWrong') : undefined}
      />
      <NewPasswordFields
        label={t('account.newPassword')}
        hint={t('auth.passwordHint')}
        password={next}
        onPassword={setNext}
        repeat={repeat}
        onRepeat={setRepeat}
      />
      {!wrongCurrent && <ErrorMessage error={error} />}
      {done && <Notice kind="success">{t('account.passwordChanged')}</Notice>}
      <div className="buttons left">
        <button type="submit" className="primary" disabled={busy || mismatch}>
          {t('account.passwordSubmit')}
        </button>
      </div>
    </form>
  );
}

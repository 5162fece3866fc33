/** First-run setup (the first administrator) and login. */
import { useQueryClient } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { useState } from 'react';
import { session, setCsrfToken } from '../api/endpoints.js';
import { ApiError } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { LanguageSwitch } from '../i18n/language-switch.js';
import { Checkbox, TextField } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { NewPasswordFields, passwordsDiffer } from './new-password.js';

function Card({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="auth">
      <header className="auth-top">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="auth-card">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}

export function LoginPage() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await session.login({ login, password });
      setCsrfToken(answer.csrfToken);
      await client.invalidateQueries({ queryKey: ['session'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const wrong = error instanceof ApiError && (error.status === 401 || error.code === 'unauthenticated');
  return (
    <Card title={t('auth.login.title')}>
      <form onSubmit={(e) => void submit(e)}>
        <TextField
          label={t('auth.login')}
          value={login}
          onChange={setLogin}
          required
          autoComplete="username"
          name="login"
        />
        <TextField
          label={t('auth.password')}
          value={password}
          onChange={setPassword}
          type="password"
          required
          autoComplete="current-password"
          name="password"
        />
        {wrong ? (
          <div className="message error" role="alert">
            {t('auth.invalid')}
          </div>
        ) : (
          <ErrorMessage error={error} />
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('auth.login.submit')}
        </button>
      </form>
    </Card>
  );
}

export function SetupPage({ demoOffered }: { demoOffered: boolean }) {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [demo, setDemo] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = passwordsDiffer(password, repeat);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== repeat) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await session.setup({
        login,
        name,
        password,
        language: lang,
        ...(demo ? { demo } : {}),
      });
      setCsrfToken(answer.csrfToken);
      await client.invalidateQueries({ queryKey: ['session'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('auth.setup.title')}>
      <p>{t('auth.setup.intro')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <TextField
          label={t('auth.name')}
          value={name}
          onChange={setName}
          required
          autoComplete="name"
          name="name"
        />
        <TextField
          label={t('auth.login')}
          value={login}
          onChange={setLogin}
          required
          autoComplete="username"
          name="login"
        />
        <NewPasswordFields
          label={t('auth.password')}
          hint={t('auth.passwordHint')}
          password={password}
          onPassword={setPassword}
          repeat={repeat}
          onRepeat={setRepeat}
          names
        />
        {demoOffered && <Checkbox label={t('auth.setup.demo')} checked={demo} onChange={setDemo} />}
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy || mismatch}>
          {t('auth.setup.submit')}
        </button>
      </form>
    </Card>
  );
}

/** The app: who is signed in decides between setup, login and the screens; the path picks the screen. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { session as sessionApi, setCsrfToken } from './api/endpoints.js';
import { setUnauthenticatedHandler } from './api/http.js';
import type { User } from './api/types.js';
import { HistoryPage } from './audit/history-page.js';
import { LoginPage, SetupPage } from './auth/auth-pages.js';
import { SessionContext } from './auth/session.js';
import { useI18n } from './i18n/i18n.js';
import { LanguageSwitch } from './i18n/language-switch.js';
import { ImportPage } from './import/import-page.js';
import { IntegrationsPage } from './integrations/integrations-page.js';
import { ItemPage } from './overview/item-page.js';
import { OverviewPage } from './overview/overview-page.js';
import { IntegrationPage } from './overview/integration-page.js';
import { RegistryPage } from './registry/registry-page.js';
import { AccountPage } from './users/account-page.js';
import { UsersPage } from './users/users-page.js';
import { Link, navigate, useFocusOnNavigate, useLocation, useTitleFromHeading } from './router.js';
import { Empty, Loading } from './ui/ui.js';
import { ErrorMessage } from './ui/errors.js';

export function App() {
  const client = useQueryClient();
  const session = useQuery({ queryKey: ['session'], queryFn: sessionApi.get, staleTime: 60_000 });
  useEffect(() => {
    setUnauthenticatedHandler(() => void client.invalidateQueries({ queryKey: ['session'] }));
  }, [client]);
  if (session.data) setCsrfToken(session.data.csrfToken);

  if (session.isPending) return <Loading />;
  if (session.error) return <ErrorMessage error={session.error} />;
  const { user, setupRequired, demoOffered } = session.data;
  if (setupRequired) return <SetupPage demoOffered={demoOffered} />;
  if (!user) return <LoginPage />;
  return (
    <SessionContext.Provider value={user}>
      <Shell user={user} />
    </SessionContext.Provider>
  );
}

const NAV = [
  { path: '/', key: 'nav.overview', match: (p: string) => p === '/' || p.startsWith('/overview') },
  { path: '/import', key: 'nav.import', match: (p: string) => p.startsWith('/import'), admin: true },
  {
    path: '/registry/employee',
    key: 'nav.employees',
    match: (p: string) => p.startsWith('/registry/employee'),
  },
  {
    path: '/registry/customer',
    key: 'nav.customers',
    match: (p: string) => p.startsWith('/registry/customer'),
  },
  { path: '/integrations', key: 'nav.integrations', match: (p: string) => p.startsWith('/integrations') },
  { path: '/history', key: 'nav.history', match: (p: string) => p.startsWith('/history') },
  { path: '/users', key: 'nav.users', match: (p: string) => p.startsWith('/users'), admin: true },
] as const;

function Shell({ user }: { user: User }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  useFocusOnNavigate(main, location.path);
  useTitleFromHeading(main, t('app.name'));
  const logout = async () => {
    await sessionApi.logout().catch(() => undefined);
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    navigate('/');
    await client.refetchQueries({ queryKey: ['session'] });
  };
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        <nav aria-label={t('nav.main')} className="mainnav">
          <ul>
            {NAV.filter((n) => !('admin' in n) || user.role === 'admin').map((n) => (
              <li key={n.path}>
                <Link to={n.path} aria-current={n.match(location.path) ? 'page' : undefined}>
                  {t(n.key)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="userbox">
          <LanguageSwitch
            onChosen={(l) =>
              void sessionApi
                .setLanguage(l)
                .then(() => client.invalidateQueries({ queryKey: ['session'] }))
                .catch(() => undefined)
            }
          />
          <Link
            to="/account"
            className="who"
            aria-label={t('nav.account', { name: user.name })}
            aria-current={location.path === '/account' ? 'page' : undefined}
            title={t('nav.signedInAs', { name: user.name, role: t(`role.${user.role}`) })}
          >
            {user.name}
          </Link>
          <button type="button" className="link-button" onClick={() => void logout()}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Screen segments={location.segments} />
      </main>
    </div>
  );
}

function Screen({ segments }: { segments: readonly string[] }) {
  const [first, second, third] = segments;
  switch (first) {
    case undefined:
      return <OverviewPage />;
    case 'overview':
      if (second && third) return <ItemPage integration={second} id={Number(third)} />;
      if (second) return <IntegrationPage name={second} />;
      return <OverviewPage />;
    case 'import':
      return <ImportPage />;
    case 'registry':
      if (second !== undefined && second !== 'employee' && second !== 'customer') return <NotFound />;
      return <RegistryPage kind={second === 'customer' ? 'customer' : 'employee'} />;
    case 'integrations':
      return <IntegrationsPage name={second} />;
    case 'history':
      return <HistoryPage />;
    case 'users':
      return <UsersPage />;
    case 'account':
      return <AccountPage />;
    default:
      return <NotFound />;
  }
}

/** An address that names no screen (a typo, an old bookmark): said, with the way to the overview. */
function NotFound() {
  const { t } = useI18n();
  return (
    <section>
      <h1>{t('app.notFound')}</h1>
      <Empty>
        <p>{t('app.notFound.text')}</p>
        <p>
          <Link to="/">{t('overview.backToOverview')}</Link>
        </p>
      </Empty>
    </section>
  );
}

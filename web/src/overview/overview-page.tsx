/** The start screen: every integration with its six category counts, refreshed while it is open. */
import { useQuery } from '@tanstack/react-query';
import { integrations } from '../api/endpoints.js';
import type { Integration } from '../api/types.js';
import { CATEGORIES } from '../api/types.js';
import { useIsAdmin } from '../auth/session.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { Empty, Loading } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { useCategoryLabel } from './category-label.js';

export const LIVE_MS = 4000;

export function OverviewPage() {
  const { t } = useI18n();
  const admin = useIsAdmin();
  const list = useQuery({ queryKey: ['integrations'], queryFn: integrations.list, refetchInterval: LIVE_MS });
  return (
    <section>
      <h1>{t('overview.title')}</h1>
      {list.isPending && <Loading />}
      <ErrorMessage error={list.error} />
      {list.data?.integrations.length === 0 && (
        <Empty>
          <p>{t('overview.none')}</p>
          <p>{admin ? t('overview.noneAdmin') : t('overview.noneSupervisor')}</p>
          {admin && (
            <Link className="button primary" to="/integrations/new">
              {t('integrations.new')}
            </Link>
          )}
        </Empty>
      )}
      <div className="cards">
        {list.data?.integrations.map((i) => (
          <IntegrationCard key={i.name} integration={i} />
        ))}
      </div>
    </section>
  );
}

function IntegrationCard({ integration: i }: { integration: Integration }) {
  const { t, formatNumber, formatDateTime } = useI18n();
  const categoryLabel = useCategoryLabel();
  const base = `/overview/${encodeURIComponent(i.name)}`;
  return (
    <article className="card" aria-labelledby={`card-${i.name}`}>
      <header>
        <h2 id={`card-${i.name}`}>
          <Link to={base}>{i.name}</Link>
        </h2>
        <p className="muted">
          {t(`entity.${i.entity}`)} · {t(i.source === 'file' ? 'source.file' : 'source.tryton')} ·{' '}
          {i.lastRunAt
            ? t('overview.lastRun', { when: formatDateTime(i.lastRunAt) })
            : t('overview.neverRun')}
        </p>
      </header>
      <ul className="category-counts">
        {CATEGORIES.map((c) => (
          <li key={c} className={`cat cat-${c}${i.counts[c] > 0 ? '' : ' zero'}`}>
            <Link to={`${base}?category=${c}`}>
              <span className="count" data-category={c}>
                {formatNumber(i.counts[c])}
              </span>
              <span className="label">{categoryLabel(c, i.entity)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </article>
  );
}

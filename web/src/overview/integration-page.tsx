/**
 * One integration's overview: the six categories with live counts, and the list of the chosen one
 * (`item-list.tsx`).
 */
import { useQuery } from '@tanstack/react-query';
import { integrations } from '../api/endpoints.js';
import type { Category } from '../api/types.js';
import { CATEGORIES } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, useLocation } from '../router.js';
import { ApiError } from '../api/http.js';
import { Empty } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { UndoButton } from './actions.js';
import { LIVE_MS } from './overview-page.js';
import { ItemList } from './item-list.js';
import { useCategoryLabel } from './category-label.js';
import { SyncPanel } from '../integrations/live-sync.js';

const isCategory = (v: string | null): v is Category => CATEGORIES.includes(v as Category);

export function IntegrationPage({ name }: { name: string }) {
  const { t, formatNumber } = useI18n();
  const categoryLabel = useCategoryLabel();
  const { query } = useLocation();
  const counts = useQuery({
    queryKey: ['overview', name],
    queryFn: () => integrations.overview(name),
    refetchInterval: LIVE_MS,
  });
  const firstNonEmpty = counts.data ? CATEGORIES.find((c) => counts.data.counts[c] > 0) : undefined;
  if (counts.error instanceof ApiError && counts.error.status === 404)
    return (
      <section>
        <p className="breadcrumb">
          <Link to="/">{t('nav.overview')}</Link> ›
        </p>
        <h1>{name}</h1>
        <Empty>
          <p>{t('overview.unknownIntegration', { name })}</p>
          <p>
            <Link to="/">{t('overview.backToOverview')}</Link>
          </p>
        </Empty>
      </section>
    );
  const category: Category = isCategory(query.get('category'))
    ? (query.get('category') as Category)
    : (firstNonEmpty ?? 'conflict');
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/">{t('nav.overview')}</Link> ›
      </p>
      <h1>
        {name}
        {counts.data && (
          <span className="muted heading-note">
            {' '}
            · {t(counts.data.entity === 'customer' ? 'entity.customer' : 'entity.employee')}
          </span>
        )}
      </h1>
      <ErrorMessage error={counts.error} />
      <nav aria-label={t('overview.title')}>
        <ul className="category-tabs">
          {CATEGORIES.map((c) => (
            <li key={c} className={`cat cat-${c}`}>
              <Link
                to={`/overview/${encodeURIComponent(name)}?category=${c}`}
                aria-current={c === category ? 'page' : undefined}
                title={t(`category.${c}.hint`)}
              >
                <span className="count" data-category={c}>
                  {counts.data ? formatNumber(counts.data.counts[c]) : '…'}
                </span>
                <span className="label">{categoryLabel(c, counts.data?.entity)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p className="sr-only" aria-live="polite">
        {t('overview.live')}
      </p>
      {counts.data && counts.data.source !== 'file' && <SyncPanel name={name} />}
      <UndoButton integration={name} />
      <ItemList
        key={category}
        integration={name}
        category={category}
        entity={counts.data?.entity}
        total={counts.data?.counts[category]}
      />
    </section>
  );
}

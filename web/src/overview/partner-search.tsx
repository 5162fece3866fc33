/**
 * A search over the unlinked new records of the other side, for a partner the ranking cannot find (a
 * name changed by marriage and a new number look like nothing). The items API filters by category and
 * side; the ranked candidates are left out here, since they are listed above.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { integrations } from '../api/endpoints.js';
import type { Side } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { Empty } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';

const LIMIT = 20;

export function PartnerSearch({
  integration,
  otherSide,
  ranked,
  onLink,
}: {
  integration: string;
  otherSide: Side;
  /** The ranked candidates' item ids (shown above, so not repeated). */
  ranked: ReadonlySet<number>;
  onLink: (other: number) => Promise<void>;
}) {
  const { t, tp } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSearch(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);
  const found = useQuery({
    queryKey: ['items', integration, 'partner-search', otherSide, search],
    queryFn: ({ signal }) =>
      integrations.items(
        integration,
        { category: 'new', side: otherSide, search, sort: 'name', order: 'asc', limit: LIMIT },
        signal,
      ),
    enabled: search !== '',
    placeholderData: keepPreviousData,
  });
  const rows = (found.data?.items ?? []).filter((r) => !ranked.has(r.id));
  const more = (found.data?.total ?? 0) > LIMIT;
  const link = async (other: number) => {
    setBusy(true);
    try {
      await onLink(other);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="partner-search" role="search" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('item.partnerSearch.title')}</h3>
      <p className="muted" id={`${id}-hint`}>
        {t(`item.partnerSearch.hint.${otherSide}`)}
      </p>
      <div className="field inline">
        <label htmlFor={id}>{t('item.partnerSearch.label')}</label>
        <input
          id={id}
          type="search"
          value={text}
          placeholder={t('common.searchPlaceholder')}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            // Enter searches at once instead of waiting for the pause in typing.
            if (e.key === 'Enter') setSearch(text.trim());
          }}
        />
      </div>
      <ErrorMessage error={found.error} />
      {/* Said when a search has answered: the focus stays in the search box. */}
      <p className="sr-only" role="status">
        {search !== '' && found.data
          ? rows.length === 0
            ? t(found.data.items.length > 0 ? 'item.partnerSearch.onlyRanked' : 'item.partnerSearch.none', {
                search,
              })
            : tp('item.partnerSearch.found', rows.length)
          : ''}
      </p>
      {search !== '' && found.data && rows.length === 0 && (
        <Empty>
          {t(found.data.items.length > 0 ? 'item.partnerSearch.onlyRanked' : 'item.partnerSearch.none', {
            search,
          })}
        </Empty>
      )}
      {search !== '' && rows.length > 0 && (
        <div className="table-wrap fit">
          <table aria-label={t('item.partnerSearch.results', { search })}>
            <thead>
              <tr>
                <th scope="col">{t('column.number')}</th>
                <th scope="col">{t('column.name')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="num">{r.number}</td>
                  <td>{r.name}</td>
                  <td>
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={t('item.partnerSearch.link', { number: r.number, name: r.name })}
                      onClick={() => void link(r.id)}
                    >
                      {t('item.choose')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {search !== '' && more && <p className="muted">{t('item.partnerSearch.more', { n: LIMIT })}</p>}
    </div>
  );
}

/**
 * The partner of a new item (SYNC.md §7 "choose partner"): first the records of the other side ranked
 * by similarity with the reasons they match; then, for an admin, a search over every unlinked new record
 * of the other side (`partner-search.tsx`) for a partner that looks nothing alike (a name changed by
 * marriage, a new number). Linking goes to the item that stays. A record of the same number waiting apart
 * (inactive, archived, sync disabled) is named above them: reactivated or enabled, it links by number,
 * where "create partner" would make a second record of the number.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { integrations } from '../api/endpoints.js';
import type { ItemDetail } from '../api/types.js';
import { useIsAdmin } from '../auth/session.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';
import { Empty, Notice } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { rememberChange } from './actions.js';
import { PartnerSearch } from './partner-search.js';

export function Candidates({ integration, item }: { integration: string; item: ItemDetail }) {
  const { t, tx } = useI18n();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['candidates', integration, item.id],
    queryFn: () => integrations.candidates(integration, item.id),
  });
  const [error, setError] = useState<unknown>(null);
  const link = async (other: number) => {
    setError(null);
    try {
      const answer = await integrations.act(integration, 'link', {
        item: item.id,
        other,
        version: item.version,
      });
      rememberChange(client, integration, answer.changeSet);
      await client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      // The remote-only item of the pair merges into the local one: show the item that stays.
      const kept = answer.done[0]?.itemId ?? item.id;
      navigate(`/overview/${encodeURIComponent(integration)}/${kept}?linked=1`, {
        replace: kept !== item.id,
      });
    } catch (err) {
      setError(err);
    }
  };
  const ranked = list.data?.candidates ?? [];
  return (
    <div>
      <h2>{t('item.candidates')}</h2>
      <ErrorMessage error={list.error ?? error} />
      {/* Not candidates: the same number waiting apart, which "create partner" would duplicate. */}
      {list.data?.waiting.map((w) => (
        <Notice key={w.itemId} kind="warning">
          <Link to={`/overview/${encodeURIComponent(integration)}/${w.itemId}`}>
            {w.number} {w.name}
          </Link>{' '}
          {t(w.category === 'inactive' ? 'item.waiting.inactive' : 'item.waiting.disabled')}
        </Notice>
      ))}
      {list.data && ranked.length === 0 && (
        <Empty>{t(admin ? 'item.noCandidates.search' : 'item.noCandidates')}</Empty>
      )}
      {ranked.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('column.number')}</th>
                <th scope="col">{t('column.name')}</th>
                <th scope="col">{t('item.reason')}</th>
                {admin && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {ranked.map((c) => (
                <tr key={c.itemId}>
                  <td className="num">{c.number}</td>
                  <td>{c.name}</td>
                  <td>{c.reasons.map((r) => tx(`match.${r}`, r)).join(', ')}</td>
                  {admin && (
                    <td>
                      <button type="button" onClick={() => void link(c.itemId)}>
                        {t('item.choose')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {admin && item.side !== 'both' && (
        <PartnerSearch
          integration={integration}
          otherSide={item.side === 'local' ? 'remote' : 'local'}
          ranked={new Set(ranked.map((c) => c.itemId))}
          onLink={link}
        />
      )}
    </div>
  );
}

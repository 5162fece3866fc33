/**
 * One item: its fields side by side, or for a conflict the form that resolves it (`item-fields.tsx`);
 * every action of its category on this item; partner candidates for a new item (`candidates.tsx`); and
 * its timeline.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { history, integrations } from '../api/endpoints.js';
import { ApiError } from '../api/http.js';
import type { ItemDetail } from '../api/types.js';
import { useIsAdmin } from '../auth/session.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, useLocation } from '../router.js';
import { Empty, Loading, Notice } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import {
  ACTION_LABEL,
  ACTIONS_FOR,
  ActionConfirm,
  ActionOutcome,
  UndoButton,
  useActions,
} from './actions.js';
import { Timeline } from '../audit/timeline.js';
import { Candidates } from './candidates.js';
import { useCategoryLabel } from './category-label.js';
import { FieldsTable, ResolveForm } from './item-fields.js';

export function ItemPage({ integration, id }: { integration: string; id: number }) {
  const { t } = useI18n();
  const categoryLabel = useCategoryLabel();
  const [reveal, setReveal] = useState(false);
  /** Kept here: a resolved item moves to "synced" and the resolve form gives way to the plain view. */
  const [resolved, setResolved] = useState(false);
  /** A resolution refused as stale: shown above the item as it is now, which may be no conflict any more. */
  const [refused, setRefused] = useState<unknown>(null);
  const item = useQuery({
    queryKey: ['item', integration, id, reveal],
    queryFn: () => integrations.item(integration, id, reveal),
  });
  const back = `/overview/${encodeURIComponent(integration)}`;
  // Arrived here from linking a suggested partner (the item linked into this one).
  const justLinked = useLocation().query.get('linked');
  if (item.isPending) return <Loading />;
  if (item.error instanceof ApiError && item.error.status === 404)
    return (
      <section>
        <p className="breadcrumb">
          <Link to={back}>{integration}</Link> ›
        </p>
        <Empty>{t('item.notFound')}</Empty>
      </section>
    );
  if (item.error) return <ErrorMessage error={item.error} />;
  const it = item.data.item;
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/">{t('nav.overview')}</Link> ›{' '}
        <Link to={`${back}?category=${it.category}`}>{integration}</Link> ›{' '}
        <Link to={`${back}?category=${it.category}`}>{categoryLabel(it.category, it.entity)}</Link> ›
      </p>
      <h1>{t('item.title', { number: it.number, name: it.name })}</h1>
      <p>
        <span className={`tag cat-${it.category}`}>{categoryLabel(it.category, it.entity)}</span>
        {it.localArchived && <span className="tag">{t('item.archived')}</span>}
        {it.remoteDeleted && <span className="tag">{t('item.remoteDeleted')}</span>}
      </p>
      {it.error && (
        <div className="message error" role="alert">
          {t('item.writeError', { message: it.error })}
        </div>
      )}
      {justLinked && (
        <Notice kind="success">{t(justLinked === 'number' ? 'item.linkedByNumber' : 'item.linked')}</Notice>
      )}
      {it.exported && <Notice>{t('item.exported')}</Notice>}
      {it.inExport && (
        <Notice>
          {t('item.inExport')}{' '}
          <Link to={`/import?integration=${encodeURIComponent(integration)}`}>{t('item.inExport.link')}</Link>
        </Notice>
      )}
      {resolved && <Notice kind="success">{t('item.resolved')}</Notice>}
      {refused !== null && it.category !== 'conflict' && <ErrorMessage error={refused} />}
      {it.category === 'inactive' && <InactiveReason integration={integration} item={it} />}
      <UndoButton integration={integration} />
      {it.category === 'conflict' ? (
        <ResolveForm
          integration={integration}
          item={it}
          reveal={reveal}
          onReveal={setReveal}
          onResolved={() => setResolved(true)}
          onStale={setRefused}
          actions={<ItemActions integration={integration} item={it} skipResolve />}
        />
      ) : (
        <>
          <FieldsTable item={it} reveal={reveal} onReveal={setReveal} />
          <ItemActions integration={integration} item={it} />
        </>
      )}
      {it.category === 'new' && <Candidates integration={integration} item={it} />}
      <h2>{t('item.history')}</h2>
      <ItemTimeline itemId={it.id} />
    </section>
  );
}

function ItemActions({
  integration,
  item,
  skipResolve = false,
}: {
  integration: string;
  item: ItemDetail;
  skipResolve?: boolean;
}) {
  const { t } = useI18n();
  const admin = useIsAdmin();
  // Enabled or reactivated, the record was linked by number with the waiting one of the other side:
  // this item is gone, the one it went into is shown.
  const actions = useActions(integration, (result) => {
    const into = result.done[0]?.linkedInto;
    if (result.done.length === 1 && into !== undefined)
      navigate(`/overview/${encodeURIComponent(integration)}/${into}?linked=number`, { replace: true });
  });
  const [number, setNumber] = useState('');
  const target = { ids: [item.id], versions: { [String(item.id)]: item.version } };
  const settings = useQuery({
    queryKey: ['integration', integration],
    queryFn: () => integrations.show(integration),
  });
  // A record inactive only in a file: Abgleich cannot write the file, so it cannot reactivate it.
  const fileSide =
    item.category === 'inactive' && item.side === 'remote' && settings.data?.integration.writable === false;
  const list = ACTIONS_FOR[item.category].filter(
    (a) => !(skipResolve && a.startsWith('resolve')) && !(fileSide && a === 'reactivate'),
  );
  if (!admin) return null;
  return (
    <div className="item-actions">
      <h2>{t('common.actions')}</h2>
      {item.category === 'new' && (
        <div className="field inline">
          <label htmlFor="partner-number">{t('item.partnerNumber')}</label>
          <input
            id="partner-number"
            value={number}
            placeholder={item.number}
            onChange={(e) => setNumber(e.target.value)}
          />
        </div>
      )}
      <div className="buttons left">
        {list.map((a) => (
          <button
            type="button"
            key={a}
            className={a === 'delete' ? 'danger' : undefined}
            onClick={() =>
              void actions.ask(
                a,
                target,
                a === 'partner' && number.trim() ? { number: number.trim() } : undefined,
              )
            }
          >
            {t(ACTION_LABEL[a])}
          </button>
        ))}
        {item.linked && !list.includes('unlink') && (
          <button type="button" onClick={() => void actions.ask('unlink', target)}>
            {t('action.unlink')}
          </button>
        )}
      </div>
      <ActionConfirm state={actions} />
      <ActionOutcome state={actions} />
    </div>
  );
}

/**
 * Why an item is inactive, from the values of the side that holds it: archived, "active" = no, or an
 * employment that has ended. A record inactive only in a file is reactivated in the system the file
 * comes from (Abgleich cannot write the file).
 */
function InactiveReason({ integration, item }: { integration: string; item: ItemDetail }) {
  const { t, formatDate } = useI18n();
  const settings = useQuery({
    queryKey: ['integration', integration],
    queryFn: () => integrations.show(integration),
  });
  const fileSide = item.side === 'remote' && settings.data?.integration.writable === false;
  const side = item.side === 'remote' ? 'remote' : 'local';
  const value = (f: string) => item.fields.find((x) => x.field === f)?.[side] ?? '';
  const today = new Date().toISOString().slice(0, 10);
  const until = value('employedUntil');
  const where = t(side === 'remote' ? 'item.inactive.remote' : 'item.inactive.local');
  const why = item.localArchived
    ? t('item.inactive.archived')
    : value('active') === 'false'
      ? t('item.inactive.notActive', { where })
      : until && until < today
        ? t('item.inactive.ended', { where, date: formatDate(until) })
        : '';
  const text = [why, fileSide ? t('item.inactive.reactivateThere') : ''].filter(Boolean).join(' ');
  return text ? <Notice>{text}</Notice> : null;
}

function ItemTimeline({ itemId }: { itemId: number }) {
  const entries = useQuery({
    queryKey: ['audit', 'item', itemId],
    queryFn: () => history.audit({ item: itemId, limit: 100 }),
  });
  return <Timeline query={entries} />;
}

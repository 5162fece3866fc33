/**
 * The list of one category of an integration: search, side filter, sorting and paging (all on the
 * server), selection, and the category's actions on the selection or on everything the filter matches.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { integrations } from '../api/endpoints.js';
import { useJob } from '../api/jobs.js';
import type { Category, Entity, Item, Side, Target } from '../api/types.js';
import { useIsAdmin } from '../auth/session.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, setQuery, useLocation } from '../router.js';
import { Empty, Loading, Notice, Pager, ProgressBar, SearchField, useFieldLabel } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import type { ActionId } from './actions.js';
import {
  ACTION_LABEL,
  ACTIONS_FOR,
  ActionConfirm,
  ActionOutcome,
  rememberChange,
  useActions,
} from './actions.js';
import { LIVE_MS } from './overview-page.js';
import { useCategoryLabel } from './category-label.js';

export function ItemList({
  integration,
  category,
  entity,
}: {
  integration: string;
  category: Category;
  entity: Entity | undefined;
  total: number | undefined;
}) {
  const { t, formatNumber } = useI18n();
  const categoryLabel = useCategoryLabel();
  const fieldLabel = useFieldLabel();
  const admin = useIsAdmin();
  const { query } = useLocation();
  const search = query.get('search') ?? '';
  const side = (query.get('side') as Side | null) ?? undefined;
  const sort = query.get('sort') === 'name' ? 'name' : 'number';
  const order = query.get('order') === 'desc' ? 'desc' : 'asc';
  const limit = Number(query.get('limit') ?? 50) || 50;
  const offset = Number(query.get('offset') ?? 0) || 0;
  /** Paging forward one page uses the server's cursor (an index seek at any depth); jumps use offset. */
  const cursor = query.get('cursor') ?? undefined;
  const [searchText, setSearchText] = useState(search);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const client = useQueryClient();
  const actions = useActions(integration);
  const job = useJob(actions.job);
  const sideId = useId();
  const scopeId = useId();
  const [scope, setScope] = useState<'selection' | 'all'>('selection');
  /** With nothing selected, actions apply to everything the filter shows. */
  const effectiveScope = selected.size === 0 ? 'all' : scope;

  useEffect(() => {
    const timer = setTimeout(() => {
      if (searchText !== search) setQuery({ search: searchText, offset: undefined, cursor: undefined });
    }, 300);
    return () => clearTimeout(timer);
  }, [searchText, search]);

  const items = useQuery({
    queryKey: ['items', integration, category, search, side, sort, order, limit, offset, cursor],
    queryFn: ({ signal }) =>
      integrations.items(
        integration,
        {
          category,
          sort,
          order,
          limit,
          ...(cursor ? { cursor } : { offset }),
          ...(search ? { search } : {}),
          ...(side ? { side } : {}),
        },
        signal,
      ),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_MS * 2,
  });
  const rows = items.data?.items ?? [];
  const total = items.data?.total ?? 0;
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const filterTarget: Target = { category, ...(search ? { search } : {}), ...(side ? { side } : {}) };
  const selectionTarget = (): Target => {
    const versions: Record<string, number> = {};
    for (const r of rows) if (selected.has(r.id)) versions[String(r.id)] = r.version;
    return { ids: [...selected], versions };
  };
  const apply = (action: ActionId, scope: 'selection' | 'all') => {
    void actions.ask(action, scope === 'selection' ? selectionTarget() : filterTarget);
  };
  useEffect(() => {
    if (actions.result) setSelected(new Set());
  }, [actions.result]);
  useEffect(() => {
    if (!job || job.state === 'running') return;
    if (job.state === 'done')
      rememberChange(client, integration, (job.result as PartnerAllResult | null)?.changeSet ?? null);
    void actions.refresh();
  }, [job?.state]);

  const sortBy = (column: 'number' | 'name') =>
    setQuery({
      sort: column,
      order: sort === column && order === 'asc' ? 'desc' : 'asc',
      offset: undefined,
      cursor: undefined,
    });
  const ariaSort = (column: 'number' | 'name') =>
    sort === column ? (order === 'asc' ? 'ascending' : 'descending') : 'none';

  return (
    <div className="item-list">
      <h2>{categoryLabel(category, entity)}</h2>
      <p className="muted">{t(`category.${category}.hint`)}</p>
      <div className="toolbar" role="search">
        <SearchField
          value={searchText}
          placeholder={t('common.searchPlaceholder')}
          onChange={setSearchText}
        />
        {(category === 'new' || category === 'inactive' || category === 'disabled') && (
          <div className="field inline">
            <label htmlFor={sideId}>{t('list.side')}</label>
            <select
              id={sideId}
              value={side ?? ''}
              onChange={(e) =>
                setQuery({ side: e.target.value || undefined, offset: undefined, cursor: undefined })
              }
            >
              <option value="">{t('list.side.any')}</option>
              <option value="local">{t('list.side.local')}</option>
              <option value="remote">{t('list.side.remote')}</option>
            </select>
          </div>
        )}
      </div>

      {admin && total > 0 && (
        <div className="actionbar" role="group" aria-label={t('common.actions')}>
          {category === 'new' && (
            <button type="button" className="primary" onClick={() => apply('partner-all', 'all')}>
              {t('action.partnerAll')}
            </button>
          )}
          <div className="field inline">
            <label htmlFor={scopeId}>{t('list.applyTo')}</label>
            <select
              id={scopeId}
              value={effectiveScope}
              onChange={(e) => setScope(e.target.value as 'selection' | 'all')}
            >
              <option value="selection" disabled={selected.size === 0}>
                {t('list.applyTo.selection', { n: formatNumber(selected.size) })}
              </option>
              <option value="all">{t('list.applyTo.all', { n: formatNumber(total) })}</option>
            </select>
          </div>
          {ACTIONS_FOR[category].map((a) => (
            <button
              type="button"
              key={a}
              className={a === 'delete' ? 'danger' : undefined}
              disabled={effectiveScope === 'selection' && selected.size === 0}
              onClick={() => apply(a, effectiveScope)}
            >
              {t(ACTION_LABEL[a])}
            </button>
          ))}
        </div>
      )}
      <ActionConfirm state={actions} />
      <ActionOutcome state={actions} />
      {job && (
        <div className="job">
          {job.state === 'running' ? (
            <ProgressBar
              label={t('action.partnerAll')}
              fraction={job.progress.fraction}
              text={`${formatNumber(job.progress.done)}${job.progress.total !== null ? ` / ${formatNumber(job.progress.total)}` : ''}`}
            />
          ) : job.state === 'done' ? (
            <JobResult result={job.result} />
          ) : (
            <ErrorMessage error={job.error ? Object.assign(new Error(job.error.message), job.error) : null} />
          )}
        </div>
      )}

      {items.isPending && <Loading />}
      <ErrorMessage error={items.error} />
      {items.data && rows.length === 0 && (
        <Empty>{search ? t('list.emptySearch', { search }) : t('list.empty')}</Empty>
      )}
      {rows.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="items">
              <thead>
                <tr>
                  {admin && (
                    <th scope="col" className="select">
                      <input
                        type="checkbox"
                        aria-label={t('common.selectAll')}
                        checked={allOnPage}
                        onChange={() =>
                          setSelected(
                            allOnPage ? new Set() : new Set([...selected, ...rows.map((r) => r.id)]),
                          )
                        }
                      />
                    </th>
                  )}
                  <th scope="col" aria-sort={ariaSort('number')}>
                    <button type="button" className="sort" onClick={() => sortBy('number')}>
                      {t('column.number')} {sort === 'number' ? (order === 'asc' ? '▲' : '▼') : ''}
                    </button>
                  </th>
                  <th scope="col" aria-sort={ariaSort('name')}>
                    <button type="button" className="sort" onClick={() => sortBy('name')}>
                      {t('column.name')} {sort === 'name' ? (order === 'asc' ? '▲' : '▼') : ''}
                    </button>
                  </th>
                  <th scope="col">{t('list.where')}</th>
                  <th scope="col">{t('list.status')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <Row
                    key={r.id}
                    item={r}
                    integration={integration}
                    admin={admin}
                    selected={selected.has(r.id)}
                    onToggle={() => toggle(r.id)}
                    fieldLabel={fieldLabel}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            total={total}
            capped={(items.data?.totalCapped ?? false) && rows.length === limit}
            offset={offset}
            limit={limit}
            onOffset={(o) =>
              setQuery(
                {
                  offset: o || undefined,
                  cursor: o === offset + limit && items.data?.nextCursor ? items.data.nextCursor : undefined,
                },
                false,
              )
            }
            onLimit={(l) =>
              setQuery({ limit: l === 50 ? undefined : l, offset: undefined, cursor: undefined })
            }
          />
        </>
      )}
    </div>
  );
}

function Row({
  item: r,
  integration,
  admin,
  selected,
  onToggle,
  fieldLabel,
}: {
  item: Item;
  integration: string;
  admin: boolean;
  selected: boolean;
  onToggle: () => void;
  fieldLabel: (f: string) => string;
}) {
  const { t } = useI18n();
  const where =
    r.side === 'both' ? t('list.bothSides') : r.side === 'local' ? t('list.localOnly') : t('list.remoteOnly');
  return (
    <tr className={selected ? 'selected' : undefined}>
      {admin && (
        <td className="select">
          <input
            type="checkbox"
            checked={selected}
            onChange={onToggle}
            aria-label={t('common.selectRow', { name: `${r.number} ${r.name}` })}
          />
        </td>
      )}
      <td className="num">
        <Link to={`/overview/${encodeURIComponent(integration)}/${r.id}`}>{r.number}</Link>
      </td>
      <td>{r.name}</td>
      <td>{where}</td>
      <td className="status">
        {r.conflicts.length > 0 && (
          <span className="tag conflict">{r.conflicts.map(fieldLabel).join(', ')}</span>
        )}
        {r.localArchived && <span className="tag">{t('item.archived')}</span>}
        {r.category === 'inactive' && !r.localArchived && (
          <span className="tag">{t(r.side === 'remote' ? 'list.inactiveRemote' : 'list.inactiveLocal')}</span>
        )}
        {r.remoteDeleted && <span className="tag">{t('item.remoteDeleted')}</span>}
        {r.exported && <span className="tag">{t('list.exported')}</span>}
        {r.error && (
          <span className="tag error">
            {t('list.writeFailed')}: {r.error}
          </span>
        )}
      </td>
    </tr>
  );
}

/** The answer of "set up all partners" (created, exported, refused). */
interface PartnerAllResult {
  created?: number;
  exported?: number;
  skipped?: { itemId: number; number: string; reason: string }[];
  changeSet?: number | null;
}

function JobResult({ result }: { result: unknown }) {
  const { t, lang, formatNumber } = useI18n();
  const r = (result ?? {}) as PartnerAllResult;
  const done = (r.created ?? 0) + (r.exported ?? 0);
  const skipped = r.skipped ?? [];
  return (
    <Notice kind={skipped.length > 0 ? 'warning' : 'success'}>
      <p>{t('action.result', { done: formatNumber(done), failed: formatNumber(skipped.length) })}</p>
      {skipped.length > 0 && (
        <ul>
          {skipped.slice(0, 20).map((s) => (
            <li key={s.itemId}>
              {s.number}: {lang === 'en' ? s.reason : t('action.refused')}
            </li>
          ))}
        </ul>
      )}
    </Notice>
  );
}

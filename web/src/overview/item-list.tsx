/**
 * The list of one category of an integration: search, side filter, sorting and paging (all on the
 * server), selection, and the category's actions on the selection or on everything the filter matches.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { integrations } from '../api/endpoints.js';
import { ApiError } from '../api/http.js';
import { useJob } from '../api/jobs.js';
import type { Category, Entity, Item, Side, Target } from '../api/types.js';
import { useIsAdmin } from '../auth/session.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, setQuery, useLocation } from '../router.js';
import {
  Empty,
  listCount,
  Loading,
  Notice,
  Pager,
  ProgressBar,
  SearchField,
  useFieldLabel,
} from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import type { ActionId } from './actions.js';
import {
  ACTION_LABEL,
  ACTIONS_FOR,
  ActionConfirm,
  SkippedList,
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
  const { t, tp, formatNumber } = useI18n();
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
  /**
   * The selection, kept across pages: each item with the version it had when it was selected (sent with
   * the action, so an item changed since refuses it) and its number and name (to name it in a refusal).
   */
  const [selected, setSelected] = useState<Selection>(new Map());
  /** Items dropped from the selection (they left the list, or changed since selected), said once. */
  const [deselected, setDeselected] = useState<Deselected | null>(null);
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
  const count = listCount({
    total,
    capped: items.data?.totalCapped ?? false,
    offset,
    shown: rows.length,
    more: items.data?.nextCursor != null,
  });
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const toggle = (r: Item) =>
    setSelected((s) => {
      const next = new Map(s);
      if (next.has(r.id)) next.delete(r.id);
      else next.set(r.id, picked(r));
      return next;
    });
  const drop = (ids: readonly number[], why: Deselected['why'] = 'gone') => {
    const dropped = ids.map((id) => selected.get(id)).filter((p) => p !== undefined);
    if (dropped.length === 0) return;
    setSelected((s) => {
      const next = new Map(s);
      for (const id of ids) next.delete(id);
      return next;
    });
    setDeselected({ items: dropped, why });
  };
  usePruneSelection(integration, category, items.data, items.isPlaceholderData, selected, drop);
  const filterTarget: Target = { category, ...(search ? { search } : {}), ...(side ? { side } : {}) };
  const selectionTarget = (): Target => {
    const versions: Record<string, number> = {};
    for (const [id, p] of selected) versions[String(id)] = p.version;
    return { ids: [...selected.keys()], versions };
  };
  const apply = (action: ActionId, scope: 'selection' | 'all') => {
    setDeselected(null);
    void actions.ask(action, scope === 'selection' ? selectionTarget() : filterTarget);
  };
  /** The selected item a refusal names (`details.item`), kept to name it after it left the selection. */
  const [refused, setRefused] = useState<Picked | null>(null);
  useEffect(() => {
    const error = actions.error;
    const id = refusedItem(error);
    const pick = id === undefined ? undefined : selected.get(id);
    setRefused(pick ?? null);
    if (!pick || !(error instanceof ApiError)) return;
    // Acting again would fail the same way: an item no longer in the category (or gone) leaves the
    // selection, and so does one changed since it was selected (to be looked at and selected again).
    if (error.code === 'stale_version')
      void integrations.item(integration, pick.id).then(
        ({ item }) => drop([pick.id], item.category === category ? 'changed' : 'gone'),
        () => drop([pick.id]),
      );
    else if ((error.code === 'wrong_category' && !hasReason(error)) || error.code === 'not_found')
      drop([pick.id]);
  }, [actions.error]);
  useEffect(() => {
    if (actions.result) {
      setSelected(new Map());
      setDeselected(null);
    }
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
                {tp('list.applyTo.selection', selected.size)}
              </option>
              <option value="all">
                {count.atLeast
                  ? t('list.applyTo.allCapped', { n: formatNumber(count.n) })
                  : tp('list.applyTo.all', count.n)}
              </option>
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
      {deselected && (
        <Notice kind="warning">
          <p>
            {t(deselected.why === 'gone' ? 'list.deselected' : 'list.deselectedChanged', {
              items: deselected.items.map((p) => `${p.number} ${p.name}`).join(', '),
            })}
          </p>
        </Notice>
      )}
      <ActionConfirm state={actions} />
      <ActionOutcome state={actions} about={refused ? `${refused.number} ${refused.name}` : undefined} />
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
                          setSelected((s) => {
                            const next = new Map(s);
                            // Off: this page's rows only (the selection on other pages stays).
                            for (const r of rows)
                              if (allOnPage) next.delete(r.id);
                              else if (!next.has(r.id)) next.set(r.id, picked(r));
                            return next;
                          })
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
                    onToggle={() => toggle(r)}
                    fieldLabel={fieldLabel}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            total={total}
            capped={items.data?.totalCapped ?? false}
            shown={rows.length}
            more={items.data?.nextCursor != null}
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

/** A selected item: the version it had when selected, and how to name it. */
interface Picked {
  readonly id: number;
  readonly version: number;
  readonly number: string;
  readonly name: string;
}
type Selection = ReadonlyMap<number, Picked>;

const picked = (r: Item): Picked => ({ id: r.id, version: r.version, number: r.number, name: r.name });

interface Deselected {
  readonly items: readonly Picked[];
  /** `gone`: no longer in the list; `changed`: changed since it was selected (an action refused it). */
  readonly why: 'gone' | 'changed';
}

/** A refusal that says why in a word (`details.reason`): the item is in the list, the action cannot do it. */
const hasReason = (error: ApiError) =>
  typeof (error.details as { reason?: unknown } | null | undefined)?.reason === 'string';

/** The item a refusal is about (`details.item` of `wrong_category`, `stale_version`, `not_found`). */
function refusedItem(error: unknown): number | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const item = (error.details as { item?: unknown } | null | undefined)?.item;
  return typeof item === 'number' ? item : undefined;
}

/**
 * Drops selected items that left the list. Only what is known to be gone: a selected item that was on
 * this page and is missing after a refresh of the same page is looked up, and leaves the selection if it
 * is no longer in the category (resolved in another tab) or no longer exists. One that merely moved to
 * another page stays; one on another page is checked by the action (a refusal names and drops it).
 */
function usePruneSelection(
  integration: string,
  category: Category,
  data: { items: readonly Item[] } | undefined,
  placeholder: boolean,
  selected: Selection,
  drop: (ids: readonly number[]) => void,
) {
  const last = useRef<{ data: { items: readonly Item[] }; key: string } | null>(null);
  const { query } = useLocation();
  const key = `${integration}|${category}|${query.toString()}`;
  useEffect(() => {
    if (!data || placeholder) return;
    const before = last.current;
    last.current = { data, key };
    if (!before || before.key !== key || before.data === data) return;
    const now = new Set(data.items.map((r) => r.id));
    const missing = before.data.items.map((r) => r.id).filter((id) => !now.has(id) && selected.has(id));
    if (missing.length === 0) return;
    void Promise.all(
      missing.map((id) =>
        integrations.item(integration, id).then(
          ({ item }) => (item.category === category ? null : id),
          (error: unknown) => (error instanceof ApiError && error.code === 'not_found' ? id : null),
        ),
      ),
    ).then((gone) => drop(gone.filter((id) => id !== null)));
  }, [data, placeholder, key]);
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
  skipped?: { itemId: number; number: string; reason: string; code?: string }[];
  changeSet?: number | null;
}

function JobResult({ result }: { result: unknown }) {
  const { t, formatNumber } = useI18n();
  const r = (result ?? {}) as PartnerAllResult;
  const done = (r.created ?? 0) + (r.exported ?? 0);
  const skipped = r.skipped ?? [];
  return (
    <Notice kind={skipped.length > 0 ? 'warning' : 'success'}>
      <p>{t('action.result', { done: formatNumber(done), failed: formatNumber(skipped.length) })}</p>
      <SkippedList skipped={skipped} />
    </Notice>
  );
}

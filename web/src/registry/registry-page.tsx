/**
 * The registry (SYNC.md §3): employees or customers with search and paging; create, edit, archive,
 * restore; the archive. Sensitive values stay masked until asked for.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { registry } from '../api/endpoints.js';
import type { Entity, RecordView } from '../api/types.js';
import { useIsAdmin } from '../auth/session.js';
import { useI18n } from '../i18n/i18n.js';
import { setQuery, useLocation } from '../router.js';
import {
  Confirm,
  Dialog,
  Empty,
  Loading,
  Notice,
  Pager,
  SearchField,
  useFieldLabel,
  useFlash,
  useValueText,
} from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { Timeline } from '../audit/timeline.js';
import { RecordForm } from './record-form.js';

export function RegistryPage({ kind }: { kind: Entity }) {
  const { t } = useI18n();
  const fieldLabel = useFieldLabel();
  const valueText = useValueText();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const { query } = useLocation();
  const archived = query.get('archived') === '1';
  const search = query.get('search') ?? '';
  const offset = Number(query.get('offset') ?? 0) || 0;
  const limit = 50;
  const [searchText, setSearchText] = useState(search);
  const [editing, setEditing] = useState<RecordView | 'new' | null>(null);
  const [archiving, setArchiving] = useState<RecordView | null>(null);
  const [timelineOf, setTimelineOf] = useState<RecordView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [flash, setFlash] = useFlash();
  useEffect(() => setSearchText(search), [kind, search]);
  useEffect(() => {
    const timer = setTimeout(() => {
      if (searchText !== search) setQuery({ search: searchText, offset: undefined });
    }, 300);
    return () => clearTimeout(timer);
  }, [searchText, search]);

  const list = useQuery({
    queryKey: ['registry', kind, archived, search, offset],
    queryFn: () => registry.list(kind, { archived, limit, offset, ...(search ? { search } : {}) }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
  const archive = async (r: RecordView) => {
    setArchiving(null);
    try {
      await registry.archive(kind, r.number);
      setFlash(t('registry.archived'));
      setError(null);
    } catch (err) {
      setError(err);
    }
    await refresh();
  };
  const restore = async (r: RecordView) => {
    try {
      await registry.restore(kind, r.number);
      setFlash(t('common.done'));
      setError(null);
    } catch (err) {
      setError(err);
    }
    await refresh();
  };
  const canCreate = admin || kind === 'customer';
  const rows = list.data?.records ?? [];
  return (
    <section>
      <h1>
        {t(`registry.title.${kind}`)}
        {archived && <span className="muted heading-note"> · {t('registry.archived')}</span>}
      </h1>
      <div className="toolbar" role="search">
        <SearchField
          value={searchText}
          placeholder={t('registry.searchPlaceholder')}
          onChange={setSearchText}
        />
        <button
          type="button"
          onClick={() => setQuery({ archived: archived ? undefined : '1', offset: undefined }, false)}
        >
          {archived ? t('registry.showActive') : t('registry.showArchive')}
        </button>
        {canCreate && !archived && (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t(`registry.new.${kind}`)}
          </button>
        )}
      </div>
      {flash && <Notice kind="success">{flash}</Notice>}
      <ErrorMessage error={error ?? list.error} />
      {list.isPending && <Loading />}
      {list.data && rows.length === 0 && (
        <Empty>
          {search
            ? t('list.emptySearch', { search })
            : archived
              ? t('registry.emptyArchive')
              : t('registry.empty')}
        </Empty>
      )}
      {rows.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="records">
              <thead>
                <tr>
                  <th scope="col">{t('field.number')}</th>
                  <th scope="col">{t('field.name')}</th>
                  <th scope="col">{t('field.city')}</th>
                  <th scope="col">{t('field.email')}</th>
                  <th scope="col">{t('registry.status')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td className="num">{r.number}</td>
                    <td>{r.name}</td>
                    <td>{r.values.city ?? ''}</td>
                    <td>{r.values.email ?? ''}</td>
                    <td>
                      {r.archived
                        ? t('registry.archived')
                        : r.active
                          ? t('registry.active')
                          : t('registry.inactive')}
                    </td>
                    <td>
                      <div className="row-actions">
                        {!r.archived && (
                          <button
                            type="button"
                            onClick={() => setEditing(r)}
                            aria-label={`${t('common.edit')}: ${r.number} ${r.name}`}
                          >
                            {t('common.edit')}
                          </button>
                        )}
                        <button
                          type="button"
                          onClick={() => setTimelineOf(r)}
                          aria-label={`${t('item.history')}: ${r.number} ${r.name}`}
                        >
                          {t('item.history')}
                        </button>
                        {admin && !r.archived && (
                          <button
                            type="button"
                            onClick={() => setArchiving(r)}
                            aria-label={`${t('registry.archive')}: ${r.number} ${r.name}`}
                          >
                            {t('registry.archive')}
                          </button>
                        )}
                        {admin && r.archived && (
                          <button
                            type="button"
                            onClick={() => void restore(r)}
                            aria-label={`${t('registry.restore')}: ${r.number} ${r.name}`}
                          >
                            {t('registry.restore')}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            total={list.data?.total ?? 0}
            offset={offset}
            limit={limit}
            onOffset={(o) => setQuery({ offset: o || undefined }, false)}
          />
        </>
      )}
      {archiving && (
        <Confirm
          title={t('registry.archive')}
          message={t('registry.archiveConfirm', { name: `${archiving.number} ${archiving.name}` })}
          confirmLabel={t('registry.archive')}
          danger
          onCancel={() => setArchiving(null)}
          onConfirm={() => void archive(archiving)}
        >
          {kind === 'employee' && <p className="muted">{t('registry.archiveSsn')}</p>}
        </Confirm>
      )}
      {timelineOf && (
        <Dialog
          title={`${t('item.history')}: ${timelineOf.number} ${timelineOf.name}`}
          onClose={() => setTimelineOf(null)}
          wide
        >
          <RecordTimeline kind={kind} number={timelineOf.number} archived={timelineOf.archived} />
          <div className="buttons">
            <button type="button" onClick={() => setTimelineOf(null)}>
              {t('common.close')}
            </button>
          </div>
        </Dialog>
      )}
      {editing && (
        <RecordForm
          kind={kind}
          record={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(overridden) => {
            setEditing(null);
            const first = overridden[0];
            setFlash(
              first
                ? t('registry.savedOverridden', {
                    field: fieldLabel(first.field),
                    value: valueText(first.field, first.value),
                    integrations: first.integrations.join(', '),
                  })
                : t('registry.saved'),
            );
            void refresh();
          }}
        />
      )}
    </section>
  );
}

/** Every change of one record, in the registry and in each integration's items. */
function RecordTimeline({ kind, number, archived }: { kind: Entity; number: string; archived: boolean }) {
  const entries = useQuery({
    queryKey: ['timeline', kind, number, archived],
    queryFn: () => registry.timeline(kind, number, archived),
  });
  return <Timeline query={entries} />;
}

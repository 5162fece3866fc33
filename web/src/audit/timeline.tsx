/** A list of audit entries, newest first: when, who, what, which side, old → new, why. */
import type { AuditEntry } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { Empty, Loading, useFieldLabel, useValueText } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';

export function useActorText() {
  const { t } = useI18n();
  return (actor: string) => {
    if (actor.startsWith('user:')) return actor.slice(5);
    if (actor.startsWith('cli:')) return t('history.cli', { name: actor.slice(4) });
    if (actor.startsWith('run:') || actor === 'run') return t('history.run');
    if (actor === 'server') return t('history.server');
    return actor;
  };
}

const STATE_KEYS = ['linked', 'sync_enabled', 'do_not_sync', 'remote_deleted', 'exported_at'];
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** An audit value as a person reads it: a time in their locale, a record snapshot as its number and name. */
function useAuditValue() {
  const { tp, formatDateTime } = useI18n();
  const itemState = useItemState();
  const fieldLabel = useFieldLabel();
  const value = useValueText();
  return (field: string | null, raw: string | null): string => {
    if (raw === null || raw === '') return '';
    if (field) return value(field, raw);
    if (ISO_TIME.test(raw)) return formatDateTime(raw);
    if (raw.startsWith('[')) {
      // The fields a snapshot carried (`integration-fields`).
      try {
        const list = JSON.parse(raw) as unknown[];
        return list.map((f) => fieldLabel(String(f))).join(', ');
      } catch {
        return raw;
      }
    }
    if (raw.startsWith('{')) {
      try {
        const o = JSON.parse(raw) as Record<string, unknown>;
        if (typeof o.number === 'string') return [o.number, o.name].filter(Boolean).join(' ');
        // A run's new items (`items-added`): how many, not the id range undo reads.
        if (typeof o.count === 'number' && 'first' in o && 'last' in o)
          return tp('history.itemsAdded', o.count);
        if (STATE_KEYS.some((k) => k in o)) return itemState(o);
        return Object.entries(o)
          .filter(([, v]) => typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number')
          .slice(0, 6)
          .map(([k, v]) => `${fieldLabel(k)}: ${String(v)}`)
          .join(', ');
      } catch {
        return raw;
      }
    }
    return raw;
  };
}

/** An item snapshot (link, flags) in words. */
function useItemState() {
  const { t } = useI18n();
  return (o: Record<string, unknown>) => {
    const on = (k: string) => o[k] === 1 || o[k] === true;
    const words: string[] = [];
    if ('linked' in o) words.push(on('linked') ? t('state.linked') : t('state.unlinked'));
    if ('sync_enabled' in o && !on('sync_enabled') && on('linked')) words.push(t('state.syncOff'));
    if (on('do_not_sync')) words.push(t('state.doNotSync'));
    if (on('remote_deleted')) words.push(t('item.remoteDeleted'));
    if (typeof o.exported_at === 'string') words.push(t('state.exported'));
    if (words.length === 0) words.push('—');
    return words.join(', ');
  };
}

/** What the timeline reads of a query: one page, or the pages of the history loaded so far. */
export interface EntriesQuery {
  readonly isPending: boolean;
  readonly error: unknown;
  readonly data?: { readonly entries: readonly AuditEntry[] } | undefined;
}

export function Timeline({
  query,
  onUndo,
  undoing = null,
}: {
  query: EntriesQuery;
  onUndo?: (changeSet: number) => void;
  /** The change being undone now: its button says so, and no undo is offered until it is done. */
  undoing?: number | null;
}) {
  const { t, tx, formatDateTime } = useI18n();
  const fieldLabel = useFieldLabel();
  const auditValue = useAuditValue();
  const actor = useActorText();
  /** An item entry whose link and flags read the same before and after: only the agreed values moved. */
  const sameState = (e: AuditEntry) =>
    e.field === null &&
    e.target === 'item' &&
    e.old !== null &&
    e.new !== null &&
    auditValue(null, e.old) === auditValue(null, e.new);
  if (query.error) return <ErrorMessage error={query.error} />;
  if (query.isPending || !query.data) return <Loading />;
  const entries = query.data.entries;
  if (entries.length === 0) return <Empty>{t('history.empty')}</Empty>;
  return (
    <div className="table-wrap">
      <table className="audit">
        <thead>
          <tr>
            <th scope="col">
              {t('history.when')} · {t('history.who')}
            </th>
            <th scope="col">{t('history.record')}</th>
            <th scope="col">{t('history.what')}</th>
            <th scope="col">{t('item.field')}</th>
            <th scope="col">{t('history.old')}</th>
            <th scope="col">{t('history.new')}</th>
            {onUndo && <th scope="col">{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {entries.map((e, i) => (
            <tr key={e.id} className={e.undone ? 'undone' : undefined}>
              <td>
                <span className="nowrap">{formatDateTime(e.at)}</span>
                <br />
                <span className="muted">{actor(e.actor)}</span>
              </td>
              <td>
                {e.itemId !== null && e.integration !== null ? (
                  <Link to={`/overview/${encodeURIComponent(e.integration)}/${e.itemId}`}>
                    {e.record ? `${e.record.number} ${e.record.name}` : `#${e.itemId}`}
                  </Link>
                ) : e.record ? (
                  `${e.record.number} ${e.record.name}`
                ) : (
                  ''
                )}
              </td>
              <td>
                <Link to={`/history?run=${e.changeSet}`} title={t('history.filter.run')}>
                  {tx(`audit.${e.kind}`, e.kind)}
                </Link>
                {e.integration && <span className="muted"> · {e.integration}</span>}
                <span className="muted"> · {tx(`target.${e.target}`, e.target)}</span>
              </td>
              <td>{e.field ? fieldLabel(e.field) : ''}</td>
              <td>{sameState(e) ? '' : auditValue(e.field, e.old)}</td>
              <td>{sameState(e) ? t('history.agreedUpdated') : auditValue(e.field, e.new)}</td>
              {onUndo && (
                <td>
                  {/* One button per change: undo takes back all of it, not the one row. */}
                  {!e.undone && entries[i - 1]?.changeSet !== e.changeSet && (
                    <button
                      type="button"
                      disabled={undoing !== null}
                      aria-busy={undoing === e.changeSet || undefined}
                      // One of many "Undo" buttons: read out with the change and whom it is about.
                      aria-label={
                        undoing === e.changeSet
                          ? undefined
                          : t('history.undoNamed', {
                              n: e.changeSet,
                              about: e.record ? `${e.record.number} ${e.record.name}` : '',
                            }).replace(/ \(\)$/, '')
                      }
                      onClick={() => onUndo(e.changeSet)}
                    >
                      {undoing === e.changeSet ? t('history.undoing') : t('history.undo')}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

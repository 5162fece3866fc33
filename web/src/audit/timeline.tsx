/** A list of audit entries, newest first: when, who, what, which side, old → new, why. */
import type { UseQueryResult } from '@tanstack/react-query';
import type { AuditEntry } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { Empty, ErrorMessage, Loading, useFieldLabel, useValueText } from '../ui/ui.js';

export function useActorText() {
  const { t } = useI18n();
  return (actor: string) => {
    if (actor.startsWith('user:')) return actor.slice(5);
    if (actor.startsWith('run:') || actor === 'run') return t('history.run');
    return actor;
  };
}

export function Timeline({
  query,
  onUndo,
}: {
  query: UseQueryResult<{ entries: AuditEntry[] }>;
  onUndo?: (changeSet: number) => void;
}) {
  const { t, tx, formatDateTime } = useI18n();
  const fieldLabel = useFieldLabel();
  const value = useValueText();
  const actor = useActorText();
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorMessage error={query.error} />;
  const entries = query.data.entries;
  if (entries.length === 0) return <Empty>{t('history.empty')}</Empty>;
  return (
    <div className="table-wrap">
      <table className="audit">
        <thead>
          <tr>
            <th scope="col">{t('history.when')}</th>
            <th scope="col">{t('history.who')}</th>
            <th scope="col">{t('history.what')}</th>
            <th scope="col">{t('item.field')}</th>
            <th scope="col">{t('history.old')}</th>
            <th scope="col">{t('history.new')}</th>
            {onUndo && <th scope="col">{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} className={e.undone ? 'undone' : undefined}>
              <td className="nowrap">{formatDateTime(e.at)}</td>
              <td>{actor(e.actor)}</td>
              <td>
                {tx(`audit.${e.kind}`, e.kind)}
                {e.integration && <span className="muted"> · {e.integration}</span>}
                <span className="muted"> · {tx(`target.${e.target}`, e.target)}</span>
              </td>
              <td>{e.field ? fieldLabel(e.field) : ''}</td>
              <td>{e.field ? value(e.field, e.old) : (e.old ?? '')}</td>
              <td>{e.field ? value(e.field, e.new) : (e.new ?? '')}</td>
              {onUndo && (
                <td>
                  {!e.undone && (
                    <button type="button" onClick={() => onUndo(e.changeSet)}>
                      {t('history.undo')}
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

/**
 * What an undo did, in words: done, or done except the values that changed since, each named by its
 * record, field and both values. The answer names records by id only; the undone change's own audit
 * entries (`auditId`) carry their number and name.
 */
import { useQuery } from '@tanstack/react-query';
import { history } from '../api/endpoints.js';
import type { UndoResult } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { Notice, useFieldLabel, useValueText } from '../ui/ui.js';

/** Conflicts listed by name; the rest are counted. */
const LISTED = 20;

export function UndoOutcome({ result, doneText }: { result: UndoResult; doneText?: string }) {
  const { t, tp } = useI18n();
  const fieldLabel = useFieldLabel();
  const value = useValueText();
  const conflicts = result.conflicts;
  const entries = useQuery({
    queryKey: ['audit', 'change', result.undone],
    queryFn: () => history.audit({ change: result.undone, limit: 1000 }),
    enabled: conflicts.length > 0,
  });
  if (conflicts.length === 0)
    return <Notice kind="success">{doneText ?? t('history.undone', { n: String(result.undone) })}</Notice>;
  const byId = new Map((entries.data?.entries ?? []).map((e) => [e.id, e]));
  const recordOf = (c: (typeof conflicts)[number]) => {
    const r =
      byId.get(c.auditId)?.record ??
      entries.data?.entries.find(
        (e) =>
          e.record &&
          ((c.itemId !== null && e.itemId === c.itemId) || (c.localId !== null && e.localId === c.localId)),
      )?.record;
    return r ? `${r.number} ${r.name}` : `#${c.itemId ?? c.localId ?? c.auditId}`;
  };
  const shown = (field: string | null, raw: string | null) =>
    field ? value(field, raw) : raw || t('common.empty');
  return (
    <Notice kind="warning">
      <p>{tp('undo.conflicts', conflicts.length)}</p>
      <ul>
        {conflicts.slice(0, LISTED).map((c) => (
          <li key={c.auditId}>
            {c.field
              ? t('undo.conflict.field', {
                  record: recordOf(c),
                  field: fieldLabel(c.field),
                  expected: shown(c.field, c.expected),
                  now: shown(c.field, c.now),
                })
              : t('undo.conflict.record', { record: recordOf(c) })}
          </li>
        ))}
      </ul>
      {conflicts.length > LISTED && <p>{tp('undo.conflicts.more', conflicts.length - LISTED)}</p>}
    </Notice>
  );
}

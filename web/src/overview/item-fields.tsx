/**
 * An item's fields side by side (registry, remote, last agreed) and, for a conflict, the form that
 * resolves it field by field: registry, remote, or an own value (a country from the list of names).
 */
import { useQueryClient } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { useState } from 'react';
import { integrations } from '../api/endpoints.js';
import { ApiError } from '../api/http.js';
import type { Entity, ItemDetail, ItemField } from '../api/types.js';
import { findFieldDef } from '../../../src/core/fields.js';
import { maxLengthOf } from '../registry/record-form.js';
import { useIsAdmin } from '../auth/session.js';
import { useI18n } from '../i18n/i18n.js';
import { useFieldLabel, useValueText } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { rememberChange } from './actions.js';
import { CountrySelect } from '../registry/country-field.js';

type Choice = 'local' | 'remote' | 'own';

function RevealToggle({
  item,
  reveal,
  onReveal,
}: {
  item: ItemDetail;
  reveal: boolean;
  onReveal: (v: boolean) => void;
}) {
  const { t } = useI18n();
  const fieldLabel = useFieldLabel();
  const sensitive = item.fields.filter((f) => f.sensitive && (f.local || f.remote));
  if (sensitive.length === 0) return null;
  const names = sensitive.map((f) => fieldLabel(f.field)).join(', ');
  return (
    <button type="button" className="link-button" aria-pressed={reveal} onClick={() => onReveal(!reveal)}>
      {reveal ? t('registry.conceal', { field: names }) : t('registry.reveal', { field: names })}
    </button>
  );
}

export function FieldsTable({
  item,
  reveal,
  onReveal,
}: {
  item: ItemDetail;
  reveal: boolean;
  onReveal: (v: boolean) => void;
}) {
  const { t } = useI18n();
  const fieldLabel = useFieldLabel();
  const value = useValueText();
  const rows = item.fields.filter((f) => f.local || f.remote || f.lastLocal || f.lastRemote);
  // A record deleted on the remote side: its values are the ones last seen there, not current ones.
  const remoteLabel = item.remoteDeleted ? t('item.remoteGone') : t('item.remote');
  return (
    <>
      <RevealToggle item={item} reveal={reveal} onReveal={onReveal} />
      <div className="table-wrap">
        <table className="sides stack">
          <caption className="sr-only">{t('item.title', { number: item.number, name: item.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('item.field')}</th>
              <th scope="col">{t('item.local')}</th>
              <th scope="col">{remoteLabel}</th>
              <th scope="col">{t('item.baseline')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f) => (
              // A field the integration does not compare (the file has no such column) is no difference.
              <tr
                key={f.field}
                className={f.conflict ? 'conflict' : f.differs && f.compared ? 'differs' : undefined}
              >
                <th scope="row">
                  {fieldLabel(f.field)}
                  {f.conflict && <span className="tag conflict">{t('item.inConflict')}</span>}
                </th>
                <td data-label={t('item.local')}>
                  {item.side === 'remote' ? <span className="muted">—</span> : value(f.field, f.local)}
                </td>
                <td data-label={remoteLabel}>
                  {item.side === 'local' ? <span className="muted">—</span> : value(f.field, f.remote)}
                </td>
                <td className="muted" data-label={t('item.baseline')}>
                  {baseline(f, value)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

const baseline = (f: ItemField, value: (field: string, v: string | null) => string) =>
  f.lastLocal === null && f.lastRemote === null
    ? '—'
    : f.lastLocal === f.lastRemote
      ? value(f.field, f.lastLocal)
      : `${value(f.field, f.lastLocal)} / ${value(f.field, f.lastRemote)}`;

export function ResolveForm({
  integration,
  item,
  reveal,
  onReveal,
  onResolved,
  onStale,
  actions,
}: {
  integration: string;
  item: ItemDetail;
  reveal: boolean;
  onReveal: (v: boolean) => void;
  onResolved: () => void;
  /**
   * The resolution was refused: the item changed since it was shown (resolved in another tab, say). The
   * page keeps the refusal: the item shown afresh may be no conflict any more, and this form gone.
   */
  onStale: (error: unknown) => void;
  /** The item's other actions, offered below the form (not "resolve": the form is that). */
  actions: ReactNode;
}) {
  const { t } = useI18n();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const fieldLabel = useFieldLabel();
  const value = useValueText();
  const conflicts = item.fields.filter((f) => f.conflict);
  const others = item.fields.filter(
    (f) => !f.conflict && (f.local || f.remote || f.lastLocal || f.lastRemote),
  );
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [own, setOwn] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const complete = conflicts.every((f) => choices[f.field] !== undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const fields: Record<string, 'local' | 'remote' | { value: string }> = {};
      for (const f of conflicts) {
        const c = choices[f.field];
        if (c === 'own') fields[f.field] = { value: own[f.field] ?? '' };
        else if (c) fields[f.field] = c;
      }
      const answer = await integrations.act(integration, 'resolve', {
        target: { ids: [item.id], versions: { [String(item.id)]: item.version } },
        fields,
      });
      if (answer.skipped.length > 0)
        throw new ApiError(409, 'stale_version', answer.skipped[0]!.reason, null);
      rememberChange(client, integration, answer.changeSet);
      onResolved();
      await client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    } catch (err) {
      setError(err);
      // Changed since: the message asks to look again, so show what it is now.
      if (err instanceof ApiError && err.code === 'stale_version') {
        onStale(err);
        await client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      }
    } finally {
      setBusy(false);
    }
  };
  const takeAll = (side: 'local' | 'remote') =>
    setChoices(Object.fromEntries(conflicts.map((f) => [f.field, side])));

  return (
    <form onSubmit={(e) => void submit(e)} className="resolve">
      <RevealToggle item={item} reveal={reveal} onReveal={onReveal} />
      {admin && (
        <div className="buttons left">
          <button type="button" onClick={() => takeAll('local')}>
            {t('item.takeAllLocal')}
          </button>
          <button type="button" onClick={() => takeAll('remote')}>
            {t('item.takeAllRemote')}
          </button>
        </div>
      )}
      <div className="table-wrap">
        <table className="sides stack">
          <thead>
            <tr>
              <th scope="col">{t('item.field')}</th>
              <th scope="col">{t('item.local')}</th>
              <th scope="col">{t('item.remote')}</th>
              <th scope="col">{t('item.baseline')}</th>
              {admin && <th scope="col">{t('item.own')}</th>}
            </tr>
          </thead>
          <tbody>
            {conflicts.map((f) => {
              const name = `choice-${f.field}`;
              const c = choices[f.field];
              const set = (v: Choice) => setChoices((s) => ({ ...s, [f.field]: v }));
              return (
                <tr key={f.field} className="conflict">
                  <th scope="row">{fieldLabel(f.field)}</th>
                  {(['local', 'remote'] as const).map((side) => (
                    <td
                      key={side}
                      className={c === side ? 'chosen' : undefined}
                      data-label={t(side === 'local' ? 'item.local' : 'item.remote')}
                    >
                      {admin ? (
                        <label className="choice">
                          <input
                            type="radio"
                            name={name}
                            value={side}
                            checked={c === side}
                            // Read out with the field and the side, not the value alone ("Grindelallee 80").
                            aria-label={`${fieldLabel(f.field)}, ${t(side === 'local' ? 'item.local' : 'item.remote')}: ${value(f.field, f[side])}`}
                            onChange={() => set(side)}
                          />
                          <span>{value(f.field, f[side])}</span>
                        </label>
                      ) : (
                        value(f.field, f[side])
                      )}
                    </td>
                  ))}
                  <td className="muted" data-label={t('item.baseline')}>
                    {baseline(f, value)}
                  </td>
                  {admin && (
                    <td className={c === 'own' ? 'chosen' : undefined} data-label={t('item.own')}>
                      <div className="own-value">
                        <input
                          type="radio"
                          name={name}
                          value="own"
                          checked={c === 'own'}
                          aria-label={`${fieldLabel(f.field)}, ${t('item.own')}`}
                          onChange={() => set('own')}
                        />
                        {/* Typing chooses the own value; passing through by Tab does not (it chose an empty one). */}
                        <OwnValue
                          entity={item.entity}
                          field={f.field}
                          label={t('item.ownValue', { field: fieldLabel(f.field) })}
                          value={own[f.field] ?? ''}
                          onChange={(v) => {
                            set('own');
                            setOwn((s) => ({ ...s, [f.field]: v }));
                          }}
                        />
                      </div>
                    </td>
                  )}
                </tr>
              );
            })}
            {others.map((f) => (
              <tr key={f.field}>
                <th scope="row">{fieldLabel(f.field)}</th>
                <td data-label={t('item.local')}>{value(f.field, f.local)}</td>
                <td data-label={t('item.remote')}>{value(f.field, f.remote)}</td>
                <td className="muted" data-label={t('item.baseline')}>
                  {baseline(f, value)}
                </td>
                {admin && <td className="empty-cell" />}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorMessage error={error} entity={item.entity} />
      {admin && (
        <div className="buttons left">
          <button type="submit" className="primary" disabled={!complete || busy}>
            {t('item.resolve')}
          </button>
        </div>
      )}
      {admin && actions}
    </form>
  );
}

/** A value of one's own for a field: a country from the list of names, anything else as text. */
function OwnValue({
  entity,
  field,
  label,
  value,
  onChange,
}: {
  entity: Entity;
  field: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const def = findFieldDef(entity, field);
  if (field === 'country') return <CountrySelect aria-label={label} value={value} onChange={onChange} />;
  return (
    <input
      type="text"
      aria-label={label}
      maxLength={def ? maxLengthOf(def) : undefined}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

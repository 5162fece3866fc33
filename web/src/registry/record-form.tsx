/** Creating or editing one record: every field of its kind, server-side validation shown per field. */
import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useEffect, useRef, useState } from 'react';
import type { FieldDef } from '../../../src/core/fields.js';
import { FIELDS_OF, getFieldDef } from '../../../src/core/fields.js';
import { registry } from '../api/endpoints.js';
import { fieldIssues } from '../api/http.js';
import type { Entity, RecordView } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { Dialog, TextField, useFieldLabel } from '../ui/ui.js';
import { ErrorMessage, useIssueText } from '../ui/errors.js';
import { CountryField } from './country-field.js';

/** An edited value a field rule of an integration put back at once (the server's answer to an edit). */
export type Overridden = Awaited<ReturnType<typeof registry.edit>>['overridden'][number];

type SyncChoice = 'now' | 'never' | 'later';

/**
 * The `maxlength` of a field's input: its maximum where that counts characters. Digits and account
 * numbers count digits once spaces and dashes are gone (and an IBAN is longer), so typing is not cut.
 */
export const maxLengthOf = (def: FieldDef): number | undefined =>
  def.kind === 'digits' || def.kind === 'account' ? undefined : def.max;

export function RecordForm({
  kind,
  record,
  onClose,
  onSaved,
}: {
  kind: Entity;
  record: RecordView | null;
  onClose: () => void;
  /** After saving; `overridden`: edited values a field rule of an integration put back at once. */
  onSaved: (overridden: readonly Overridden[]) => void;
}) {
  const { t } = useI18n();
  const fieldLabel = useFieldLabel();
  const issueText = useIssueText();
  const fields = FIELDS_OF[kind].filter((f) => f !== 'active');
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...(record?.values ?? {}) }));
  const [active, setActive] = useState(record ? record.active : true);
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [askSync, setAskSync] = useState(false);
  const targets = useQuery({
    queryKey: ['syncTargets'],
    queryFn: registry.syncTargets,
    enabled: kind === 'customer' && record === null,
  });
  const masked = new Set(record?.masked ?? []);

  const reveal = async () => {
    if (!record) return;
    try {
      const { record: full } = await registry.show(kind, record.number, true);
      setValues((v) => {
        const next = { ...v };
        for (const f of full.masked.length === 0 ? record.masked : []) next[f] = full.values[f] ?? '';
        return next;
      });
      setRevealed(new Set(record.masked));
    } catch (err) {
      setError(err);
    }
  };

  // Dates the browser could not read (30 February): its date field then reports no value at all, which
  // would save as "cleared". They are refused here, before anything is sent.
  const [badDates, setBadDates] = useState<readonly string[]>([]);
  const issues = fieldIssues(error);
  const fieldError = (f: string) => {
    if (badDates.includes(f)) return t('problem.date');
    const issue = issues.find((i) => i.path === f || i.path.endsWith(`.${f}`));
    return issue ? issueText(issue, kind) : undefined;
  };

  const save = async (sync?: SyncChoice) => {
    setBusy(true);
    setError(null);
    try {
      const out: Record<string, string> = {};
      for (const f of fields) {
        if (masked.has(f) && !revealed.has(f)) continue;
        const v = (values[f] ?? '').trim();
        if (record === null ? v !== '' : v !== (record.values[f] ?? '')) out[f] = v;
      }
      if (record === null || active !== record.active) out.active = active ? 'true' : 'false';
      if (record) onSaved((await registry.edit(kind, record.number, out, record.version)).overridden);
      else {
        await registry.create(kind, out, sync);
        onSaved([]);
      }
    } catch (err) {
      setError(err);
      setAskSync(false);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const unreadable = [...e.currentTarget.querySelectorAll<HTMLInputElement>('input[type="date"]')]
      .filter((input) => input.validity.badInput)
      .map((input) => input.name);
    setBadDates(unreadable);
    if (unreadable.length > 0) return;
    if (record === null && kind === 'customer' && (targets.data?.integrations.length ?? 0) > 0)
      setAskSync(true);
    else void save();
  };

  // A refusal takes the keyboard to the first field it names, or to the save button: the button was
  // busy while the request ran, and the focus had fallen to the page's body inside the dialog.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!error && badDates.length === 0) return;
    const el = form.current;
    (
      el?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      el?.querySelector<HTMLElement>('[type="submit"]')
    )?.focus();
  }, [error, badDates]);

  const dirty =
    active !== (record ? record.active : true) ||
    fields.some((f) => (values[f] ?? '') !== (record?.values[f] ?? ''));
  const title = record
    ? t('registry.editTitle', { name: `${record.number} ${record.name}` })
    : t(`registry.new.${kind}`);
  return (
    <Dialog title={title} onClose={onClose} wide discardQuestion={dirty ? t('registry.discard') : undefined}>
      <form ref={form} onSubmit={submit} className="record-form" noValidate>
        {record && record.masked.length > 0 && revealed.size === 0 && (
          <button type="button" className="link-button" onClick={() => void reveal()}>
            {t('registry.reveal', { field: record.masked.map(fieldLabel).join(', ') })}
          </button>
        )}
        <div className="form-grid">
          {fields.map((f) => {
            const def = getFieldDef(kind, f);
            const hidden = masked.has(f) && !revealed.has(f);
            if (def.kind === 'country')
              return (
                <CountryField
                  key={f}
                  id={`f-${f}`}
                  label={fieldLabel(f)}
                  value={values[f] ?? ''}
                  error={fieldError(f)}
                  onChange={(v) => setValues({ ...values, [f]: v })}
                />
              );
            if (def.kind === 'customerType')
              return (
                <div className="field" key={f}>
                  <label htmlFor={`f-${f}`}>{fieldLabel(f)}</label>
                  {/* A customer is a business unless it says otherwise (FORMATS.md: "default business"). */}
                  <select
                    id={`f-${f}`}
                    value={values[f] || 'business'}
                    onChange={(e) => setValues({ ...values, [f]: e.target.value })}
                  >
                    <option value="business">{t('customerType.business')}</option>
                    <option value="private">{t('customerType.private')}</option>
                  </select>
                </div>
              );
            return (
              <TextField
                key={f}
                name={f}
                label={hidden ? `${fieldLabel(f)} (${t('registry.masked')})` : fieldLabel(f)}
                value={hidden ? (record?.values[f] ?? '') : (values[f] ?? '')}
                type={
                  def.kind === 'date'
                    ? 'date'
                    : def.kind === 'email'
                      ? 'email'
                      : def.kind === 'phone'
                        ? 'tel'
                        : 'text'
                }
                required={def.required ?? false}
                maxLength={maxLengthOf(def)}
                error={fieldError(f)}
                onChange={(v) => {
                  if (!hidden) setValues({ ...values, [f]: v });
                }}
              />
            );
          })}
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
          {fieldLabel('active')}
        </label>
        <ErrorMessage error={error} entity={kind} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {record ? t('common.save') : t('common.create')}
          </button>
        </div>
      </form>
      {askSync && (
        <Dialog title={t('registry.createdSync')} onClose={() => setAskSync(false)}>
          <p>{t('registry.sync.intro', { name: targets.data?.integrations.join(', ') ?? '' })}</p>
          <div className="buttons column">
            <button type="button" className="primary" disabled={busy} onClick={() => void save('now')}>
              {t('registry.sync.now')}
            </button>
            <button type="button" disabled={busy} onClick={() => void save('never')}>
              {t('registry.sync.never')}
            </button>
            <button type="button" disabled={busy} onClick={() => void save('later')}>
              {t('registry.sync.later')}
            </button>
          </div>
        </Dialog>
      )}
    </Dialog>
  );
}

/** Small building blocks: dialogs, messages, fields, paging, masked values, progress. */
import type { ReactNode } from 'react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';

/** A modal dialog on the native <dialog>: focus is trapped, Escape closes it. */
export function Dialog({
  title,
  children,
  onClose,
  wide = false,
  discardQuestion,
}: {
  title: string;
  children: ReactNode;
  onClose: () => void;
  wide?: boolean;
  /** Asked before Escape closes the dialog (typed changes would be lost); no question when absent. */
  discardQuestion?: string | undefined;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    // The control that opened the dialog gets the focus back when it closes (React removes the element
    // before this cleanup runs, so the browser's own return of focus does not happen).
    const opener = document.activeElement;
    if (d && !d.open) d.showModal();
    return () => {
      d?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        if (discardQuestion && !window.confirm(discardQuestion)) return;
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

/** Asks before an action; says how many records will change. */
export function Confirm({
  title,
  message,
  confirmLabel,
  onConfirm,
  onCancel,
  busy = false,
  danger = false,
  children,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  danger?: boolean;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Dialog title={title} onClose={onCancel}>
      <p className="confirm-message">{message}</p>
      {children}
      <div className="buttons">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className={danger ? 'danger' : 'primary'}
          onClick={onConfirm}
          disabled={busy}
          autoFocus
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

export function Notice({
  children,
  kind = 'info',
}: {
  children: ReactNode;
  kind?: 'info' | 'success' | 'warning';
}) {
  return (
    <div className={`message ${kind}`} role="status">
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** The search box of a list's toolbar ("Suchen"), with what it searches as its placeholder. */
export function SearchField({
  value,
  placeholder,
  onChange,
}: {
  value: string;
  placeholder: string;
  onChange: (v: string) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field inline">
      <label htmlFor={id}>{t('common.search')}</label>
      <input
        id={id}
        type="search"
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

export function TextField({
  label,
  value,
  onChange,
  type = 'text',
  required = false,
  autoComplete,
  error,
  name,
  inputMode,
  hint,
  maxLength,
}: {
  hint?: string;
  /** The most characters the field takes: the browser stops typing there. */
  maxLength?: number | undefined;
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: string;
  required?: boolean;
  autoComplete?: string;
  error?: string | undefined;
  name?: string;
  inputMode?: 'text' | 'numeric' | 'email' | 'tel';
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="required" aria-hidden="true">
            {' *'}
          </span>
        )}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        required={required}
        autoComplete={autoComplete}
        inputMode={inputMode}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

export function SelectField<V extends string>({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: V;
  onChange: (v: V) => void;
  options: readonly { value: V; label: string }[];
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as V)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Checkbox({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/**
 * What a list's count can say: the number, or a lower bound ("more than 1,000") while the server stopped
 * counting (`capped`) and the list's end is not in view. On the last page the count is known exactly
 * (the rows before it and the rows on it), whatever the server counted.
 */
export function listCount({
  total,
  capped,
  offset,
  shown,
  more,
}: {
  total: number;
  capped: boolean;
  offset: number;
  /** Rows on the page shown. */
  shown: number;
  /** Rows follow this page (the server gave a cursor to the next). */
  more: boolean;
}): { n: number; atLeast: boolean } {
  if (!capped) return { n: total, atLeast: false };
  if (!more && shown > 0) return { n: offset + shown, atLeast: false };
  return { n: Math.max(total, offset + shown), atLeast: true };
}

/** Paging controls for a list of `total` rows shown `limit` at a time from `offset`. */
export function Pager({
  total,
  offset,
  limit,
  onOffset,
  onLimit,
  capped = false,
  shown,
  more,
}: {
  /** The total is a lower bound (the server stopped counting). */
  capped?: boolean;
  total: number;
  offset: number;
  limit: number;
  /** Rows on this page and whether more follow, when the list knows (a capped count needs them). */
  shown?: number;
  more?: boolean;
  onOffset: (o: number) => void;
  onLimit?: (l: number) => void;
}) {
  const { t, formatNumber } = useI18n();
  const id = useId();
  const onPage = shown ?? Math.max(0, Math.min(limit, total - offset));
  const follows = more ?? offset + limit < total;
  const count = listCount({ total, capped, offset, shown: onPage, more: follows });
  const pages = Math.max(1, Math.ceil(count.n / limit));
  const page = Math.floor(offset / limit) + 1;
  const pageText = t(count.atLeast ? 'common.pageCapped' : 'common.page', {
    page: formatNumber(page),
    pages: formatNumber(pages),
  });
  return (
    <nav className="pager" aria-label={pageText}>
      <span>
        {t(count.atLeast ? 'common.rowsCapped' : 'common.rows', {
          from: formatNumber(onPage === 0 ? 0 : offset + 1),
          to: formatNumber(offset + onPage),
          total: formatNumber(count.n),
        })}
      </span>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        ‹ {t('common.previous')}
      </button>
      <span>{pageText}</span>
      <button type="button" disabled={!follows} onClick={() => onOffset(offset + limit)}>
        {t('common.next')} ›
      </button>
      {onLimit && (
        <span className="per-page">
          <label htmlFor={id}>{t('common.perPage')}</label>
          <select id={id} value={limit} onChange={(e) => onLimit(Number(e.target.value))}>
            {[25, 50, 100, 200].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </span>
      )}
    </nav>
  );
}

export function ProgressBar({
  label,
  fraction,
  text,
}: {
  label: string;
  fraction: number | null;
  text: string;
}) {
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(fraction === null ? {} : { 'aria-valuenow': Math.round(fraction * 100) })}
        aria-valuetext={text}
      >
        <div
          className={fraction === null ? 'progress-fill indeterminate' : 'progress-fill'}
          style={{ width: `${Math.round((fraction ?? 0.3) * 100)}%` }}
        />
      </div>
      <p className="progress-text">{text}</p>
    </div>
  );
}

/** A field label by its code. */
export function useFieldLabel() {
  const { tx } = useI18n();
  return (field: string) => tx(`field.${field}`, field);
}

/** A value as the user should read it: dates in their locale, booleans and types in their words. */
export function useValueText() {
  const { t, tx, formatDate, lang } = useI18n();
  const countries = useMemo(() => new Intl.DisplayNames([lang], { type: 'region' }), [lang]);
  return (field: string, value: string | null | undefined): string => {
    if (value === null || value === undefined || value === '') return t('common.empty');
    if (field === 'active') return value === 'true' ? t('common.yes') : t('common.no');
    if (field === 'type') return tx(`customerType.${value}`, value);
    // A country code with its name, as the list in the form shows it: "Dänemark (DK)".
    if (field === 'country' && /^[A-Z]{2}$/.test(value)) return countryLabel(countries, value);
    if ((field === 'employedSince' || field === 'employedUntil') && /^\d{4}-\d{2}-\d{2}$/.test(value))
      return formatDate(value);
    return value;
  };
}

/** A flag that turns itself off after a few seconds (for "Saved." notices). */
export function useFlash(): [string | null, (text: string) => void] {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    if (!text) return;
    const timer = setTimeout(() => setText(null), 6000);
    return () => clearTimeout(timer);
  }, [text]);
  return [text, setText];
}

/**
 * A country as the app shows it, its name with its code ("Dänemark (DK)"); the code alone when Intl does
 * not know it (it answers such a code with itself, or refuses it).
 */
export function countryLabel(names: Intl.DisplayNames, code: string): string {
  try {
    const name = names.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

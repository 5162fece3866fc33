/**
 * The country as a list of names in the user's language, stored as its ISO 3166-1 code: nobody has to
 * know that Denmark is "DK", and nothing typed ("Dänemark", "UK") is read with a guess the form would
 * not show. The neighbours an office in Germany or Denmark mostly has come first, then Britain and
 * Ireland for the offices there.
 */
import { useMemo } from 'react';
import { COUNTRY_CODES } from '../../../src/core/countries.js';
import { useI18n } from '../i18n/i18n.js';
import { countryLabel } from '../ui/ui.js';

const FIRST = ['DE', 'DK', 'AT', 'CH', 'NL', 'PL', 'SE', 'NO', 'GB', 'IE'] as const;

export function CountryField({
  id,
  label,
  value,
  onChange,
  error,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
}) {
  const errorId = `${id}-error`;
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <CountrySelect
        id={id}
        value={value}
        onChange={onChange}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The bare list, for a form field above or a cell of a table (the item page's own value). */
export function CountrySelect({
  value,
  onChange,
  ...attributes
}: {
  value: string;
  onChange: (v: string) => void;
  id?: string;
  'aria-label'?: string;
  'aria-invalid'?: boolean | undefined;
  'aria-describedby'?: string | undefined;
  onFocus?: () => void;
}) {
  const { t, lang } = useI18n();
  const { first, rest } = useMemo(() => {
    const names = new Intl.DisplayNames([lang], { type: 'region' });
    const option = (code: string) => ({ code, label: countryLabel(names, code) });
    const collator = new Intl.Collator(lang);
    const rest = [...COUNTRY_CODES]
      .filter((c) => !(FIRST as readonly string[]).includes(c))
      .map(option)
      .sort((a, b) => collator.compare(a.label, b.label));
    return { first: FIRST.map(option), rest };
  }, [lang]);
  // A value stored before (or by an import) that is no code in use stays choosable, so saving keeps it.
  const unknown = value !== '' && !COUNTRY_CODES.has(value);
  return (
    <select {...attributes} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('common.empty')}</option>
      {unknown && <option value={value}>{value}</option>}
      {first.map((o) => (
        <option key={o.code} value={o.code}>
          {o.label}
        </option>
      ))}
      <option disabled>──────────</option>
      {rest.map((o) => (
        <option key={o.code} value={o.code}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

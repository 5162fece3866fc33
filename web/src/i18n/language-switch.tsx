import type { Language } from './i18n.js';
import { LANGUAGES, useI18n } from './i18n.js';

/** The language menu: each language named in itself. */
export function LanguageSwitch({ onChosen }: { onChosen?: (lang: Language) => void } = {}) {
  const { lang, setLang, t } = useI18n();
  return (
    <select
      className="language"
      aria-label={t('nav.language')}
      value={lang}
      onChange={(e) => {
        const next = e.target.value as Language;
        setLang(next);
        onChosen?.(next);
      }}
    >
      {LANGUAGES.map((l) => (
        <option key={l} value={l} lang={l}>
          {t(`lang.${l}`)}
        </option>
      ))}
    </select>
  );
}

/**
 * Languages (German, English, Danish): the browser's language by default, switchable, remembered in
 * the browser. Dates and numbers are formatted with Intl in the chosen language's locale.
 */
import type { ReactNode } from 'react';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { da } from './da.js';
import { de } from './de.js';
import type { MessageKey, Messages } from './en.js';
import { en } from './en.js';

export const LANGUAGES = ['de', 'en', 'da'] as const;
export type Language = (typeof LANGUAGES)[number];
export const MESSAGES: Record<Language, Messages> = { en, de, da };
const LOCALES: Record<Language, string> = { en: 'en-GB', de: 'de-DE', da: 'da-DK' };
const STORAGE_KEY = 'abgleich.language';

export type Vars = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, vars?: Vars) => string;
/** A message with a singular (`<key>.one`) and a plural (`<key>.other`): German, English and Danish need no more. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer B}.one` ? (`${B}.other` extends MessageKey ? B : never) : never;
}[MessageKey];

export interface I18n {
  readonly lang: Language;
  readonly setLang: (lang: Language) => void;
  readonly t: Translate;
  /** `t` for a key built at run time (a server code); `fallback` when the key is unknown. */
  readonly tx: (key: string, fallback: string, vars?: Vars) => string;
  /** The singular or plural form for `n`, with `{n}` formatted in the language's locale. */
  readonly tp: (key: PluralKey, n: number, vars?: Vars) => string;
  readonly formatNumber: (n: number) => string;
  readonly formatDate: (iso: string) => string;
  readonly formatDateTime: (iso: string) => string;
}

const isLanguage = (value: string | null | undefined): value is Language =>
  (LANGUAGES as readonly string[]).includes(value ?? '');

/** The first of the browser's preferred languages we speak; English otherwise. */
export function browserLanguage(): Language {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'nb' || base === 'no') continue;
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return isLanguage(stored) ? stored : browserLanguage();
}

export function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(initialLanguage);
  const setLang = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const messages = MESSAGES[lang];
    const locale = LOCALES[lang];
    const numbers = new Intl.NumberFormat(locale);
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    const dateTimes = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      lang,
      setLang,
      t: (key, vars) => interpolate(messages[key], vars),
      tx: (key, fallback, vars) =>
        interpolate(key in messages ? messages[key as MessageKey] : fallback, vars),
      tp: (key, n, vars) =>
        interpolate(messages[`${key}.${n === 1 ? 'one' : 'other'}` as MessageKey], {
          n: numbers.format(n),
          ...vars,
        }),
      formatNumber: (n) => numbers.format(n),
      formatDate: (iso) => {
        const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
        return Number.isNaN(d.getTime()) ? iso : dates.format(d);
      },
      formatDateTime: (iso) => {
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : dateTimes.format(d);
      },
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

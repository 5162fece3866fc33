/**
 * The web app's languages: every message exists in German, English and Danish, and every code the
 * server or engine can send (error codes, fields, categories, field rules, match reasons) has a message,
 * so no English is left on a German or Danish screen.
 */
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/core/errors.js';
import { FIELDS_OF } from '../../src/core/fields.js';
import { getHeader } from '../../src/formats/headers.js';
import { MATCH_REASONS } from '../../src/core/match.js';
import { CATEGORIES, FIELD_RULES } from '../../src/core/model.js';
import { da } from '../../web/src/i18n/da.js';
import { de } from '../../web/src/i18n/de.js';
import { en } from '../../web/src/i18n/en.js';

const LANGS = { en, de, da } as const;
/** Words that are the same in English and the other language. */
const SAME_IN = {
  de: new Set([
    'app.name',
    'nav.import',
    'import.integration',
    'overview.integration',
    'field.name',
    'column.name',
    'integrations.name',
    'list.status',
    'registry.status',
    'role.admin',
    'field.ean',
    'lang.en',
    'lang.de',
    'lang.da',
    'audit.import',
    'item.title',
    'action.confirmTitle',
    'error.field',
    'import.exportFormat',
  ]),
  da: new Set([
    'app.name',
    'nav.import',
    'import.integration',
    'overview.integration',
    'role.admin',
    'field.ean',
    'lang.en',
    'lang.de',
    'lang.da',
    'audit.import',
    'item.title',
    'action.confirmTitle',
    'error.field',
    'import.exportFormat',
    'list.side',
    'list.status',
    'registry.status',
    'field.type',
    'column.number',
    'field.number',
    'history.side',
    'field.email',
    'live.database',
  ]),
};

describe('the web app messages', () => {
  it('every key exists, non-empty, in German, English and Danish', () => {
    for (const [lang, messages] of Object.entries(LANGS)) {
      const missing = Object.keys(en).filter((k) => !(messages as Record<string, string>)[k]?.trim());
      expect(missing, `missing in ${lang}`).toEqual([]);
      const extra = Object.keys(messages).filter((k) => !(k in en));
      expect(extra, `unknown keys in ${lang}`).toEqual([]);
    }
  });

  it('German and Danish messages are translated, not English copies', () => {
    for (const lang of ['de', 'da'] as const) {
      const messages = LANGS[lang] as Record<string, string>;
      const copies = Object.keys(en).filter(
        (k) => messages[k] === (en as Record<string, string>)[k] && !SAME_IN[lang].has(k),
      );
      expect(copies, `English left in ${lang}`).toEqual([]);
    }
  });

  it('placeholders are the same in every language', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [lang, messages] of Object.entries(LANGS)) {
      for (const [k, v] of Object.entries(en)) {
        expect(names((messages as Record<string, string>)[k] ?? ''), `${lang} ${k}`).toEqual(names(v));
      }
    }
  });

  it('every code the server and engine send has a message', () => {
    const needed = [
      ...Object.keys(ERRORS).map((c) => `error.${c}`),
      'error.network',
      ...[...FIELDS_OF.employee, ...FIELDS_OF.customer].map((f) => `field.${f}`),
      ...CATEGORIES.flatMap((c) => [`category.${c}`, `category.${c}.hint`]),
      ...FIELD_RULES.map((r) => `rule.${r}`),
      ...MATCH_REASONS.map((r) => `match.${r}`),
    ];
    for (const [lang, messages] of Object.entries(LANGS)) {
      expect(
        needed.filter((k) => !(k in messages)),
        `codes without a message in ${lang}`,
      ).toEqual([]);
    }
  });

  it('Danish quotes with »…«, as most of its messages do, not with German „…“ or English “…”', () => {
    const foreign = Object.entries(da).filter(([, v]) => /[„“”]/.test(v));
    expect(foreign).toEqual([]);
  });

  it('Danish imperatives of "synkronisere" are written "Synkronisér"', () => {
    const bare = Object.entries(da).filter(([, v]) => /\bsynkroniser\b/i.test(v));
    expect(bare).toEqual([]);
  });

  it('the employment dates are labelled as the Danish file header names them (FORMATS.md)', () => {
    expect(da['field.employedSince']).toBe(getHeader('employee', 'employedSince', 'da'));
    expect(da['field.employedUntil']).toBe(getHeader('employee', 'employedUntil', 'da'));
  });

  it('words used mid-sentence (state.*) start lower-case in English and Danish', () => {
    for (const messages of [en, da])
      for (const [k, v] of Object.entries(messages))
        if (k.startsWith('state.')) expect(v[0], `${k}: ${v}`).toBe(v[0]!.toLowerCase());
    expect(Object.keys(en)).toContain('state.exported');
  });
});

/**
 * Dates in the layout of a custom file type (`MM/DD/YYYY` and friends). The standard forms are read
 * by `parseDate` in core; these convert a file type's own form to ISO before that.
 */
import type { DateFormat } from './file-type.js';

interface Layout {
  readonly pattern: RegExp;
  /** Positions of year, month and day among the pattern's groups (1-based). */
  readonly order: readonly [number, number, number];
}

const LAYOUTS: Readonly<Record<DateFormat, Layout>> = {
  'DD.MM.YYYY': { pattern: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: [3, 2, 1] },
  'DD/MM/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 2, 1] },
  'DD-MM-YYYY': { pattern: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, order: [3, 2, 1] },
  'MM/DD/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 1, 2] },
  'YYYY-MM-DD': { pattern: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, order: [1, 2, 3] },
  YYYYMMDD: { pattern: /^(\d{4})(\d{2})(\d{2})$/, order: [1, 2, 3] },
};

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date written in `format` as ISO `YYYY-MM-DD`. An ISO date passes as it is (XLSX date cells arrive
 * so). Anything else, or an impossible day such as 02/30/2024, gives undefined.
 */
export function readDateAs(text: string, format: DateFormat): string | undefined {
  const value = text.trim();
  const layout = LAYOUTS[format];
  const m = layout.pattern.exec(value);
  if (!m) return ISO.test(value) && validIso(value) ? value : undefined;
  const [y, mo, d] = layout.order.map((i) => Number(m[i]));
  const iso = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return validIso(iso) ? iso : undefined;
}

/** An ISO date written in `format`. */
export function writeDateAs(iso: string, format: DateFormat): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y = '', mo = '', d = ''] = m;
  const parts: Readonly<Record<DateFormat, string>> = {
    'DD.MM.YYYY': `${d}.${mo}.${y}`,
    'DD/MM/YYYY': `${d}/${mo}/${y}`,
    'DD-MM-YYYY': `${d}-${mo}-${y}`,
    'MM/DD/YYYY': `${mo}/${d}/${y}`,
    'YYYY-MM-DD': iso,
    YYYYMMDD: `${y}${mo}${d}`,
  };
  return parts[format];
}

function validIso(iso: string): boolean {
  const [y = 0, mo = 0, d = 0] = iso.split('-').map(Number);
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

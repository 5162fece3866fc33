/**
 * The little of Excel's number formats an import needs: showing a number as the sheet shows it when
 * that matters for identifiers (zero padding, literal prefixes, fixed decimals, phone patterns such as
 * `000 000 0000`), and telling a date
 * format apart. Anything richer falls back to the plain number, without grouping, never in exponent form.
 */

/** The literal text and digit placeholders of a format's first (positive) section. */
function firstSection(format: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ';') break;
    out += ch;
  }
  return out;
}

/** True for formats that show a date or time (d, m, y, h, s outside quotes and brackets). */
export function isDateFormat(format: string): boolean {
  const bare = format
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** `value` as a cell with `format` shows it, for the formats identifiers use; else the plain number. */
export function displayNumber(value: number, format: string | undefined): string {
  const plain = plainNumber(value);
  if (format === undefined || format === '' || /^(general|@)$/i.test(format)) return plain;
  const section = firstSection(format);
  const m = /^((?:"[^"]*"|\\.)*)([0#,]+)(?:\.(0+))?((?:"[^"]*"|\\.)*)$/.exec(section);
  if (!m) return Number.isInteger(value) ? (patterned(value, section) ?? plain) : plain;
  const [, prefix = '', digits = '', decimals = '', suffix = ''] = m;
  const zeros = (digits.match(/0/g) ?? []).length;
  const abs = Math.abs(value);
  const fixed = decimals ? abs.toFixed(decimals.length) : plainNumber(Math.round(abs));
  const [whole = '', fraction] = fixed.split('.');
  const padded = whole.padStart(zeros, '0') + (fraction !== undefined ? `.${fraction}` : '');
  return `${value < 0 ? '-' : ''}${literal(prefix)}${padded}${literal(suffix)}`;
}

/**
 * Characters a format shows as they are without quotes; a format with any other outside quotes is one
 * this reader does not know (a currency, a percentage, a colour) and falls back to the plain number.
 */
const BARE_LITERALS = new Set([' ', '-', '+', '/', '(', ')', ':']);

/**
 * An integer in a format that spreads digit placeholders between literal characters, as phone numbers
 * are kept with their leading zero: `000 000 0000` and `0## ### ####` show 871234567 as "087 123 4567",
 * `(000) 000 0000` as "(087) 123 4567". Digits fill the placeholders from the right; `0` shows a zero
 * where no digit is left, `#` nothing, `?` a space; digits beyond the placeholders go before the first.
 * Null for a format with anything else (a decimal point, grouping, a fraction, a currency sign).
 */
function patterned(value: number, section: string): string | null {
  if (section.includes('?') && section.includes('/')) return null; // a fraction, not a pattern
  const tokens: { placeholder?: string; text?: string }[] = [];
  for (let i = 0; i < section.length; i++) {
    const ch = section[i]!;
    if (ch === '0' || ch === '#' || ch === '?') tokens.push({ placeholder: ch });
    else if (ch === '\\' && i + 1 < section.length) tokens.push({ text: section[++i]! });
    else if (ch === '"') {
      const end = section.indexOf('"', i + 1);
      if (end < 0) return null;
      tokens.push({ text: section.slice(i + 1, end) });
      i = end;
    } else if (BARE_LITERALS.has(ch)) tokens.push({ text: ch });
    else return null;
  }
  const first = tokens.findIndex((t) => t.placeholder !== undefined);
  if (first < 0) return null;
  let digits = plainNumber(Math.abs(value));
  const out: string[] = [];
  for (let i = tokens.length - 1; i >= 0; i--) {
    const { placeholder, text } = tokens[i]!;
    if (placeholder === undefined) {
      out.push(text ?? '');
      continue;
    }
    const digit = digits.slice(-1);
    digits = digits.slice(0, -1);
    out.push(digit !== '' ? digit : placeholder === '0' ? '0' : placeholder === '?' ? ' ' : '');
    if (i === first) out.push(digits); // what no placeholder took
  }
  return (value < 0 ? '-' : '') + out.reverse().join('');
}

function literal(part: string): string {
  return part.replace(
    /"([^"]*)"|\\(.)/g,
    (_, quoted: string | undefined, escaped: string | undefined) => quoted ?? escaped ?? '',
  );
}

/** A number without exponent notation: 1e21 and above keep all digits as Excel would display them. */
function plainNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) >= 1e21) return BigInt(value).toString();
  return String(value);
}

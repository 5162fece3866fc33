/**
 * The little of Excel's number formats an import needs: showing a number as the sheet shows it when
 * that matters for identifiers (zero padding, literal prefixes, fixed decimals), and telling a date
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
  if (!m) return plain;
  const [, prefix = '', digits = '', decimals = '', suffix = ''] = m;
  const zeros = (digits.match(/0/g) ?? []).length;
  const abs = Math.abs(value);
  const fixed = decimals ? abs.toFixed(decimals.length) : plainNumber(Math.round(abs));
  const [whole = '', fraction] = fixed.split('.');
  const padded = whole.padStart(zeros, '0') + (fraction !== undefined ? `.${fraction}` : '');
  return `${value < 0 ? '-' : ''}${literal(prefix)}${padded}${literal(suffix)}`;
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

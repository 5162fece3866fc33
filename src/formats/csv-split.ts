/**
 * The text of CSV records (RFC 4180): where a record ends and what its cells are. Shared by the reader
 * (`csv.ts`) and the delimiter guess (`delimiter.ts`), which must see records as the reader does.
 */

/**
 * Where the record starting at `start` ends (the index of its line break), or -1 when the text ends
 * first. `quote` is the first `"` at or after `start` (-1: none): a record without one ends at the next
 * line break, found by `indexOf`; one with a quote is walked field by field.
 */
export function recordEnd(
  input: string,
  start: number,
  quote: number,
  delimiter: string,
  newline: string,
): number {
  const end = input.indexOf(newline, start);
  if (end < 0 || quote < 0 || quote > end) return end;
  let i = start;
  for (;;) {
    if (input.charCodeAt(i) === QUOTE) {
      const closed = closingQuote(input, i + 1);
      if (closed < 0) return -1; // the quoted field goes on in the next chunk (or never ends)
      i = closed + 1;
    }
    const next = input.indexOf(delimiter, i);
    const lineEnd = input.indexOf(newline, i);
    if (lineEnd < 0) return -1;
    if (next < 0 || lineEnd < next) return lineEnd;
    i = next + 1;
  }
}

const QUOTE = 34;

/** The index of the `"` that closes a quoted field whose text starts at `i`, or -1 if not in `text`. */
function closingQuote(text: string, i: number): number {
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0 || q + 1 >= text.length) return -1; // at the very end: `""` or the close? not known yet
    if (text.charCodeAt(q + 1) !== QUOTE) return q;
    i = q + 2; // `""`: a quote inside the field
  }
}

/** The cells of one record, quotes resolved; undefined when a quoted field is never closed. */
export function splitRecord(text: string, delimiter: string): string[] | undefined {
  if (!text.includes('"')) return text.split(delimiter);
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (text.charCodeAt(i) === QUOTE) {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return undefined;
        cell += text.slice(i, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    }
    const next = text.indexOf(delimiter, i);
    cells.push(cell + text.slice(i, next < 0 ? undefined : next)); // text after a closing quote is kept
    if (next < 0) return cells;
    i = next + 1;
  }
}

/**
 * Which of `,` `;` TAB a CSV file is delimited by, guessed from its first records — the header alone
 * misleads: `P.-Nr.;Name;Adresse (Straße, Hausnr., Zusatz)` has as many commas as semicolons. Each
 * candidate splits the records as the reader would (quotes respected); the one under which most records
 * have the same number of cells (two or more) wins. A title line above the header ("Mitarbeiterliste")
 * is outvoted too. On a tie the one that makes more cells wins, then `;`, TAB, `,` in this order: a
 * comma is the one most often written inside a cell ("Müller, Hans").
 */
import { recordEnd, splitRecord } from './csv-split.js';
import type { Delimiter } from './file-type.js';

/** How many records the guess looks at, at most. */
export const SAMPLE_RECORDS = 20;

const BY_PREFERENCE: readonly Delimiter[] = [';', '\t', ','];

/**
 * The delimiter of the records at the start of `sample` (the file's text from its header on), whose
 * records end with `newline`. An unfinished last record is left out, unless it is the only one.
 */
export function detectDelimiter(sample: string, newline = '\n'): Delimiter {
  let best: { delimiter: Delimiter; records: number; cells: number } | undefined;
  for (const delimiter of BY_PREFERENCE) {
    const vote = commonWidth(cellCounts(sample, delimiter, newline));
    if (!vote) continue;
    if (!best || vote.records > best.records || (vote.records === best.records && vote.cells > best.cells))
      best = { delimiter, ...vote };
  }
  return best?.delimiter ?? ',';
}

/** The number of cells of each non-blank record in `sample`, split by `delimiter`. */
function cellCounts(sample: string, delimiter: string, newline: string): number[] {
  const counts: number[] = [];
  const count = (record: string): void => {
    if (record.trim() !== '') counts.push(splitRecord(record, delimiter)?.length ?? 1);
  };
  let start = 0;
  let quote = sample.indexOf('"');
  while (counts.length < SAMPLE_RECORDS) {
    if (quote >= 0 && quote < start) quote = sample.indexOf('"', start);
    const end = recordEnd(sample, start, quote, delimiter, newline);
    if (end < 0) break;
    count(sample.slice(start, end));
    start = end + newline.length;
  }
  if (counts.length === 0) count(sample.slice(start));
  return counts;
}

/** The most common number of cells (two or more) and how many records have it. */
function commonWidth(counts: readonly number[]): { records: number; cells: number } | undefined {
  const tally = new Map<number, number>();
  for (const n of counts) if (n > 1) tally.set(n, (tally.get(n) ?? 0) + 1);
  let found: { records: number; cells: number } | undefined;
  for (const [cells, records] of tally)
    if (!found || records > found.records || (records === found.records && cells > found.cells))
      found = { records, cells };
  return found;
}

/**
 * The CSV reader against its definition: cells written as RFC 4180 (quoted where needed, or at random),
 * cut into chunks at random places, read back as the same cells in the same rows — whatever the
 * delimiter and line break. And the split it saves (`CsvRecord.cell`) gives what the full split gives.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Delimiter } from './file-type.js';
import { CsvRecord, csvRows, splitRecord } from './csv.js';

const RUNS = { numRuns: Number(process.env.RUNS ?? 300) };

const cellArb = fc
  .array(fc.constantFrom('a', 'Ü', ' ', ',', ';', '\t', '"', '\n', '\r\n', '7', 'ß'), { maxLength: 6 })
  .map((parts) => parts.join(''));

/** A cell as a CSV writer puts it: quoted when it must be, or when `quote` says so anyway. */
function written(cell: string, delimiter: string, quote: boolean): string {
  const must = cell.includes(delimiter) || cell.includes('"') || /[\r\n]/.test(cell) || cell.startsWith(' ');
  return must || quote ? `"${cell.replaceAll('"', '""')}"` : cell;
}

async function readBack(text: string, delimiter: Delimiter, cuts: readonly number[]): Promise<string[][]> {
  const bytes = Buffer.from(text, 'utf8');
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    if (to > from) chunks.push(bytes.subarray(from, to));
    from = Math.max(from, to);
  }
  async function* source() {
    yield* chunks;
  }
  const rows: string[][] = [];
  for await (const batch of csvRows(source(), { encoding: 'utf-8', delimiter }, 'p.csv'))
    for (const r of batch) rows.push([...r.cells]);
  return rows;
}

describe('the CSV reader', () => {
  it('reads back the cells RFC 4180 wrote, across any chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Delimiter>(',', ';', '\t'),
        fc.constantFrom('\r\n', '\n'),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(fc.tuple(cellArb, fc.boolean()), { minLength: 4, maxLength: 4 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.array(fc.nat(400), { maxLength: 6 }),
        async (delimiter, newline, width, table, cuts) => {
          const header = Array.from({ length: width }, (_, i) => `H${i}`);
          const rows = table.map((r) => r.slice(0, width));
          const text =
            [
              header.join(delimiter),
              ...rows.map((r) => r.map(([c, q]) => written(c, delimiter, q)).join(delimiter)),
            ].join(newline) + newline;
          // A row whose cells are all blank is skipped, as the reader promises.
          const expected = [header, ...rows.map((r) => r.map(([c]) => c))].filter((r) =>
            r.some((c) => c.trim() !== ''),
          );
          expect(await readBack(text, delimiter, cuts)).toEqual(expected);
        },
      ),
      RUNS,
    );
  });

  it('splits a record as papaparse does, and a single cell as the whole split', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(',', ';', '\t'),
        fc.array(fc.tuple(cellArb, fc.boolean()), { minLength: 1, maxLength: 5 }),
        (delimiter, cells) => {
          // Unquoted, a `"` after a field's first character is text ('5" Rohr'), as papaparse reads it.
          const loose = (c: string) =>
            !c.startsWith('"') && !c.startsWith(' ') && !c.includes(delimiter) && !/[\r\n]/.test(c);
          const record = cells
            .map(([c, q]) => (!q && loose(c) ? c : written(c, delimiter, q)))
            .join(delimiter);
          const ours = splitRecord(record, delimiter);
          const papa = Papa.parse<string[]>(record, { delimiter, newline: '\n', quoteChar: '"' }).data[0];
          expect(ours).toEqual(papa ?? ['']);
          const row = new CsvRecord(2, record, delimiter);
          for (let i = 0; i <= cells.length; i++) expect(row.cell(i)).toBe(ours![i] ?? '');
        },
      ),
      RUNS,
    );
  });
});

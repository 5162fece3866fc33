/** The zip layout of an XLSX file, and reading workbooks whatever the order of their entries. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteSource } from './byte-source.js';
import { standardFileType } from './file-type.js';
import { fixture, readAll } from './test-support.js';
import { readerOrder, readZipLayout } from './zip.js';

const WORKBOOK = readFileSync(fixture('employees.xlsx'));

/**
 * `zip` with its entries in `order` (indexes into the file's order), the central directory's offsets
 * moved to match: a workbook as another program might have written it.
 */
async function reordered(zip: Buffer, order: readonly number[]): Promise<Buffer> {
  const layout = (await readZipLayout(await ByteSource.open(zip)))!;
  const parts: Buffer[] = [];
  const moved = new Map<number, number>();
  let at = 0;
  for (const i of order) {
    const e = layout.entries[i]!;
    moved.set(e.start, at);
    parts.push(zip.subarray(e.start, e.end));
    at += e.end - e.start;
  }
  const tail = Buffer.from(zip.subarray(layout.directoryStart));
  for (let p = 0; tail.readUInt32LE(p) === 0x02014b50;) {
    tail.writeUInt32LE(moved.get(tail.readUInt32LE(p + 42))!, p + 42);
    p += 46 + tail.readUInt16LE(p + 28) + tail.readUInt16LE(p + 30) + tail.readUInt16LE(p + 32);
  }
  const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  tail.writeUInt32LE(at, eocd + 16);
  return Buffer.concat([...parts, tail]);
}

describe('zip layout', () => {
  it('lists the entries with the bytes each occupies, and orders them for the streaming reader', async () => {
    const layout = (await readZipLayout(await ByteSource.open(WORKBOOK)))!;
    const names = layout.entries.map((e) => e.name);
    expect(names.indexOf('xl/workbook.xml')).toBe(names.length - 1); // this file has it last
    expect(layout.entries[0]!.start).toBe(0);
    layout.entries.forEach((e, i) =>
      expect(e.end).toBe(layout.entries[i + 1]?.start ?? layout.directoryStart),
    );
    const ranges = readerOrder(layout, WORKBOOK.length);
    const byStart = new Map(layout.entries.map((e) => [e.start, e.name]));
    expect(ranges.slice(0, 4).map(([start]) => byStart.get(start))).toEqual([
      'xl/_rels/workbook.xml.rels',
      'xl/workbook.xml',
      'xl/sharedStrings.xml',
      'xl/styles.xml',
    ]);
    expect(ranges.at(-1)).toEqual([layout.directoryStart, WORKBOOK.length]);
    // Every byte once.
    const covered = ranges.reduce((n, [start, end]) => n + end - start, 0);
    expect(covered).toBe(WORKBOOK.length);
  });

  it('leaves a directory it cannot follow to the plain stream, which still reads', async () => {
    const odd = Buffer.from(WORKBOOK);
    const eocd = odd.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    odd.writeUInt16LE(0xffff, eocd + 10); // entry count of a ZIP64 file
    expect(await readZipLayout(await ByteSource.open(odd))).toBeUndefined();
    const { rows } = await readAll(odd);
    expect(rows).toHaveLength(4);
  });

  it('reads the same rows and worksheet names whatever order the entries come in', async () => {
    const expected = await readAll(WORKBOOK);
    const customers = await readAll(WORKBOOK, { ...standardFileType('customer'), sheet: 'Kunden' });
    const count = (await readZipLayout(await ByteSource.open(WORKBOOK)))!.entries.length;
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(
          Array.from({ length: count }, (_, i) => i),
          { minLength: count },
        ),
        async (order) => {
          const zip = await reordered(WORKBOOK, order);
          expect((await readAll(zip)).rows).toEqual(expected.rows);
          const named = await readAll(zip, { ...standardFileType('customer'), sheet: 'Kunden' });
          expect(named.rows).toEqual(customers.rows);
        },
      ),
      { numRuns: 40 },
    );
  });
});

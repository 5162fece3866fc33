import { describe, expect, it } from 'vitest';
import { ByteSource } from './byte-source.js';
import { checkEncoding } from './encoding.js';
import { standardFileType } from './file-type.js';
import { readRecords } from './read.js';
import { readAll, readError } from './test-support.js';

const employees = standardFileType('employee');
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const latin = (text: string): Buffer => Buffer.from(text, 'latin1'); // Windows-1252 for these letters

describe('a UTF-8 file with bytes of another encoding', () => {
  it('is refused, naming the row and column of the first byte that is not UTF-8', async () => {
    // Row 4 was pasted in from a Windows-1252 file: its "ü" is the single byte 0xFC.
    const bytes = Buffer.concat([
      utf8(
        'Personalnummer;Name;Ort\r\n123;Jürgen Schäfer;Köln\r\n124;Ayşe Yılmaz;Köln\r\n141;Anna Kowalczyk;H',
      ),
      latin('ürth\r\n'),
    ]);
    const error = await readError(bytes, employees);
    expect(error).toMatchObject({
      code: 'file_unreadable',
      reason: 'encoding',
      place: { row: 4, column: 'Ort' },
      message:
        'upload, row 4, column "Ort": the file mixes encodings: it is UTF-8, but byte 0xFC is not ' +
        '(in Windows-1252 it is "ü"); correct that character and save the file as UTF-8 again',
    });
  });

  it('is refused when the stray byte lies far down a large file, before any row is read', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `${i + 2};Jürgen Müller ${i};Köln\r\n`).join('');
    const bytes = Buffer.concat([utf8(`P.-Nr.;Name;Ort\r\n${rows}60002;`), latin('Gül;Köln\r\n')]);
    expect(bytes.length).toBeGreaterThan(1_500_000);
    // readRecords itself fails: no row reaches an import, which therefore writes nothing.
    await expect(readRecords(bytes, { fileType: employees })).rejects.toMatchObject({
      reason: 'encoding',
      place: { row: 60_002, column: 'Name' },
    });
  });

  it('is refused when its first umlauts are Windows-1252 and later ones UTF-8', async () => {
    const ascii = Array.from({ length: 5000 }, (_, i) => `${i + 3};Person ${i};Bonn\r\n`).join('');
    const bytes = Buffer.concat([
      utf8('P.-Nr.;Name;Ort\r\n2;Anna;'),
      latin('Würzburg\r\n'),
      utf8(`${ascii}9999;Jürgen;Köln\r\n`),
    ]);
    await expect(readError(bytes, employees)).resolves.toMatchObject({
      reason: 'encoding',
      place: { row: 2, column: 'Ort' },
    });
  });

  it('counts a quoted line break as part of its row when naming the place', async () => {
    const bytes = Buffer.concat([
      utf8('P.-Nr.;Name;Adresse\r\n1;Jörg;"Hof 1\r\nHinterhaus"\r\n2;"Anna\r\n'),
      latin('Groß"'),
      utf8(';Weg 2\r\n'),
    ]);
    await expect(readError(bytes, employees)).resolves.toMatchObject({
      reason: 'encoding',
      place: { row: 3, column: 'Name' },
    });
  });

  it('is refused with a UTF-8 BOM even when it holds no other multi-byte character', async () => {
    const bytes = Buffer.concat([utf8('\uFEFFP.-Nr.;Name\r\n1;'), latin('Jürgen\r\n')]);
    await expect(readError(bytes, employees)).resolves.toMatchObject({
      reason: 'encoding',
      place: { row: 2, column: 'Name' },
    });
  });

  it('names the cell by its position when the byte is in the header', async () => {
    const bytes = Buffer.concat([utf8('P.-Nr.;Name;'), latin('Straße'), utf8('\r\n1;Jürgen;Weg 1\r\n')]);
    const error = await readError(bytes, employees);
    expect(error).toMatchObject({ reason: 'encoding', place: { row: 1 } });
    expect((error as Error).message).toContain('byte 0xDF in cell 3 is not');
  });
});

describe('the encoding check', () => {
  const check = async (bytes: Buffer) => checkEncoding(await ByteSource.open(bytes));

  it('reads a Windows-1252 file, whose umlauts never form UTF-8, as Windows-1252', async () => {
    await expect(check(latin('P.-Nr.;Name\r\n1;Jürgen Müller;Weiß\r\n'))).resolves.toEqual({
      encoding: 'windows-1252',
    });
    const { file, rows } = await readAll(latin('P.-Nr.;Name;Ort\r\n1;Jürgen Müller;Köln\r\n'));
    expect(file.encoding).toBe('windows-1252');
    expect(rows[0]?.values.name).toBe('Jürgen Müller');
  });

  it('reads clean UTF-8 as UTF-8, with a character split across chunks', async () => {
    const text = `P.-Nr.;Name\r\n${'x'.repeat(65_535)}ü\r\n`;
    await expect(check(utf8(text))).resolves.toEqual({ encoding: 'utf-8' });
  });

  it('gives the offset and value of the first stray byte', async () => {
    const bytes = Buffer.concat([utf8('a;ä\n'), latin('ö;ü\n')]);
    await expect(check(bytes)).resolves.toEqual({ encoding: 'utf-8', stray: { offset: 5, byte: 0xf6 } });
  });

  it('takes a sequence cut off by the end of the file as a stray byte', async () => {
    const bytes = Buffer.concat([utf8('a;ä\n'), Buffer.from([0xe2, 0x82])]);
    await expect(check(bytes)).resolves.toEqual({ encoding: 'utf-8', stray: { offset: 5, byte: 0xe2 } });
  });
});

/** Files that are no table, refused as what they are whatever their name and size. */
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { standardFileType } from './file-type.js';
import { readError } from './test-support.js';

const employees = standardFileType('employee');

/** A zip of `entries` stored uncompressed, in this order (as an OpenDocument file puts its mimetype first). */
function storedZip(entries: readonly (readonly [string, string])[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let at = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const fileName = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt32LE(crc32(data), 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(fileName.length, 28);
    dir.writeUInt32LE(at, 42);
    locals.push(local, fileName, data);
    central.push(dir, fileName);
    at += 30 + fileName.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(at, 16);
  return Buffer.concat([...locals, directory, end]);
}

const refusal = (what: string, advice = 'export the data as CSV or XLSX') =>
  `upload: this is ${what}, neither CSV nor XLSX; ${advice}`;

describe('a file that is no table', () => {
  it('a small PDF without a NUL byte is refused as a PDF, not as a CSV without a number column', async () => {
    const pdf = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
    await expect(readError(pdf, employees)).resolves.toMatchObject({
      reason: 'unsupported_format',
      message: refusal('a PDF document'),
    });
  });

  it.each([
    ['an HTML page', '<!DOCTYPE html>\n<html><body><table><tr><td>P.-Nr.</td></tr></table></body></html>'],
    ['an RTF document', '{\\rtf1\\ansi P.-Nr.;Name}'],
    ['a GIF image', 'GIF89a;;;'],
  ])('%s is refused as what it is', async (what, text) => {
    await expect(readError(Buffer.from(text), employees)).resolves.toMatchObject({
      reason: 'unsupported_format',
      message: refusal(what),
    });
  });

  it('a zip that holds no workbook is refused as an archive, not as an empty file', async () => {
    const zip = storedZip([['readme.txt', 'hello']]);
    await expect(readError(zip, employees)).resolves.toMatchObject({
      reason: 'unsupported_format',
      message: refusal('a ZIP archive without a workbook in it'),
    });
  });

  it('an OpenDocument spreadsheet and a Word document are named as such', async () => {
    const ods = storedZip([
      ['mimetype', 'application/vnd.oasis.opendocument.spreadsheet'],
      ['content.xml', '<office:document-content/>'],
    ]);
    await expect(readError(ods, employees)).resolves.toMatchObject({
      message: refusal('an OpenDocument spreadsheet (.ods)', 'save it as .xlsx or CSV'),
    });
    const docx = storedZip([
      ['[Content_Types].xml', '<Types/>'],
      ['word/document.xml', '<w:document/>'],
    ]);
    await expect(readError(docx, employees)).resolves.toMatchObject({
      message: refusal('a Word document (.docx)'),
    });
  });
});

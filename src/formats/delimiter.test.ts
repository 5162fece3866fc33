import { describe, expect, it } from 'vitest';
import { detectDelimiter } from './delimiter.js';
import { readAll } from './test-support.js';

describe('the delimiter of a CSV file', () => {
  it('is taken from the data rows too, not from a header whose commas outnumber nothing', async () => {
    const csv = 'P.-Nr.;Name;Adresse (Straße, Hausnr., Zusatz)\r\n1;Anna Alt;Weg 1\r\n2;Bert Bau;Weg 2\r\n';
    const { file, rows } = await readAll(Buffer.from(csv));
    expect(file.header.fields).toEqual(['number', 'name']);
    expect(rows.map((r) => r.values.name)).toEqual(['Anna Alt', 'Bert Bau']);
    expect(rows.every((r) => r.problems.length === 0)).toBe(true);
  });

  it('is found below a title line that has none', async () => {
    const csv = 'Mitarbeiterliste\r\nP.-Nr.;Name;Ort\r\n1;Müller, Hans;Köln\r\n2;Weiß, Anna;Bonn\r\n';
    const { file, rows } = await readAll(Buffer.from(csv));
    expect(file.header.row).toBe(2);
    expect(rows.map((r) => [r.values.name, r.values.city])).toEqual([
      ['Müller, Hans', 'Köln'],
      ['Weiß, Anna', 'Bonn'],
    ]);
  });

  it('is the one that gives most records the same number of cells, quotes respected', () => {
    const english =
      'Employee no.,Name,Address\n1,"Smith; John","Road 1; Flat 2"\n2,"Doe; Jane","Lane\n3; 4"\n';
    expect(detectDelimiter(english)).toBe(',');
    const tabs = 'P.-Nr.\tName\tOrt\n1\tMüller, Hans\tKöln\n2\tWeiß; Anna\tBonn\n';
    expect(detectDelimiter(tabs)).toBe('\t');
    const semicolons = 'P.-Nr.;Name;Stunden\r\n1;Anna;1,5\r\n2;Bob;2,25\r\n3;Cem;8\r\n';
    expect(detectDelimiter(semicolons, '\r\n')).toBe(';');
  });

  it('prefers a semicolon when commas split every record as evenly', () => {
    expect(detectDelimiter('Personalnummer;Name, Vorname\r\n1;Alt, Anna\r\n2;Bau, Bert\r\n', '\r\n')).toBe(
      ';',
    );
  });

  it('reads a header alone, and a single column, as before', () => {
    expect(detectDelimiter('Employee no.,Name')).toBe(',');
    expect(detectDelimiter('P.-Nr.;Name\n')).toBe(';');
    expect(detectDelimiter('Name\nAnna\n')).toBe(',');
  });

  it('leaves out an unfinished last record of the sample', () => {
    expect(detectDelimiter('a;b;c\n1;2;3\n4;5;6\n7,8')).toBe(';');
  });
});

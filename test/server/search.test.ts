/** Searching the overview and the registry: the text is cleaned like a value and matched literally. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import type { TestServer } from './support.js';
import { startServer } from './support.js';

describe.each(DATABASES)('search on $name', (target) => {
  let database: TestDatabase;
  let t: TestServer;
  beforeAll(async () => {
    database = await target.connect();
    t = await startServer(database);
    const made = await t.admin.inject({
      method: 'POST',
      url: '/api/employees',
      payload: { values: { number: '1007', name: 'Gus 100%_Grün' } },
    });
    expect(made.statusCode, made.body).toBe(201);
    // Capitals beyond ASCII, as payroll exports write surnames and towns.
    const caps = await t.admin.inject({
      method: 'POST',
      url: '/api/employees',
      payload: { values: { number: '1008', name: 'JÜRGEN ØSTERGÅRD', city: 'KØBENHAVN' } },
    });
    expect(caps.statusCode, caps.body).toBe(201);
    const marks = await t.admin.inject({
      method: 'POST',
      url: '/api/employees',
      payload: { values: { number: '4711', name: 'Ayşe Yılmaz-Weiß', city: 'Århus' } },
    });
    expect(marks.statusCode, marks.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await database?.cleanup();
  });

  const items = async (search: string): Promise<string[]> => {
    const res = await t.admin.inject({
      method: 'GET',
      url: `/api/integrations/lohn/items?search=${encodeURIComponent(search)}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: { number: string }[]; total: number };
    expect(body.total).toBe(body.items.length);
    return body.items.map((i) => i.number).sort();
  };
  const employees = async (search: string): Promise<string[]> => {
    const res = await t.admin.inject({
      method: 'GET',
      url: `/api/employees?search=${encodeURIComponent(search)}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { records: { values: { number: string } }[]; total: number };
    expect(body.total).toBe(body.records.length);
    return body.records.map((r) => r.values.number).sort();
  };

  it('% and _ are matched as themselves, not as wildcards', async () => {
    for (const list of [items, employees]) {
      expect(await list('%')).toEqual(['1007']);
      expect(await list('_')).toEqual(['1007']);
      expect(await list('0%_g')).toEqual(['1007']);
      expect(await list('a_n')).toEqual([]);
      expect(await list('A%a')).toEqual([]);
      expect(await list('!')).toEqual([]);
    }
  });

  it('the search text is trimmed, its spaces collapsed and its Unicode composed, as values are', async () => {
    for (const list of [items, employees]) {
      expect(await list('  anna \t  mü')).toEqual(['1001']);
      // "ü" written as u + combining diaeresis, as some keyboards and pasted text send it.
      expect(await list('Mu\u0308ller')).toEqual(['1001']);
    }
    // Only spaces: no filter, as no search.
    expect((await items('   ')).length).toBe((await items('')).length);
  });

  it('letters beyond ASCII match in either case, as ASCII letters do', async () => {
    for (const list of [items, employees]) {
      expect(await list('jürgen østergård')).toEqual(['1008']);
      expect(await list('ØSTERGÅRD')).toEqual(['1008']);
      expect(await list('MÜLLER')).toEqual(['1001']);
    }
    expect(await employees('københavn')).toEqual(['1008']);
  });

  it('names match with their marks aside, and umlauts spelt out', async () => {
    for (const list of [items, employees]) {
      expect(await list('muller')).toEqual(['1001']);
      expect(await list('MUELLER')).toEqual(['1001']);
      expect(await list('ostergard')).toEqual(['1008']);
      expect(await list('yilmaz-weiss')).toEqual(['4711']);
      expect(await list('ayse')).toEqual(['4711']);
      // A name as payroll exports write it: "Last, First".
      expect(await list('Müller, Anna')).toEqual(['1001']);
      // What matched before still matches: a part of a name with a two-letter spelling in it.
      expect(await list('ül')).toEqual(['1001']);
    }
    expect(await employees('aarhus')).toEqual([]);
    expect(await employees('arhus')).toEqual(['4711']);
  });

  it('a number searched with leading zeros finds the number without them', async () => {
    for (const list of [items, employees]) expect(await list('004711')).toEqual(['4711']);
  });

  it('the registry searches the values, not the names of the fields', async () => {
    // "ame" is in "name", "code" in "work_phone_code", "city" names a field: no value holds them.
    for (const text of ['ame', 'code', 'city', '"', ':']) expect(await employees(text)).toEqual([]);
    expect(await employees('Berlin')).toEqual(['1001']);
  });

  // Last: it adds a record the searches above would find too.
  it('an umlaut searched finds the name typed without it ("Müller" finds "Mueller"), as the other way round', async () => {
    const made = await t.admin.inject({
      method: 'POST',
      url: '/api/employees',
      payload: { values: { number: '1009', name: 'Jürgen Mueller' } },
    });
    expect(made.statusCode, made.body).toBe(201);
    for (const search of ['Müller', 'MÜLLER', 'mueller'])
      expect(await employees(search), search).toEqual(['1001', '1009']);
    expect(await employees('muller')).toEqual(['1001']); // neither "ü" nor "ue": "Mueller" is not "Muller"
  });

  it("an apostrophe of any kind finds the others: O'Brien typed on a keyboard finds O’Brien from Word", async () => {
    for (const [number, name] of [
      ['2001', 'Seán O’Brien'],
      ['2002', "Siobhán O'Neill"],
    ]) {
      const made = await t.admin.inject({
        method: 'POST',
        url: '/api/employees',
        payload: { values: { number, name } },
      });
      expect(made.statusCode, made.body).toBe(201);
    }
    expect(await employees("o'brien")).toEqual(['2001']);
    expect(await employees('O’Neill')).toEqual(['2002']);
    expect(await employees('o`neill')).toEqual(['2002']);
  });
});

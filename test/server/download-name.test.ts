/**
 * Download names: an integration named "løn" downloads as "løn-export.csv" in Chromium, which drops a
 * raw non-ASCII `filename=` and saves "export.csv"; the header carries an ASCII fallback and RFC 5987's
 * `filename*`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asciiFileName, attachment } from '../../src/server/routes/files.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import type { TestServer } from './support.js';
import { startServer } from './support.js';

describe('a download name', () => {
  it('is spelled out in ASCII for filename= and given in full as filename*', () => {
    expect(asciiFileName('løn-export.csv')).toBe('loen-export.csv');
    expect(asciiFileName('Lohnbüro-Straße_é.csv')).toBe('Lohnbuero-Strasse_e.csv');
    expect(attachment('løn-export.csv')).toBe(
      `attachment; filename="loen-export.csv"; filename*=UTF-8''l%C3%B8n-export.csv`,
    );
    expect(attachment('lohn-export.csv')).toBe(
      `attachment; filename="lohn-export.csv"; filename*=UTF-8''lohn-export.csv`,
    );
  });

  it("never carries a quote, a backslash or a character outside RFC 5987's attr-char unencoded", () => {
    const header = attachment(`a"b\\c'd(e)*f ø.csv`);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    const [, fallback, encoded] = /filename="([^"]*)"; filename\*=UTF-8''(\S+)$/.exec(header)!;
    expect(fallback).toBe('a_b_c_d_e_f_oe.csv');
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    expect(decodeURIComponent(encoded!)).toBe(`a"b\\c'd(e)*f ø.csv`);
  });
});

const sqlite = DATABASES.find((d) => d.name === 'sqlite')!;

describe('the export of an integration named "løn"', () => {
  let database: TestDatabase;
  let t: TestServer;
  beforeAll(async () => {
    database = await sqlite.connect();
    t = await startServer(database);
  });
  afterAll(async () => {
    await t?.close();
    await database?.cleanup();
  });

  it('downloads with an ASCII filename and its own name in filename*', async () => {
    const made = await t.admin.inject({
      method: 'POST',
      url: '/api/integrations',
      payload: { name: 'løn', entity: 'employee' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const csv = await t.admin.inject({
      method: 'GET',
      url: `/api/integrations/${encodeURIComponent('løn')}/export?lang=da`,
    });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="loen-export.csv"; filename*=UTF-8''l%C3%B8n-export.csv`,
    );
  });
});

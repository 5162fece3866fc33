/** The answers to failures the user cannot fix by changing a field: unexpected errors, files, sizes. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import type { TestServer } from './support.js';
import { readRecords, standardFileType } from '../../src/formats/index.js';
import { PASSWORD, startServer } from './support.js';

/** A multipart body with one part "file". */
function multipart(name: string, content: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = 'abgleicherrorsboundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(DATABASES)('error answers on $name', (target) => {
  let database: TestDatabase;
  let t: TestServer | undefined;
  const logged: string[] = [];
  beforeEach(async () => {
    database = await target.connect();
    logged.length = 0;
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await database?.cleanup();
  });

  it('an unexpected error answers 500 with an incident id and writes its stack under that id, without the request body', async () => {
    t = await startServer(database, {
      seed: false,
      loadDemo: () => Promise.reject(new Error('the demo files are missing')),
      errorLog: (text) => logged.push(text),
    });
    const res = await t.anonymous.inject({
      method: 'POST',
      url: '/api/setup?from=test',
      payload: { login: 'chefin', name: 'Die Chefin', password: PASSWORD, demo: true },
    });
    expect(res.statusCode).toBe(500);
    const { error } = res.json() as {
      error: { code: string; message: string; details: { incident: string } };
    };
    expect(error.code).toBe('internal');
    expect(error.details.incident).toMatch(/^[0-9a-f]{8}$/);
    expect(error.message).toContain(`logged as incident ${error.details.incident}`);
    // The cause stays in the log, not in the answer.
    expect(res.body).not.toContain('demo files');

    expect(logged).toHaveLength(1);
    const lines = logged[0]!.trimEnd().split('\n');
    for (const line of lines) expect(line.startsWith(`[abgleich ${error.details.incident}] `)).toBe(true);
    expect(lines[0]).toContain('unexpected error in POST /api/setup');
    expect(logged[0]).toContain('Error: the demo files are missing');
    expect(lines.some((l) => /^\[abgleich \w+\] +at /.test(l))).toBe(true);
    expect(logged[0]).not.toContain(PASSWORD);
    expect(logged[0]).not.toContain('from=test');
  });

  it('a body with a field the endpoint does not know is refused naming it, and changes nothing', async () => {
    t = await startServer(database);
    const made = await t.admin.inject({
      method: 'POST',
      url: '/api/employees',
      payload: { values: { number: '7001', name: 'Typo Test', city: 'Bonn' } },
    });
    expect(made.statusCode, made.body).toBe(201);
    // "expectedVersion" for "expectVersion": taken silently, the version check was lost.
    const typo = await t.admin.inject({
      method: 'PATCH',
      url: '/api/employees/7001',
      payload: { values: { city: 'Köln' }, expectedVersion: 0 },
    });
    expect(typo.statusCode, typo.body).toBe(400);
    expect(typo.json().error.code).toBe('validation_failed');
    expect(typo.body).toContain('expectedVersion');
    const versions = await t.admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/actions/disable',
      payload: { target: { ids: [1] }, versions: { '1': 0 } },
    });
    expect(versions.statusCode, versions.body).toBe(400);
    expect(versions.body).toContain('versions');
    const record = await t.admin.inject({ method: 'GET', url: '/api/employees/7001' });
    expect(record.json().record).toMatchObject({ values: { city: 'Bonn' }, version: 1 });
  });

  it('an expected refusal is not logged', async () => {
    t = await startServer(database, { errorLog: (text) => logged.push(text) });
    const res = await t.admin.inject({ method: 'GET', url: '/api/integrations/nothing/overview' });
    expect(res.statusCode).toBe(404);
    expect(logged).toEqual([]);
  });

  it('an empty upload is unreadable with the reason empty_file, worded as the import of an empty file', async () => {
    t = await startServer(database);
    const res = await t.admin.inject({
      method: 'POST',
      url: '/api/uploads',
      ...multipart('leer.csv', Buffer.alloc(0)),
    });
    expect(res.statusCode).toBe(422);
    const read = await readRecords(Buffer.alloc(0), {
      fileType: standardFileType('employee'),
      name: 'leer.csv',
    }).then(
      () => undefined,
      (error: { message: string; details: unknown }) => error,
    );
    expect(read?.details).toEqual({ reason: 'empty_file', file: 'leer.csv' });
    expect(res.json()).toEqual({
      error: { code: 'file_unreadable', message: read?.message, details: read?.details },
    });
  });

  it('a JSON body over the body limit is 413 too_large, naming the limit in MB', async () => {
    t = await startServer(database, { errorLog: (text) => logged.push(text) });
    const res = await t.admin.inject({
      method: 'POST',
      url: '/api/customers',
      payload: { values: { number: 'K9', name: 'Groß GmbH', address: 'x'.repeat(2 * 1024 * 1024) } },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      error: {
        code: 'too_large',
        message: 'The request body is larger than the server accepts (2 MB).',
        details: { limitBytes: 2 * 1024 * 1024 },
      },
    });
    expect(logged).toEqual([]);
  });

  it('an upload over the upload limit is 413 too_large, naming the file and the limit in MB', async () => {
    t = await startServer(database, { uploadLimit: 1024 * 1024 });
    const res = await t.admin.inject({
      method: 'POST',
      url: '/api/uploads',
      ...multipart('gross.csv', Buffer.alloc(1024 * 1024 + 10, 'a')),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      error: {
        code: 'too_large',
        message: 'The file "gross.csv" is larger than the upload limit of 1 MB.',
        details: { file: 'gross.csv', limitBytes: 1024 * 1024 },
      },
    });
  });
});

/**
 * Long work as jobs: an import's progress arrives as server-sent events over real HTTP while it runs,
 * the overview answers meanwhile, and the job finishes even when the browser has gone away.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeRecords } from '../../src/formats/write.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import type { TestServer } from './support.js';
import { PASSWORD, startServer } from './support.js';

const ROWS = 6000;

function bigCsv(): string {
  const lines = ['Employee no.,Employee name,City,Active'];
  for (let i = 0; i < ROWS; i++) lines.push(`${5000 + i},Person ${i},Stadt ${i % 50},yes`);
  return `${lines.join('\r\n')}\r\n`;
}

/** A workbook of `rows` employees, as a payroll system exports it. */
async function bigXlsx(rows: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'abgleich-jobs-'));
  try {
    const path = join(dir, 'gross.xlsx');
    const records = Array.from({ length: rows }, (_, i) => ({
      number: String(5000 + i),
      name: `Person ${i}`,
      city: `Stadt ${i % 50}`,
      active: 'true',
    }));
    await writeRecords(path, records, {
      fileType: { name: 'standard', entity: 'employee' },
      language: 'en',
      fields: ['number', 'name', 'city', 'active'],
    });
    return await readFile(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Event {
  event: string;
  state: string;
  done: number;
  fraction: number | null;
}

/** Read a server-sent event stream to its end, keeping each event's name, state and progress. */
async function readEvents(res: Response): Promise<Event[]> {
  const out: Event[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!block.startsWith('event:')) continue;
      const [ev, data] = block.split('\n');
      const job = JSON.parse(data!.slice(6)) as {
        state: string;
        progress: { done: number; fraction: number | null };
      };
      out.push({
        event: ev!.slice(7),
        state: job.state,
        done: job.progress.done,
        fraction: job.progress.fraction,
      });
    }
  }
  return out;
}

describe.each(DATABASES)('jobs on $name', (target) => {
  let database: TestDatabase;
  let t: TestServer;
  let base: string;
  let headers: Record<string, string>;
  beforeEach(async () => {
    database = await target.connect();
    t = await startServer(database);
    base = (await t.server.listen({ port: 0, host: '127.0.0.1' })).replace(/\/$/, '');
    const login = await fetch(`${base}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: PASSWORD }),
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    headers = { cookie, 'x-csrf-token': csrfToken };
  });
  afterEach(async () => {
    await t?.close();
    await database?.cleanup();
  });

  async function startImport(file: Blob = new Blob([bigCsv()], { type: 'text/csv' }), name = 'gross.csv') {
    const form = new FormData();
    form.set('file', file, name);
    const up = await fetch(`${base}/api/uploads`, { method: 'POST', headers, body: form });
    expect(up.status).toBe(201);
    const { upload } = (await up.json()) as { upload: { id: string } };
    const run = await fetch(`${base}/api/integrations/lohn/imports`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ upload: upload.id, confirmDeletes: true }),
    });
    expect(run.status).toBe(202);
    return ((await run.json()) as { job: { id: string } }).job.id;
  }

  it('an import reports progress as server-sent events while it runs, and the overview answers meanwhile', async () => {
    const id = await startImport();
    const events = fetch(`${base}/api/jobs/${id}/events`, { headers }).then((res) => {
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      return readEvents(res);
    });
    const overview = await fetch(`${base}/api/integrations/lohn/overview`, { headers });
    expect(overview.status).toBe(200);
    const got = await events;
    expect(got[0]).toMatchObject({ event: 'progress', state: 'running' });
    expect(got.at(-1)).toMatchObject({ event: 'done', state: 'done', fraction: 1 });
    // Read to its end, the file is not yet imported: a running job never stands at 100 %.
    for (const e of got.filter((e) => e.state === 'running')) expect(e.fraction ?? 0).toBeLessThan(1);
    const after = (await (await fetch(`${base}/api/integrations/lohn/overview`, { headers })).json()) as {
      counts: { new: number };
    };
    expect(after.counts.new).toBeGreaterThanOrEqual(ROWS);
  });

  it('an XLSX import says no fraction while it runs: its bytes read are no measure of its rows', async () => {
    const rows = 20_000; // the run reports its progress every 20,000 rows
    const xlsx = await bigXlsx(rows);
    const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const id = await startImport(new Blob([xlsx], { type }), 'gross.xlsx');
    const got = await readEvents(await fetch(`${base}/api/jobs/${id}/events`, { headers }));
    const running = got.filter((e) => e.state === 'running');
    expect(running.at(-1)).toMatchObject({ done: rows, fraction: null });
    expect(running.every((e) => e.fraction === null)).toBe(true);
    expect(got.at(-1)).toMatchObject({ event: 'done', state: 'done', done: rows, fraction: 1 });
  });

  it('a job keeps running when its event stream is closed', async () => {
    const id = await startImport();
    const controller = new AbortController();
    const res = await fetch(`${base}/api/jobs/${id}/events`, { headers, signal: controller.signal });
    expect(res.status).toBe(200);
    controller.abort();
    await t.server.deps.jobs.settle();
    const job = (await (await fetch(`${base}/api/jobs/${id}`, { headers })).json()) as {
      job: { state: string; result: { rows: { read: number } } };
    };
    expect(job.job).toMatchObject({ state: 'done', result: { rows: { read: ROWS } } });
  });
});

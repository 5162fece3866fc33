/**
 * Every endpoint through `inject()`, on SQLite and PostgreSQL, as the web app uses them: a walk through
 * setup, the registry, integrations, the overview and its actions, undo, history, an import with its
 * dry run, job events and report, the export, users and tokens. The last test checks that every
 * contract of `ENDPOINTS` answered with success at least once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse, InjectOptions } from 'fastify';
import { ENDPOINTS } from '../../src/api/index.js';
import { DATABASES } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { countsAgree, memorySnapshot } from '../support/app.js';
import { runSnapshot } from '../../src/sync/run.js';
import type { Caller, TestServer } from './support.js';
import {
  countRows,
  followJob,
  itemId,
  PASSWORD,
  SEED_FIELDS,
  SEED_FILE,
  signIn,
  startServer,
} from './support.js';
import { secretBox } from '../../src/sync/secrets.js';
import { addIntegration } from '../../src/sync/integrations.js';
import { copyTemplate, KEY, trytonEnv } from '../tryton/tryton.js';

const patterns = ENDPOINTS.map((e) => ({
  id: e.id,
  method: e.method,
  re: new RegExp(`^${e.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`),
}));

function multipart(
  name: string,
  content: string | Buffer,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = 'abgleichtestboundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(DATABASES)('every endpoint on $name', (target) => {
  let database: TestDatabase;
  let t: TestServer;
  const answered = new Set<string>();
  let admin: Caller;
  let supervisor: Caller;

  /** Records which endpoint answered with success. */
  const recording = (caller: Caller): Caller => ({
    inject: async (o: InjectOptions) => {
      const res: LightMyRequestResponse = await caller.inject(o);
      const path = String(o.url).split('?')[0]!;
      const hit = patterns.find((p) => p.method === o.method && p.re.test(path));
      if (hit && res.statusCode < 300) answered.add(hit.id);
      return res;
    },
  });

  beforeAll(async () => {
    database = await target.connect();
    t = await startServer(database, { secrets: () => secretBox(KEY) });
    admin = recording(t.admin);
    supervisor = recording(t.supervisor);
  });
  afterAll(async () => {
    await t?.close();
    await database?.cleanup();
  });

  it('first-run setup creates the first admin once, then refuses', async () => {
    const fresh = await target.connect();
    const empty = await startServer(fresh, { seed: false });
    try {
      const anon = recording(empty.anonymous);
      const session = await anon.inject({ method: 'GET', url: '/api/session' });
      expect(session.json()).toEqual({
        user: null,
        csrfToken: '',
        setupRequired: true,
        demoOffered: false, // this server cannot load the demo
        workspace: null,
      });
      const made = await anon.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { login: 'Chefin', name: 'Die Chefin', password: PASSWORD, language: 'de' },
      });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json()).toMatchObject({ user: { login: 'chefin', role: 'admin', language: 'de' } });
      expect(made.cookies.some((c) => c.name === 'abgleich_session')).toBe(true);
      const again = await anon.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { login: 'other', name: 'Other', password: PASSWORD },
      });
      expect(again.statusCode).toBe(409);
      expect(await countRows(empty.db, 'app_user')).toBe(1);
    } finally {
      await empty.close();
      await fresh.cleanup();
    }
  });

  it('setup offers the demo data only while the workspace has no integration', async () => {
    const fresh = await target.connect();
    const empty = await startServer(fresh, { seed: false, loadDemo: () => Promise.resolve() });
    try {
      const offered = async () =>
        (await empty.anonymous.inject({ method: 'GET', url: '/api/session' })).json().demoOffered;
      expect(await offered()).toBe(true);
      await empty.app.unit('setup', null, (u) =>
        addIntegration(u.db, empty.app.workspace, u.now, {
          name: 'lohn',
          entity: 'employee',
          source: 'file',
        }),
      );
      expect(await offered()).toBe(false);
    } finally {
      await empty.close();
      await fresh.cleanup();
    }
  });

  it('the session names the user and the CSRF token', async () => {
    const res = await admin.inject({ method: 'GET', url: '/api/session' });
    expect(res.json()).toMatchObject({
      user: { login: 'admin', role: 'admin' },
      csrfToken: expect.stringMatching(/.{20,}/),
      setupRequired: false,
      workspace: 'test',
    });
    const me = await supervisor.inject({ method: 'PATCH', url: '/api/me', payload: { language: 'da' } });
    expect(me.json()).toMatchObject({ user: { login: 'sup', language: 'da' } });
    const wrong = await supervisor.inject({
      method: 'PATCH',
      url: '/api/me',
      payload: { password: { current: 'nope', new: 'a new password 1' } },
    });
    expect(wrong.statusCode).toBe(400);
  });

  it('the registry: list, search, show masked and revealed, create, edit, archive, restore, timeline', async () => {
    const list = await supervisor.inject({ method: 'GET', url: '/api/employees?search=anna' });
    expect(list.json()).toMatchObject({ total: 1, records: [{ number: '1001', name: 'Anna Müller' }] });
    const shown = await supervisor.inject({ method: 'GET', url: '/api/employees/1001' });
    const record = shown.json().record as {
      values: Record<string, string>;
      masked: string[];
      version: number;
    };
    expect(record.values.ssn).toMatch(/^•+89$/);
    expect(record.masked).toEqual(['ssn']);
    const revealed = await supervisor.inject({ method: 'GET', url: '/api/employees/1001?reveal=true' });
    expect(revealed.json()).toMatchObject({ record: { values: { ssn: '123-45-6789' }, masked: [] } });

    const made = await admin.inject({
      method: 'POST',
      url: '/api/employees',
      payload: { values: { number: '1020', name: 'Frida Frost', city: 'Lübeck' } },
    });
    expect(made.statusCode, made.body).toBe(201);
    const dup = await admin.inject({
      method: 'POST',
      url: '/api/employees',
      payload: { values: { number: '01020', name: 'Zweite' } },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({
      error: { code: 'duplicate_number', details: { field: 'number', name: 'Frida Frost' } },
    });

    const edited = await supervisor.inject({
      method: 'PATCH',
      url: '/api/employees/1020',
      payload: { values: { city: 'Rostock' }, expectVersion: 1 },
    });
    expect(edited.json()).toMatchObject({ record: { values: { city: 'Rostock' }, version: 2 } });
    const stale = await supervisor.inject({
      method: 'PATCH',
      url: '/api/employees/1020',
      payload: { values: { city: 'Wismar' }, expectVersion: 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      error: { code: 'stale_version', details: { number: '1020', version: expect.any(Number) } },
    });
    // A version from the future did not "change since": the message says which version the record is at.
    const ahead = await supervisor.inject({
      method: 'PATCH',
      url: '/api/employees/1020',
      payload: { values: { city: 'Wismar' }, expectVersion: 7 },
    });
    expect(ahead.json().error.message).toBe('The employee 1020 is at version 2, not 7; nothing was changed.');
    const unknown = await supervisor.inject({
      method: 'PATCH',
      url: '/api/employees/1020',
      payload: { values: { wohnort: 'x' } },
    });
    expect(unknown.json().error.message).toBe('"wohnort" is no field of employees');

    const archived = await admin.inject({ method: 'POST', url: '/api/employees/1020/archive' });
    expect(archived.json()).toMatchObject({ record: { archived: true } });
    const archive = await admin.inject({ method: 'GET', url: '/api/employees?archived=true' });
    expect(archive.json().records.map((r: { number: string }) => r.number)).toEqual(['1020']);
    const restored = await admin.inject({ method: 'POST', url: '/api/employees/1020/restore' });
    expect(restored.json()).toMatchObject({ record: { archived: false } });

    const timeline = await supervisor.inject({ method: 'GET', url: '/api/employees/1020/timeline' });
    const entries = timeline.json().entries as { target: string; side: string }[];
    expect(entries.map((e) => e.target)).toEqual(
      expect.arrayContaining(['local-created', 'local', 'local-archived']),
    );
    expect(entries.every((e) => ['local', 'remote', 'link'].includes(e.side))).toBe(true);

    const customer = await supervisor.inject({
      method: 'POST',
      url: '/api/customers',
      payload: { values: { number: 'K9', name: 'Café Glück' }, sync: 'later' },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const customerEdit = await supervisor.inject({
      method: 'PATCH',
      url: '/api/customers/K9',
      payload: { values: { city: 'Aarhus', country: 'DK' } },
    });
    expect(customerEdit.json()).toMatchObject({ record: { values: { city: 'Aarhus', country: 'DK' } } });
    for (const verb of ['archive', 'restore']) {
      const res = await admin.inject({ method: 'POST', url: `/api/customers/K9/${verb}` });
      expect(res.statusCode).toBe(200);
    }
    expect((await supervisor.inject({ method: 'GET', url: '/api/customers/K9' })).statusCode).toBe(200);
    expect((await supervisor.inject({ method: 'GET', url: '/api/customers/K9/timeline' })).statusCode).toBe(
      200,
    );
    expect((await supervisor.inject({ method: 'GET', url: '/api/customers' })).json().total).toBe(2);
    expect((await supervisor.inject({ method: 'GET', url: '/api/customer-sync-targets' })).json()).toEqual({
      integrations: [],
    });
  });

  it('integrations: create, list, show, settings and rules, remove', async () => {
    const made = await admin.inject({
      method: 'POST',
      url: '/api/integrations',
      payload: { name: 'erp', entity: 'customer', settings: { syncContactPerson: true } },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({
      integration: { name: 'erp', writable: false, settings: { syncContactPerson: true } },
    });
    const set = await admin.inject({
      method: 'PATCH',
      url: '/api/integrations/erp',
      payload: {
        rules: { email: 'prefer-remote' },
        fileType: {
          name: 'ERP',
          entity: 'customer',
          columns: { Kundennr: 'number', Firma: 'name' },
          delimiter: ';',
        },
      },
    });
    expect(set.json()).toMatchObject({
      integration: { settings: { rules: { email: 'prefer-remote' }, fileType: { name: 'ERP' } } },
    });
    const cleared = await admin.inject({
      method: 'PATCH',
      url: '/api/integrations/erp',
      payload: { rules: { email: 'two-way' }, fileType: null },
    });
    expect(cleared.json()).toMatchObject({ integration: { settings: { rules: {}, fileType: null } } });
    const list = await supervisor.inject({ method: 'GET', url: '/api/integrations' });
    expect(
      list
        .json()
        .integrations.map((i: { name: string }) => i.name)
        .sort(),
    ).toEqual(['erp', 'lohn']);
    const show = await supervisor.inject({ method: 'GET', url: '/api/integrations/erp' });
    expect(show.json()).toMatchObject({ integration: { entity: 'customer' } });
    expect((await admin.inject({ method: 'DELETE', url: '/api/integrations/erp' })).statusCode).toBe(204);
    expect((await admin.inject({ method: 'GET', url: '/api/integrations/erp' })).statusCode).toBe(404);
  });

  it('the overview: counts, pages with cursors and sorting, one item side by side, candidates', async () => {
    const counts = await supervisor.inject({ method: 'GET', url: '/api/integrations/lohn/overview' });
    expect(counts.json()).toMatchObject({
      counts: { conflict: 1, new: 3, deleted: 0, disabled: 0, synced: 1, inactive: 2 },
    });
    const first = await supervisor.inject({
      method: 'GET',
      url: '/api/integrations/lohn/items?category=new&limit=2',
    });
    const page1 = first.json() as { items: { number: string }[]; total: number; nextCursor: string | null };
    expect(page1.total).toBe(3);
    expect(page1.items.map((i) => i.number)).toEqual(['1003', '1004']);
    const second = await supervisor.inject({
      method: 'GET',
      url: `/api/integrations/lohn/items?category=new&limit=2&cursor=${page1.nextCursor}`,
    });
    expect(second.json()).toMatchObject({ items: [{ number: '1020' }], nextCursor: null });
    // A cursor of the list by number is refused by the list by name: it would start at a wrong place.
    const otherSort = await supervisor.inject({
      method: 'GET',
      url: `/api/integrations/lohn/items?category=new&limit=2&sort=name&cursor=${page1.nextCursor}`,
    });
    expect(otherSort.statusCode).toBe(400);
    expect(otherSort.json().error.message).toContain('sorted by name (asc)');
    const byName = await supervisor.inject({
      method: 'GET',
      url: '/api/integrations/lohn/items?category=new&sort=name&order=desc',
    });
    expect(byName.json().items.map((i: { name: string }) => i.name)).toEqual([
      'Frida Frost',
      'Dora Dahl',
      'Cem Çelik',
    ]);

    const conflict = await itemId(t, '1002');
    const detail = await supervisor.inject({
      method: 'GET',
      url: `/api/integrations/lohn/items/${conflict}`,
    });
    const item = detail.json().item as {
      fields: { field: string; local: string; remote: string; conflict: boolean; differs: boolean }[];
    };
    expect(item.fields.find((f) => f.field === 'city')).toMatchObject({
      local: 'Hamburg',
      remote: 'Bremen',
      conflict: true,
      differs: true,
    });
    // Written differently, compared equal: not marked as a difference.
    expect(item.fields.find((f) => f.field === 'name')).toMatchObject({
      local: 'Ben Braun',
      remote: 'Braun, Ben',
      conflict: false,
      differs: false,
    });
    const cand = await supervisor.inject({
      method: 'GET',
      url: `/api/integrations/lohn/items/${await itemId(t, '1003')}/candidates`,
    });
    expect(cand.statusCode).toBe(200);
    expect(cand.json()).toHaveProperty('candidates');
  });

  it('actions with a preview count, stale versions refused, and undo', async () => {
    const preview = await supervisor.inject({
      method: 'POST',
      url: '/api/integrations/lohn/actions/preview',
      payload: { action: 'partner', target: { category: 'new', side: 'remote' } },
    });
    expect(preview.json()).toEqual({ total: 1, count: 1 });

    const conflict = await itemId(t, '1002');
    const stale = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/actions/resolve',
      payload: { target: { ids: [conflict], versions: { [conflict]: 999 } }, take: 'remote' },
    });
    expect(stale.statusCode).toBe(409);
    const resolved = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/actions/resolve',
      payload: { target: { ids: [conflict] }, fields: { city: { value: 'Bremen' } } },
    });
    expect(resolved.json()).toMatchObject({ count: 1, done: [{ category: 'synced' }] });
    expect(JSON.stringify(resolved.json())).not.toContain('remotePatch');

    const undone = await admin.inject({
      method: 'POST',
      url: `/api/changes/${resolved.json().changeSet}/undo`,
    });
    expect(undone.json()).toMatchObject({ undone: resolved.json().changeSet, restored: expect.any(Number) });
    const back = await supervisor.inject({ method: 'GET', url: `/api/integrations/lohn/items/${conflict}` });
    expect(back.json()).toMatchObject({ item: { category: 'conflict' } });

    const remoteNew = await itemId(t, '1004');
    const partner = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/actions/partner',
      payload: { target: { ids: [remoteNew] } },
    });
    expect(partner.json()).toMatchObject({ count: 1, done: [{ category: 'synced' }] });

    const synced = await itemId(t, '1001');
    for (const action of ['disable', 'enable', 'unlink']) {
      const res = await admin.inject({
        method: 'POST',
        url: `/api/integrations/lohn/actions/${action}`,
        payload: { target: { ids: [synced] } },
      });
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    }
    // After unlinking, 1001 is a new local item and a new remote item: link them again.
    const list = await supervisor.inject({
      method: 'GET',
      url: '/api/integrations/lohn/items?category=new&search=1001',
    });
    const [a, b] = list.json().items as { id: number; side: string }[];
    const linked = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/actions/link',
      payload: { item: a!.id, other: b!.id },
    });
    expect(linked.json()).toMatchObject({ count: 1 });

    const inactive = await itemId(t, '1005');
    const wrong = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/actions/delete',
      payload: { target: { ids: [inactive] } },
    });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json()).toMatchObject({ error: { code: 'wrong_category' } });
    const reactivate = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/actions/reactivate',
      payload: { target: { ids: [await itemId(t, '1006')] } },
    });
    expect(reactivate.json()).toMatchObject({ count: 1, done: [{ category: 'new' }] });
    const restore = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/actions/restore',
      payload: { target: { category: 'deleted' } },
    });
    expect(restore.json()).toMatchObject({ count: 0 });
    const del = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/actions/delete',
      payload: { target: { category: 'deleted' } },
    });
    expect(del.json()).toMatchObject({ count: 0 });
    expect(await countsAgree(t.app)).toBe(true);
  });

  it('history: the audit log by item, change and user; the change sets', async () => {
    const conflict = await itemId(t, '1002');
    const byItem = await supervisor.inject({ method: 'GET', url: `/api/audit?item=${conflict}` });
    expect(byItem.json().entries.length).toBeGreaterThan(0);
    const changes = await supervisor.inject({ method: 'GET', url: '/api/changes?integration=lohn' });
    const list = changes.json().changes as { id: number; kind: string; actor: string; undone: boolean }[];
    expect(list.some((c) => c.kind === 'resolve' && c.undone)).toBe(true);
    const byUser = await supervisor.inject({ method: 'GET', url: '/api/audit?actor=user:admin&limit=5' });
    const entries = byUser.json().entries as { actor: string; changeSet: number; id: number }[];
    expect(entries.length).toBe(5);
    expect(entries.every((e) => e.actor === 'user:admin')).toBe(true);
    const older = await supervisor.inject({
      method: 'GET',
      url: `/api/audit?actor=user:admin&before=${entries[4]!.id}`,
    });
    expect(older.json().entries.every((e: { id: number }) => e.id < entries[4]!.id)).toBe(true);
    const byChange = await supervisor.inject({
      method: 'GET',
      url: `/api/audit?change=${entries[0]!.changeSet}`,
    });
    expect(
      byChange.json().entries.every((e: { changeSet: number }) => e.changeSet === entries[0]!.changeSet),
    ).toBe(true);
    // The SSN of 1001 is masked in the log unless an admin asks.
    const created = await supervisor.inject({ method: 'GET', url: '/api/audit?limit=1000' });
    expect(created.body).not.toContain('123-45-6789');
    // Every entry about a record names it (number and name), registry edits included.
    const all = created.json().entries as { localId: number | null; record: { number: string } | null }[];
    expect(all.filter((e) => e.localId !== null).every((e) => e.record !== null)).toBe(true);
    expect(all.map((e) => e.record?.number)).toContain('1020');
  });

  it('reads the headers of a file below its title lines, for mapping a custom layout', async () => {
    const csv = 'Lohnexport;;\r\nStand: 01.11.2026;;\r\nPNR;Nachname;Wohnort\r\n7;Müller;Köln\r\n';
    const up = await admin.inject({ method: 'POST', url: '/api/uploads', ...multipart('export.csv', csv) });
    const { id } = up.json().upload as { id: string };
    const headers = await admin.inject({ method: 'GET', url: `/api/uploads/${id}/headers?entity=employee` });
    expect(headers.json()).toMatchObject({
      headers: [
        { header: 'PNR', field: 'number' },
        { header: 'Nachname', field: null },
        { header: 'Wohnort', field: 'city' },
      ],
      sample: [['7', 'Müller', 'Köln']],
    });
  });

  it('an import: upload, headers, dry run, apply as a job with events, then the report of a bad file', async () => {
    const csv =
      'Personalnummer;Name;Ort;Aktiv\r\n1001;Anna Müller;Berlin;ja\r\n1002;Ben Braun;Bremen;ja\r\n1030;Gus Grün;Mainz;ja\r\n';
    const up = await admin.inject({ method: 'POST', url: '/api/uploads', ...multipart('lohn.csv', csv) });
    expect(up.statusCode, up.body).toBe(201);
    const upload = up.json().upload as { id: string; format: string };
    expect(upload.format).toBe('csv');
    const headers = await admin.inject({
      method: 'GET',
      url: `/api/uploads/${upload.id}/headers?entity=employee`,
    });
    expect(headers.json()).toMatchObject({
      format: 'csv',
      headers: [
        { header: 'Personalnummer', field: 'number' },
        { header: 'Name', field: 'name' },
        { header: 'Ort', field: 'city' },
        { header: 'Aktiv', field: 'active' },
      ],
      sample: [['1001', 'Anna Müller', 'Berlin', 'ja'], expect.any(Array), expect.any(Array)],
    });

    const records = await countRows(t.db, 'local_record');
    const dry = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/imports',
      payload: { upload: upload.id, dryRun: true, confirmDeletes: true },
    });
    expect(dry.statusCode, dry.body).toBe(202);
    const dryEvents = await followJob(t, admin, dry.json().job.id);
    const dryEnd = dryEvents.at(-1)!;
    expect(dryEnd.event).toBe('done');
    expect(dryEnd.data.result).toMatchObject({ dryRun: true, rows: { read: 3 }, changes: { new: 1 } });
    expect(await countRows(t.db, 'local_record')).toBe(records);

    const run = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/imports',
      payload: { upload: upload.id, confirmDeletes: true },
    });
    const events = await followJob(t, admin, run.json().job.id);
    expect(events.at(-1)).toMatchObject({
      event: 'done',
      data: { state: 'done', result: { dryRun: false } },
    });
    const job = await supervisor.inject({ method: 'GET', url: `/api/jobs/${run.json().job.id}` });
    expect(job.json()).toMatchObject({ job: { kind: 'import', state: 'done' } });
    expect(
      (await supervisor.inject({ method: 'GET', url: '/api/jobs' })).json().jobs.length,
    ).toBeGreaterThanOrEqual(2);

    const bad = 'Personalnummer;Name;E-Mail\r\n2001;Hans;not-a-mail\r\n2002;;x@y.de\r\n';
    const badUp = await admin.inject({ method: 'POST', url: '/api/uploads', ...multipart('bad.csv', bad) });
    const badRun = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/imports',
      payload: { upload: badUp.json().upload.id },
    });
    const badEvents = await followJob(t, admin, badRun.json().job.id);
    expect(badEvents.at(-1)).toMatchObject({ event: 'failed', data: { error: { code: 'file_invalid' } } });
    const report = await supervisor.inject({
      method: 'GET',
      url: `/api/jobs/${badRun.json().job.id}/report.csv`,
    });
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-disposition']).toContain('attachment');
    const lines = report.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('row,column,field,value,code,reason');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['2', '3']);
  });

  it('create all partners runs as a job; the export file downloads', async () => {
    const job = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/actions/partner-all',
      payload: { side: 'local' },
    });
    expect(job.statusCode, job.body).toBe(202);
    const events = await followJob(t, admin, job.json().job.id);
    expect(events.at(-1)).toMatchObject({
      event: 'done',
      data: { result: { exported: expect.any(Number) } },
    });
    const csv = await admin.inject({ method: 'GET', url: '/api/integrations/lohn/export?lang=de' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toContain('lohn-export.csv');
    expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^P\.-Nr\.;Name;/);
    const xlsx = await admin.inject({
      method: 'GET',
      url: '/api/integrations/lohn/export?format=xlsx&lang=en',
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('users and tokens', async () => {
    const made = await admin.inject({
      method: 'POST',
      url: '/api/users',
      payload: { login: 'kim', name: 'Kim', role: 'supervisor', password: PASSWORD },
    });
    expect(made.statusCode, made.body).toBe(201);
    const changed = await admin.inject({
      method: 'PATCH',
      url: '/api/users/kim',
      payload: { role: 'admin' },
    });
    expect(changed.json()).toMatchObject({ user: { role: 'admin' } });
    const users = await admin.inject({ method: 'GET', url: '/api/users' });
    expect(users.json().users.map((u: { login: string }) => u.login)).toEqual(['admin', 'kim', 'sup']);
    const login = await recording(t.anonymous).inject({
      method: 'POST',
      url: '/api/login',
      payload: { login: 'kim', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const kim = await signIn(t.server, 'kim');
    expect((await kim.inject({ method: 'GET', url: '/api/users' })).statusCode).toBe(200);
    expect((await admin.inject({ method: 'DELETE', url: '/api/users/kim' })).statusCode).toBe(204);
    expect((await kim.inject({ method: 'GET', url: '/api/users' })).statusCode).toBe(401);
    const lastAdmin = await admin.inject({ method: 'DELETE', url: '/api/users/admin' });
    expect(lastAdmin.statusCode).toBe(409);

    const token = await admin.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'nightly' } });
    expect(token.json()).toMatchObject({ name: 'nightly', token: expect.stringMatching(/^abg_/) });
    expect((await admin.inject({ method: 'GET', url: '/api/tokens' })).json().tokens).toHaveLength(1);
    expect((await admin.inject({ method: 'DELETE', url: `/api/tokens/${token.json().id}` })).statusCode).toBe(
      204,
    );
  });

  it('a new password of your own keeps this browser signed in and ends your other sessions; a new name shows at once', async () => {
    await admin.inject({
      method: 'POST',
      url: '/api/users',
      payload: { login: 'pat', name: 'Pat', role: 'supervisor', password: PASSWORD },
    });
    const here = await signIn(t.server, 'pat');
    const elsewhere = await signIn(t.server, 'pat');
    const changed = await here.inject({
      method: 'PATCH',
      url: '/api/me',
      payload: { password: { current: PASSWORD, new: 'a new password 1' } },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const cookie = changed.cookies.find((c) => c.name === 'abgleich_session');
    expect(cookie?.value).toBeTruthy();
    // The other session and this browser's old one are gone.
    expect((await elsewhere.inject({ method: 'GET', url: '/api/tokens' })).statusCode).toBe(401);
    expect((await here.inject({ method: 'GET', url: '/api/tokens' })).statusCode).toBe(401);
    // The new session works, with the CSRF token the session answer names.
    const headers = { cookie: `abgleich_session=${cookie!.value}` };
    const session = await t.server.inject({ method: 'GET', url: '/api/session', headers });
    expect(session.json()).toMatchObject({ user: { login: 'pat' } });
    const named = await t.server.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: { ...headers, 'x-csrf-token': session.json().csrfToken },
      payload: { name: 'Pat Neu' },
    });
    expect(named.json()).toMatchObject({ user: { name: 'Pat Neu' } });
    // At once, not after the session cache's few seconds.
    const renamed = await t.server.inject({ method: 'GET', url: '/api/session', headers });
    expect(renamed.json()).toMatchObject({ user: { name: 'Pat Neu' } });
    await admin.inject({ method: 'DELETE', url: '/api/users/pat' });
  });

  it('restore means the archived record, also when a new record holds its number now', async () => {
    await admin.inject({ method: 'POST', url: '/api/employees/1020/archive' });
    await admin.inject({
      method: 'POST',
      url: '/api/employees',
      payload: { values: { number: '1020', name: 'Jörg Bäcker' } },
    });
    const taken = await admin.inject({ method: 'POST', url: '/api/employees/1020/restore' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ error: { code: 'duplicate_number' } });
    expect(taken.json().error.message).toContain('Jörg Bäcker');
    // The archive's timeline is the archived record's; without the flag, the live one's.
    const timeline = async (query: string) =>
      (await admin.inject({ method: 'GET', url: `/api/employees/1020/timeline${query}` })).json().entries as {
        record: { name: string } | null;
      }[];
    expect(new Set((await timeline('?archived=true')).map((e) => e.record?.name))).toEqual(
      new Set(['Frida Frost']),
    );
    expect((await timeline('')).map((e) => e.record?.name)).toContain('Jörg Bäcker');
    await admin.inject({ method: 'POST', url: '/api/employees/1020/archive' }); // Jörg's, the live one
    const restored = await admin.inject({ method: 'POST', url: '/api/employees/1020/restore' });
    expect(restored.json()).toMatchObject({ record: { archived: false, values: { name: 'Frida Frost' } } });
  });

  it('a reactivation that links the record by number names the item it went into', async () => {
    await admin.inject({
      method: 'POST',
      url: '/api/employees',
      payload: { values: { number: '1030', name: 'Ida Iversen', active: 'no' } },
    });
    await runSnapshot(
      t.app,
      'lohn',
      memorySnapshot(
        'employee',
        [...SEED_FIELDS],
        [...SEED_FILE, { number: '1030', name: 'Ida Iversen', city: 'Jena', active: 'yes' }],
      ),
    );
    const items = (
      await admin.inject({ method: 'GET', url: '/api/integrations/lohn/items?search=1030' })
    ).json().items as { id: number; category: string }[];
    const local = items.find((i) => i.category === 'inactive')!;
    const remote = items.find((i) => i.category === 'new')!;
    const reactivated = await admin.inject({
      method: 'POST',
      url: '/api/integrations/lohn/actions/reactivate',
      payload: { target: { ids: [local.id] } },
    });
    expect(reactivated.json()).toMatchObject({
      done: [{ itemId: local.id, removed: true, linkedInto: remote.id, category: 'synced' }],
    });
  });

  it('the OpenAPI document lists every endpoint', async () => {
    const doc = await t.anonymous.inject({ method: 'GET', url: '/api/docs/json' });
    const ops = Object.values(
      doc.json().paths as Record<string, Record<string, { operationId: string }>>,
    ).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(ops.sort()).toEqual(ENDPOINTS.map((e) => e.id).sort());
    const page = await t.anonymous.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBeLessThan(400);
  });

  it('signing out', async () => {
    const res = await supervisor.inject({ method: 'POST', url: '/api/logout' });
    expect(res.statusCode).toBe(204);
  });

  it('adds a live Tryton integration, syncs it now and lists its last round', async () => {
    const tryton = copyTemplate();
    try {
      await tryton.admin.createParty('K500', 'Glas & Rahmen GmbH', 'Lübeck');
      const connection = { url: tryton.url, database: tryton.name, user: 'admin' };
      const created = await admin.inject({
        method: 'POST',
        url: '/api/integrations',
        payload: {
          name: 'erp',
          entity: 'customer',
          source: 'tryton',
          settings: { connection: { ...connection, password: trytonEnv().password } },
        },
      });
      expect(created.statusCode).toBe(201);
      const check = (name: string) =>
        admin.inject({ method: 'POST', url: `/api/integrations/${name}/check` });
      expect((await check('erp')).json()).toEqual({ ok: true, error: null });
      // A wrong password is the check's answer, not a failed request; nothing is written.
      await admin.inject({
        method: 'PATCH',
        url: '/api/integrations/erp',
        payload: { connection: { ...connection, password: 'not the password' } },
      });
      const wrong = await check('erp');
      expect(wrong.statusCode).toBe(200);
      expect(wrong.json()).toMatchObject({ ok: false, error: { code: 'remote_login_failed' } });
      await admin.inject({
        method: 'PATCH',
        url: '/api/integrations/erp',
        payload: { connection: { ...connection, password: trytonEnv().password } },
      });
      expect((await check('lohn')).json()).toMatchObject({ error: { code: 'usage' } });
      const started = await admin.inject({ method: 'POST', url: '/api/integrations/erp/sync', payload: {} });
      expect(started.statusCode).toBe(202);
      const events = await followJob(t, admin, started.json().job.id);
      expect(events.at(-1)?.event).toBe('done');
      const runs = await admin.inject({ method: 'GET', url: '/api/sync-runs' });
      expect(runs.json().runs).toEqual([expect.objectContaining({ integration: 'erp', outcome: 'ok' })]);
      expect((await admin.inject({ method: 'DELETE', url: '/api/integrations/erp' })).statusCode).toBe(204);
    } finally {
      tryton.drop();
    }
  });

  it('every endpoint answered with success at least once', () => {
    const missing = ENDPOINTS.map((e) => e.id).filter((id) => !answered.has(id));
    expect(missing).toEqual([]);
  });
});

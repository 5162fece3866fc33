/** Uploads, header preview, imports as jobs, job status and events, the validation report, the export file. */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from '../../api/index.js';
import { files as api } from '../../api/index.js';
import { fail } from '../../core/errors.js';
import type { RowProblem } from '../../core/port.js';
import { problemReportCsv } from '../../formats/problem-report.js';
import { exportFile } from '../../sync/export.js';
import { readFileHeaders } from '../../sync/file-headers.js';
import { importFile } from '../../sync/import-file.js';
import { getIntegration } from '../../sync/integrations.js';
import type { Route } from '../context.js';
import { route } from '../context.js';

const safeName = (s: string): string => s.replace(/[^\p{L}\p{N}._-]+/gu, '_');

/** Letters as German and Danish spell them in ASCII (ø has no mark to drop); other letters lose their marks. */
const SPELLED: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  æ: 'ae',
  ø: 'oe',
  å: 'aa',
  Ä: 'Ae',
  Ö: 'Oe',
  Ü: 'Ue',
  Æ: 'Ae',
  Ø: 'Oe',
  Å: 'Aa',
};

/** The file name in ASCII for `filename=` ("løn" → "loen"): what clients without RFC 5987 save it as. */
export const asciiFileName = (name: string): string =>
  name
    .replace(/[äöüßæøåÄÖÜÆØÅ]/g, (c) => SPELLED[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_');

/**
 * `content-disposition` of a download: an ASCII fallback in `filename=` and the name in full as RFC 5987's
 * `filename*=UTF-8''…`. A raw "ø" in `filename=` is not valid in a header; Chromium then drops the name
 * and saves "export.csv".
 */
export function attachment(fileName: string): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${asciiFileName(fileName)}"; filename*=UTF-8''${encoded}`;
}

export const fileRoutes: Route[] = [
  route(api.upload, async ({ req, user, deps }) => {
    if (!req.isMultipart())
      fail('usage', 'Send the file as multipart/form-data with one part named "file".', [
        { path: 'file', message: 'required' },
      ]);
    const part = await req.file();
    if (!part || part.fieldname !== 'file')
      fail('usage', 'Send the file as multipart/form-data with one part named "file".', [
        { path: 'file', message: 'required' },
      ]);
    const upload = await deps.uploads.store(user!.workspace, part.filename || 'upload', part.file);
    return { upload };
  }),

  route(api.uploadHeaders, async ({ params, query, user, deps }) => {
    const { upload, path } = deps.uploads.get(params.id, user!.workspace);
    const h = await readFileHeaders(path, upload.name, query.entity, query.sheet);
    return {
      format: h.format,
      encoding: h.encoding,
      headers: [...h.headers],
      sample: h.sample.map((r) => [...r]),
    };
  }),

  route(api.startImport, async ({ params, body, app, user, deps }) => {
    const a = app();
    const integration = await getIntegration(a.db.kysely, a.workspace, params.name);
    const { upload, path } = deps.uploads.get(body.upload, a.workspace);
    const job = deps.jobs.start('import', a.workspace, integration.name, user!.login, (progress) =>
      importFile(a, integration.name, path, {
        dryRun: body.dryRun,
        skipInvalid: body.skipInvalid,
        confirmDeletes: body.confirmDeletes,
        source: upload.name,
        onProgress: (rows, fraction) => progress(rows, null, fraction ?? null),
        ...(body.sheet ? { sheet: body.sheet } : {}),
      }),
    );
    return { job };
  }),

  route(api.showJob, async ({ params, user, deps }) => {
    const job = deps.jobs.find(params.id, user!.workspace);
    if (!job) fail('not_found', `There is no job ${params.id}.`);
    return { job };
  }),

  route(api.listJobs, async ({ user, deps }) => ({ jobs: deps.jobs.list(user!.workspace) })),

  route(api.jobEvents, async ({ params, user, deps, reply, req }) => {
    const job = deps.jobs.find(params.id, user!.workspace);
    if (!job) fail('not_found', `There is no job ${params.id}.`);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: Job) =>
      raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    if (job.state !== 'running') {
      send(job.state, job);
      raw.end();
      return undefined;
    }
    send('progress', job);
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
    const stop = deps.jobs.follow(job.id, (event, current) => {
      send(event, current);
      if (event !== 'progress') {
        cleanup();
        raw.end();
      }
    });
    const cleanup = () => {
      clearInterval(heartbeat);
      stop();
    };
    req.raw.on('close', cleanup);
    return undefined;
  }),

  route(api.jobReport, async ({ params, user, deps, reply }) => {
    const job = deps.jobs.find(params.id, user!.workspace);
    const problems = deps.jobs.problems(params.id, user!.workspace);
    if (!job || !problems) fail('not_found', `Job ${params.id} has no validation report.`);
    await reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', attachment(`${safeName(job.integration)}-report.csv`))
      .send(problemReportCsv(problems as RowProblem[]));
    return undefined;
  }),

  route(api.exportFile, async ({ params, query, app, reply }) => {
    const a = app();
    const integration = await getIntegration(a.db.kysely, a.workspace, params.name);
    const dir = await mkdtemp(join(tmpdir(), 'abgleich-export-'));
    const file = join(dir, `${safeName(integration.name)}-export.${query.format}`);
    try {
      await exportFile(a, integration.name, file, { language: query.lang, all: query.all === true });
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    const stream = createReadStream(file);
    stream.on('close', () => void rm(dir, { recursive: true, force: true }));
    await reply
      .type(
        query.format === 'xlsx'
          ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
          : 'text/csv; charset=utf-8',
      )
      .header('content-disposition', attachment(`${safeName(integration.name)}-export.${query.format}`))
      .send(stream);
    return undefined;
  }),
];

/**
 * Files and long work: uploading a CSV/XLSX file, reading a sample's headers (to map a custom file
 * type), importing an upload (dry run, then apply) as a job, following jobs (status and server-sent
 * events), the validation report as CSV, and the export file.
 */
import { z } from 'zod';
import { bool, endpoint } from './contract.js';
import { entitySchema, jobSchema, languageSchema, uploadSchema } from './schemas.js';

const tag = 'files';

/** multipart/form-data with one part `file`. */
export const upload = endpoint({
  id: 'uploads.create',
  method: 'POST',
  path: '/api/uploads',
  summary: 'Upload a CSV or XLSX file (multipart field "file") to import or to read its headers',
  access: 'admin',
  tag,
  transport: 'upload',
  response: z.object({ upload: uploadSchema }),
  status: 201,
});

/** The header row of an uploaded sample, each header with the standard field it names (if any). */
export const uploadHeaders = endpoint({
  id: 'uploads.headers',
  method: 'GET',
  path: '/api/uploads/:id/headers',
  summary: "An uploaded file's headers with the standard field each names, to map a custom file type",
  access: 'admin',
  tag,
  params: z.object({ id: z.string().min(1).max(64) }),
  query: z.object({ entity: entitySchema, sheet: z.string().optional() }),
  response: z.object({
    format: z.enum(['csv', 'xlsx']),
    encoding: z.string().nullable(),
    headers: z.array(z.object({ header: z.string(), field: z.string().nullable() })),
    /** A few data rows as written, for the mapping screen. */
    sample: z.array(z.array(z.string())),
  }),
});

/** Import an upload: a dry run first (preview), then the same upload again without `dryRun`. */
export const startImport = endpoint({
  id: 'imports.start',
  method: 'POST',
  path: '/api/integrations/:name/imports',
  summary: 'Import an uploaded file (dry run or apply) as a background job',
  access: 'admin',
  tag,
  params: z.object({ name: z.string().min(1).max(100) }),
  body: z.strictObject({
    upload: z.string().min(1).max(64),
    dryRun: z.boolean().default(false),
    skipInvalid: z.boolean().default(false),
    confirmDeletes: z.boolean().default(false),
    sheet: z.string().max(100).optional(),
  }),
  response: z.object({ job: jobSchema }),
  status: 202,
});

export const showJob = endpoint({
  id: 'jobs.show',
  method: 'GET',
  path: '/api/jobs/:id',
  summary: 'A job: state, progress, and its result or error',
  access: 'supervisor',
  tag: 'jobs',
  params: z.object({ id: z.string().min(1).max(64) }),
  response: z.object({ job: jobSchema }),
});

export const listJobs = endpoint({
  id: 'jobs.list',
  method: 'GET',
  path: '/api/jobs',
  summary: 'Jobs of the workspace since the server started, newest first',
  access: 'supervisor',
  tag: 'jobs',
  response: z.object({ jobs: z.array(jobSchema) }),
});

/**
 * Server-sent events: `progress` with the job (repeated while it runs), then one `done` or `failed`
 * with the final job; the stream then ends. A finished job answers with its final event at once.
 */
export const jobEvents = endpoint({
  id: 'jobs.events',
  method: 'GET',
  path: '/api/jobs/:id/events',
  summary: 'Progress of a job as server-sent events (progress, then done or failed)',
  access: 'supervisor',
  tag: 'jobs',
  transport: 'events',
  params: z.object({ id: z.string().min(1).max(64) }),
  response: jobSchema,
});

/** The validation report of an import job as CSV: row, column, field, value, code, reason. */
export const jobReport = endpoint({
  id: 'jobs.report',
  method: 'GET',
  path: '/api/jobs/:id/report.csv',
  summary: "An import job's validation report (row, column, field, value, reason) as CSV",
  access: 'supervisor',
  tag: 'jobs',
  transport: 'download',
  params: z.object({ id: z.string().min(1).max(64) }),
  response: z.string(),
});

/** The export file: records the remote side lacks and corrections it should take. */
export const exportFile = endpoint({
  id: 'exports.download',
  method: 'GET',
  path: '/api/integrations/:name/export',
  summary: 'Download the export file (.csv or .xlsx) in a language',
  access: 'admin',
  tag,
  transport: 'download',
  params: z.object({ name: z.string().min(1).max(100) }),
  query: z.object({
    format: z.enum(['csv', 'xlsx']).default('csv'),
    lang: languageSchema.default('de'),
    all: bool.optional(),
  }),
  response: z.string(),
});

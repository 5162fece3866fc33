/**
 * Import: choose or drop a CSV/XLSX file, preview (a dry run: counts per category and the planned
 * changes), then apply; a progress bar while the server works (the job keeps running if the page
 * closes); the validation report on screen and as a CSV download; the export file. A workbook whose
 * first tab lacks the columns (a cover sheet) is refused naming its other tabs; each is offered to read.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { DragEvent } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import { files, integrations } from '../api/endpoints.js';
import { ApiError } from '../api/http.js';
import { useJob } from '../api/jobs.js';
import type { Entity, Job, RunReport } from '../api/types.js';

type RowProblem = RunReport['problems'][number];
import { CATEGORIES } from '../api/types.js';
import { useIsAdmin } from '../auth/session.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, setQuery, useLocation } from '../router.js';
import { Checkbox, Empty, Loading, Notice, ProgressBar, SelectField, useFieldLabel } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { rememberChange } from '../overview/actions.js';
import { LISTED, ListedFirst, Problems, ProblemTable } from './problems.js';
import { useCategoryLabel } from '../overview/category-label.js';

export function ImportPage() {
  const { t } = useI18n();
  // Importing and the export file are an administrator's (SYNC.md §9): say so instead of a form that fails.
  if (!useIsAdmin())
    return (
      <section>
        <h1>{t('import.title')}</h1>
        <Empty>{t('import.adminsOnly')}</Empty>
      </section>
    );
  return <ImportForAdmin />;
}

function ImportForAdmin() {
  const { t } = useI18n();
  const { query } = useLocation();
  const list = useQuery({ queryKey: ['integrations'], queryFn: integrations.list });
  const fileIntegrations = (list.data?.integrations ?? []).filter((i) => i.source === 'file');
  const selected = query.get('integration') ?? fileIntegrations[0]?.name ?? '';
  if (list.isPending) return <Loading />;
  return (
    <section>
      <h1>{t('import.title')}</h1>
      <ErrorMessage error={list.error} />
      {fileIntegrations.length === 0 ? (
        <Empty>
          <p>{t('import.needIntegration')}</p>
          <Link className="button primary" to="/integrations/new">
            {t('integrations.new')}
          </Link>
        </Empty>
      ) : (
        <>
          <SelectField
            label={t('import.integration')}
            value={selected}
            onChange={(v) => setQuery({ integration: v })}
            options={fileIntegrations.map((i) => ({
              value: i.name,
              label: `${i.name} (${t(`entity.${i.entity}`)})`,
            }))}
          />
          <ImportForm
            key={selected}
            integration={selected}
            entity={fileIntegrations.find((i) => i.name === selected)?.entity}
          />
          <ExportBox integration={selected} />
        </>
      )}
    </section>
  );
}

function formatSize(bytes: number, formatNumber: (n: number) => string) {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 102.4) / 10)} KB`;
  return `${formatNumber(Math.round(bytes / 104857.6) / 10)} MB`;
}

function ImportForm({ integration, entity }: { integration: string; entity: Entity | undefined }) {
  const { t, formatNumber } = useI18n();
  const client = useQueryClient();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<{ id: string } | null>(null);
  const [dragging, setDragging] = useState(false);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [confirmDeletes, setConfirmDeletes] = useState(false);
  /** XLSX: the worksheet to read, once the user chose one; the first tab otherwise. */
  const [sheet, setSheet] = useState<string | null>(null);
  const [guard, setGuard] = useState<number | null>(null);
  const [started, setStarted] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const job = useJob(started);

  const choose = (f: File | undefined | null) => {
    if (!f) return;
    setFile(f);
    setUpload(null);
    setStarted(null);
    setError(null);
    setGuard(null);
    setConfirmDeletes(false);
    setSheet(null);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files[0]);
  };
  const start = async (dryRun: boolean, chosenSheet = sheet) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const up = upload ?? (await files.upload(file)).upload;
      setUpload(up);
      const answer = await integrations.startImport(integration, {
        upload: up.id,
        dryRun,
        skipInvalid,
        confirmDeletes,
        ...(chosenSheet ? { sheet: chosenSheet } : {}),
      });
      setStarted(answer.job);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (!job || job.state === 'running') return;
    if (job.state === 'done') {
      const report = job.result as RunReport | null;
      if (report && !report.dryRun) rememberChange(client, integration, report.changeSet);
      // The preview lists what a confirmed import would mark deleted; applying it needs the confirmation.
      if (report?.dryRun && report.deleteGuard) setGuard(report.deleteGuard.deleted);
      void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    }
    if (job.state === 'failed' && job.error?.code === 'confirm_deletes') {
      const d = job.error.details as { deleted?: number; count?: number } | null;
      setGuard(d?.deleted ?? d?.count ?? 0);
    }
  }, [job, client, integration]);

  const report = job?.state === 'done' ? (job.result as RunReport) : null;
  /** Invalid rows refuse the whole file: the job fails with the problems as details. */
  const invalid =
    job?.state === 'failed' && job.error?.code === 'file_invalid'
      ? (job.error.details as { problems?: RowProblem[]; problemCount?: number } | null)
      : null;
  const invalidProblems = invalid ? (invalid.problems ?? []) : null;
  const jobError =
    job?.state === 'failed' && job.error
      ? new ApiError(0, job.error.code as never, job.error.message, job.error.details)
      : null;
  /** The workbook's other tabs, when the one read lacks the number or name column. */
  const unreadable =
    job?.state === 'failed' && job.error?.code === 'file_unreadable'
      ? (job.error.details as { reason?: string; sheets?: string[] } | null)
      : null;
  const otherSheets = unreadable?.reason === 'missing_column' ? (unreadable.sheets ?? []) : [];
  const readSheet = (name: string) => {
    setSheet(name);
    void start(true, name);
  };

  return (
    <div className="import">
      <div
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>{t('import.drop')}</p>
        <label htmlFor={inputId} className="visually-hidden">
          {t('import.file')}
        </label>
        <input
          ref={input}
          id={inputId}
          type="file"
          className="visually-hidden"
          // The button below opens it: one tab stop, on something the eye can see.
          tabIndex={-1}
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => choose(e.target.files?.[0])}
        />
        <button type="button" onClick={() => input.current?.click()}>
          {t('import.choose')}
        </button>
        {file && (
          <p className="chosen">
            {t('import.chosen', { name: file.name, size: formatSize(file.size, formatNumber) })}
            {sheet && ` · ${t('import.sheet', { sheet })}`}
          </p>
        )}
      </div>
      <Checkbox label={t('import.skipInvalid')} checked={skipInvalid} onChange={setSkipInvalid} />
      {guard !== null && (
        <Notice kind="warning">
          <p>{t('import.guard', { n: formatNumber(guard) })}</p>
          <Checkbox
            label={t('import.confirmDeletes')}
            checked={confirmDeletes}
            onChange={setConfirmDeletes}
          />
        </Notice>
      )}
      <div className="buttons left">
        <button
          type="button"
          disabled={!file || busy || job?.state === 'running'}
          onClick={() => void start(true)}
        >
          {t('import.preview')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!file || busy || job?.state === 'running' || (guard !== null && !confirmDeletes)}
          onClick={() => void start(false)}
        >
          {t('import.apply')}
        </button>
      </div>
      <ErrorMessage error={error} />
      {job?.state === 'running' && (
        <ProgressBar
          label={t('import.progress')}
          fraction={job.progress.fraction}
          text={t('import.running', { rows: formatNumber(job.progress.done) })}
        />
      )}
      {jobError && job?.error?.code !== 'confirm_deletes' && <ErrorMessage error={jobError} />}
      {otherSheets.length > 0 && (
        <div className="buttons left">
          {otherSheets.map((name) => (
            <button key={name} type="button" disabled={busy} onClick={() => readSheet(name)}>
              {t('import.useSheet', { sheet: name })}
            </button>
          ))}
        </div>
      )}
      {invalidProblems && (
        <div className="report">
          <h2>{t('import.problems')}</h2>
          <Problems problems={invalidProblems} total={invalid?.problemCount ?? invalidProblems.length} />
        </div>
      )}
      {report && <ReportView report={report} entity={entity} />}
    </div>
  );
}

function ReportView({ report, entity }: { report: RunReport; entity: Entity | undefined }) {
  const categoryLabel = useCategoryLabel();
  const { t, formatNumber } = useI18n();
  const fieldLabel = useFieldLabel();
  const planned = report.planned;
  return (
    <div className="report" aria-live="polite">
      <h2>{report.dryRun ? t('import.previewTitle') : t('import.resultTitle')}</h2>
      <p>
        {t('import.rows', {
          read: formatNumber(report.rows.read),
          valid: formatNumber(report.rows.valid),
          invalid: formatNumber(report.rows.invalid),
          unchanged: formatNumber(report.rows.unchanged),
        })}
      </p>
      <h3>{t('import.countsAfter')}</h3>
      <ul className="category-counts compact">
        {CATEGORIES.map((c) => (
          <li key={c} className={`cat cat-${c}`}>
            <span className="count" data-category={c}>
              {formatNumber(report.counts[c])}
            </span>
            <span className="label">{categoryLabel(c, entity)}</span>
          </li>
        ))}
      </ul>
      {report.warnings.length > 0 && (
        <>
          <h3>{t('import.warnings')}</h3>
          <ProblemTable rows={report.warnings.map((w) => ({ ...w, reason: w.message }))} />
        </>
      )}
      <h3>{t('import.problems')}</h3>
      <Problems problems={report.problems} total={report.problemCount} />
      <h3>{report.dryRun ? t('import.planned') : t('import.applied')}</h3>
      {planned.length === 0 ? (
        <p>{t('import.noChanges')}</p>
      ) : (
        <div className="table-wrap">
          <table className="planned">
            <thead>
              <tr>
                <th scope="col">{t('column.number')}</th>
                <th scope="col">{t('import.change')}</th>
                <th scope="col">{t('import.fields')}</th>
              </tr>
            </thead>
            <tbody>
              {planned.slice(0, LISTED).map((p, i) => (
                <tr key={i}>
                  <td className="num">{p.number}</td>
                  <td>{t(`import.change.${p.change}`)}</td>
                  <td>
                    {p.change === 'updated' && !p.fields?.length ? (
                      <span className="muted">{t('import.fileOnly')}</span>
                    ) : (
                      (p.fields ?? []).map(fieldLabel).join(', ')
                    )}
                    {p.merged?.length
                      ? ` · ${t('import.alsoTaken', { fields: p.merged.map(fieldLabel).join(', ') })}`
                      : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ListedFirst shown={Math.min(planned.length, LISTED)} total={plannedTotal(report.changes)} />
    </div>
  );
}

/** Every change the run made or would make: one planned entry each (`planned` holds the first 500). */
const plannedTotal = (c: RunReport['changes']): number =>
  c.new + c.linked + c.updated + c.deleted + c.removed;

function ExportBox({ integration }: { integration: string }) {
  const { t, lang } = useI18n();
  const [format, setFormat] = useState<'csv' | 'xlsx'>('csv');
  const [fileLang, setFileLang] = useState<'de' | 'en' | 'da'>(lang);
  return (
    <section className="export">
      <h2>{t('import.export')}</h2>
      <div className="toolbar">
        <SelectField
          label={t('import.exportLanguage')}
          value={fileLang}
          onChange={setFileLang}
          options={(['de', 'en', 'da'] as const).map((l) => ({ value: l, label: t(`lang.${l}`) }))}
        />
        <SelectField
          label={t('import.exportFormat')}
          value={format}
          onChange={setFormat}
          options={[
            { value: 'csv', label: 'CSV' },
            { value: 'xlsx', label: 'XLSX' },
          ]}
        />
        <a className="button" href={integrations.exportUrl(integration, format, fileLang)} download>
          {t('import.exportDownload')}
        </a>
      </div>
    </section>
  );
}

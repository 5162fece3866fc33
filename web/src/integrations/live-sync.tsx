/**
 * A live integration (Tryton ERP): its connection fields, and "sync now" with the last round. The server
 * syncs on the integration's interval by itself; the button is for not waiting.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/http.js';
import { integrations } from '../api/endpoints.js';
import { useJob } from '../api/jobs.js';
import type { Job } from '../api/types.js';
import { useIsAdmin } from '../auth/session.js';
import { useI18n } from '../i18n/i18n.js';
import { Notice, ProgressBar, TextField } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';

export interface ConnectionDraft {
  url: string;
  database: string;
  user: string;
  password: string;
  category: string;
  interval: string;
}

export const emptyConnection = (): ConnectionDraft => ({
  url: '',
  database: '',
  user: '',
  password: '',
  category: '',
  interval: '15',
});

/** The connection part of a create or settings request; a blank password keeps the stored one. */
export function connectionBody(d: ConnectionDraft, customers: boolean) {
  return {
    connection: {
      url: d.url.trim(),
      database: d.database.trim(),
      user: d.user.trim(),
      ...(d.password ? { password: d.password } : {}),
      ...(customers ? { category: d.category.trim() || null } : {}),
    },
    intervalMinutes: Number(d.interval) || 15,
  };
}

export function ConnectionFields({
  draft,
  onChange,
  customers,
  passwordStored,
}: {
  draft: ConnectionDraft;
  onChange: (d: ConnectionDraft) => void;
  customers: boolean;
  passwordStored: boolean;
}) {
  const { t } = useI18n();
  const set = (k: keyof ConnectionDraft) => (v: string) => onChange({ ...draft, [k]: v });
  return (
    <>
      <TextField
        label={t('live.url')}
        value={draft.url}
        onChange={set('url')}
        required
        name="url"
        hint={t('live.url.hint')}
      />
      <TextField
        label={t('live.database')}
        value={draft.database}
        onChange={set('database')}
        required
        name="database"
      />
      <TextField
        label={t('live.user')}
        value={draft.user}
        onChange={set('user')}
        required
        name="user"
        autoComplete="off"
      />
      <TextField
        label={t('live.password')}
        value={draft.password}
        onChange={set('password')}
        type="password"
        required={!passwordStored}
        name="password"
        autoComplete="new-password"
        {...(passwordStored ? { hint: t('live.password.keep') } : {})}
      />
      {customers && (
        <TextField
          label={t('live.category')}
          value={draft.category}
          onChange={set('category')}
          name="category"
          hint={t('live.category.hint')}
        />
      )}
      <TextField
        label={t('live.interval')}
        value={draft.interval}
        onChange={set('interval')}
        inputMode="numeric"
        name="interval"
      />
    </>
  );
}

/** The last round of a live integration and, for admins, "sync now" with its progress. */
export function SyncPanel({ name }: { name: string }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const runs = useQuery({ queryKey: ['sync-runs'], queryFn: integrations.syncRuns, refetchInterval: 15_000 });
  const [started, setStarted] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const job = useJob(started);
  const running = job?.state === 'running';
  useEffect(() => {
    if (job && job.state !== 'running') {
      void client.invalidateQueries({ queryKey: ['sync-runs'] });
      void client.invalidateQueries({ queryKey: ['overview', name] });
      void client.invalidateQueries({ queryKey: ['items', name] });
    }
  }, [job?.state, client, name]);
  // Whether the connection works, tried when an admin opens the page (a new or changed connection
  // shows its answer at once) and on request.
  const check = useQuery({
    queryKey: ['connection', name],
    queryFn: () => integrations.checkConnection(name),
    enabled: admin,
    staleTime: Infinity,
  });
  const last = runs.data?.runs.find((r) => r.integration === name);
  const start = async () => {
    setError(null);
    try {
      setStarted((await integrations.syncNow(name)).job);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="sync-panel">
      <p>
        {last ? t(`live.last.${last.outcome}`, { when: formatDateTime(last.finishedAt) }) : t('live.never')}
        {last?.error && <span className="error-text"> {last.error}</span>}
      </p>
      {admin && check.data?.ok === true && <Notice kind="success">{t('live.check.ok')}</Notice>}
      {admin && check.data?.error && (
        <ErrorMessage
          error={new ApiError(0, check.data.error.code as never, check.data.error.message, null)}
        />
      )}
      {admin && (
        <div className="buttons left">
          <button type="button" onClick={() => void start()} disabled={running}>
            {running ? t('live.syncing') : t('live.syncNow')}
          </button>
          <button type="button" onClick={() => void check.refetch()} disabled={check.isFetching}>
            {check.isFetching ? t('live.check.running') : t('live.check')}
          </button>
        </div>
      )}
      {running && job && (
        <ProgressBar
          label={t('live.syncing')}
          fraction={job.progress.fraction}
          text={t('live.progress', { done: formatNumber(job.progress.done) })}
        />
      )}
      {job?.state === 'done' && <Notice kind="success">{t('live.done')}</Notice>}
      {job?.state === 'failed' && job.error && (
        <ErrorMessage
          error={new ApiError(0, job.error.code as never, job.error.message, job.error.details)}
        />
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

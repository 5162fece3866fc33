/**
 * The actions of SYNC.md §7 on one item, a selection, or the whole filtered category: each asks first,
 * saying how many records will change (the server counts them), then reports what was done and what
 * was refused. The last action's change can be undone.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ActionName } from '../api/endpoints.js';
import { history, integrations } from '../api/endpoints.js';
import type { ActionResult, Category, Job, Target, UndoResult } from '../api/types.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import { Confirm, Notice } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { UndoOutcome } from '../audit/undo-outcome.js';

export type ActionId =
  | 'resolve-local'
  | 'resolve-remote'
  | 'partner'
  | 'partner-all'
  | 'unlink'
  | 'disable'
  | 'enable'
  | 'delete'
  | 'restore'
  | 'reactivate';

/** What the overview offers per category, in order. */
export const ACTIONS_FOR: Record<Category, readonly ActionId[]> = {
  conflict: ['resolve-local', 'resolve-remote', 'unlink', 'disable'],
  new: ['partner', 'disable'],
  deleted: ['delete', 'restore', 'unlink', 'disable'],
  disabled: ['enable'],
  synced: ['unlink', 'disable'],
  inactive: ['reactivate', 'disable'],
};

export const ACTION_LABEL: Record<ActionId, MessageKey> = {
  'resolve-local': 'item.takeAllLocal',
  'resolve-remote': 'item.takeAllRemote',
  partner: 'action.partner',
  'partner-all': 'action.partnerAll',
  unlink: 'action.unlink',
  disable: 'action.disable',
  enable: 'action.enable',
  delete: 'action.delete',
  restore: 'action.restore',
  reactivate: 'action.reactivate',
};

const serverAction = (a: Exclude<ActionId, 'partner-all'>): ActionName =>
  a === 'resolve-local' || a === 'resolve-remote' ? 'resolve' : a;

/** The last change made in this browser per integration, for "undo last action". */
const lastChangeKey = (integration: string) => ['lastChange', integration];

export interface Pending {
  readonly action: ActionId;
  readonly target: Target;
  readonly count: number;
  readonly extra?: Record<string, unknown>;
}

export function useActions(
  integration: string,
  /** Called with an action's result (not "create all partners", which runs as a job). */
  onResult?: (result: ActionResult) => void,
) {
  const client = useQueryClient();
  const [pending, setPending] = useState<Pending | null>(null);
  const [result, setResult] = useState<ActionResult | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const refresh = () => client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });

  /** Counts what the action would change, then asks. */
  const ask = async (action: ActionId, target: Target, extra?: Record<string, unknown>) => {
    setError(null);
    setResult(null);
    try {
      const preview = await integrations.preview(
        integration,
        action === 'partner-all' ? 'partner-all' : serverAction(action),
        target,
      );
      setPending({ action, target, count: preview.count, ...(extra ? { extra } : {}) });
    } catch (err) {
      setError(err);
    }
  };

  const run = async (p: Pending) => {
    setBusy(true);
    try {
      if (p.action === 'partner-all') {
        const t = p.target as { side?: 'local' | 'remote'; search?: string };
        const answer = await integrations.partnerAll(integration, {
          ...(t.side ? { side: t.side } : {}),
          ...(t.search ? { search: t.search } : {}),
        });
        setJob(answer.job);
      } else {
        const body: Record<string, unknown> = { target: p.target, ...p.extra };
        if (p.action === 'resolve-local') body.take = 'local';
        if (p.action === 'resolve-remote') body.take = 'remote';
        const answer = await integrations.act(
          integration,
          serverAction(p.action as Exclude<ActionId, 'partner-all'>),
          body,
        );
        setResult(answer);
        if (answer.changeSet !== null) client.setQueryData(lastChangeKey(integration), answer.changeSet);
        onResult?.(answer);
      }
      setPending(null);
    } catch (err) {
      setError(err);
      setPending(null);
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  return { pending, setPending, ask, run, result, setResult, job, setJob, error, setError, busy, refresh };
}

export function ActionConfirm({ state }: { state: ReturnType<typeof useActions> }) {
  const { t, formatNumber } = useI18n();
  const p = state.pending;
  if (!p) return null;
  const label = t(ACTION_LABEL[p.action]);
  return (
    <Confirm
      title={label}
      message={
        (p.count === 1 ? t('action.confirmOne') : t('action.confirmCount', { n: formatNumber(p.count) })) +
        // What "delete on the other side" does depends on the side: a file cannot be told (SYNC.md §7).
        (p.action === 'delete' ? ` ${t('action.deleteNote')}` : '')
      }
      confirmLabel={label}
      busy={state.busy || p.count === 0}
      danger={p.action === 'delete'}
      onCancel={() => state.setPending(null)}
      onConfirm={() => void state.run(p)}
    />
  );
}

export function ActionOutcome({
  state,
  about,
}: {
  state: ReturnType<typeof useActions>;
  /** The item a refusal is about, named first ("1004 Anna Müller: …"). */
  about?: string | undefined;
}) {
  const { t, formatNumber } = useI18n();
  const r = state.result;
  return (
    <>
      <ErrorMessage error={state.error} about={about} />
      {r && (
        <Notice kind={r.skipped.length > 0 ? 'warning' : 'success'}>
          <p>
            {t('action.result', {
              done: formatNumber(r.done.length),
              failed: formatNumber(r.skipped.length),
            })}
          </p>
          <SkippedList skipped={r.skipped} />
        </Notice>
      )}
    </>
  );
}

/** "Undo last action": the change made last from this browser in this integration. */
export function UndoButton({ integration }: { integration: string }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const lastQuery = useQuery<number | null>({
    queryKey: lastChangeKey(integration),
    queryFn: () => Promise.resolve(null),
    enabled: false,
    staleTime: Infinity,
  });
  const last = lastQuery.data ?? undefined;
  const [done, setDone] = useState<UndoResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [asking, setAsking] = useState(false);
  /** A large change takes seconds to undo: the button is busy meanwhile, not offered twice. */
  const [running, setRunning] = useState(false);
  if (last === undefined && !done && !error) return null;
  const undo = async () => {
    if (last === undefined) return;
    setAsking(false);
    setRunning(true);
    try {
      const answer = await history.undo(last);
      client.setQueryData(lastChangeKey(integration), null);
      setDone(answer);
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
    await client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
  };
  return (
    <div className="undo">
      {last !== undefined && (
        <button
          type="button"
          disabled={running}
          aria-busy={running || undefined}
          onClick={() => setAsking(true)}
        >
          ↶ {running ? t('history.undoing') : t('action.undo')}
        </button>
      )}
      {asking && (
        <Confirm
          title={t('action.undo')}
          message={t('history.undoConfirm')}
          confirmLabel={t('history.undo')}
          onCancel={() => setAsking(false)}
          onConfirm={() => void undo()}
        />
      )}
      {done && <UndoOutcome result={done} doneText={t('action.undone')} />}
      <ErrorMessage error={error} />
    </div>
  );
}

export const rememberChange = (
  client: ReturnType<typeof useQueryClient>,
  integration: string,
  id: number | null,
) => {
  if (id !== null) client.setQueryData(lastChangeKey(integration), id);
};

/** The items an action left out, with why in the user's language (the first 20). */
export function SkippedList({
  skipped,
}: {
  skipped: readonly { itemId: number; number: string; reason: string; code?: string | undefined }[];
}) {
  const { t, tx, lang } = useI18n();
  if (skipped.length === 0) return null;
  return (
    <ul>
      {skipped.slice(0, 20).map((s) => (
        <li key={s.itemId}>
          {s.number}:{' '}
          {lang === 'en'
            ? s.reason
            : s.code
              ? tx(`action.skipped.${s.code}`, t('action.refused'))
              : t('action.refused')}
        </li>
      ))}
    </ul>
  );
}

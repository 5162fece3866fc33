/** History (SYNC.md §8): the audit log filtered by item, user or run, with undo of a change. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { history } from '../api/endpoints.js';
import type { UndoResult } from '../api/types.js';
import { useIsAdmin } from '../auth/session.js';
import { useI18n } from '../i18n/i18n.js';
import { setQuery, useLocation } from '../router.js';
import { Confirm, Notice, TextField } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { Timeline } from './timeline.js';

const toId = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

export function HistoryPage() {
  const { t, formatNumber } = useI18n();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const { query } = useLocation();
  const item = toId(query.get('item'));
  const change = toId(query.get('run'));
  const actor = query.get('user') ?? undefined;
  const [form, setForm] = useState({
    item: query.get('item') ?? '',
    user: query.get('user') ?? '',
    run: query.get('run') ?? '',
  });
  const entries = useQuery({
    queryKey: ['audit', 'list', item, change, actor],
    queryFn: () =>
      history.audit({
        limit: 200,
        ...(item ? { item } : {}),
        ...(change ? { change } : {}),
        ...(actor ? { actor: actor.includes(':') ? actor : `user:${actor}` } : {}),
      }),
  });
  const [undoing, setUndoing] = useState<number | null>(null);
  const [undone, setUndone] = useState<UndoResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery({ item: form.item.trim(), user: form.user.trim(), run: form.run.trim() });
  };
  const undo = async (id: number) => {
    setUndoing(null);
    try {
      setUndone(await history.undo(id));
      setError(null);
    } catch (err) {
      setError(err);
    }
    await client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
  };
  return (
    <section>
      <h1>{t('history.title')}</h1>
      <form className="toolbar" onSubmit={submit} role="search">
        <TextField
          label={t('history.filter.item')}
          value={form.item}
          inputMode="numeric"
          onChange={(v) => setForm({ ...form, item: v })}
        />
        <TextField
          label={t('history.filter.user')}
          value={form.user}
          onChange={(v) => setForm({ ...form, user: v })}
        />
        <TextField
          label={t('history.filter.run')}
          value={form.run}
          inputMode="numeric"
          onChange={(v) => setForm({ ...form, run: v })}
        />
        <div className="buttons left">
          <button type="submit" className="primary">
            {t('history.filter.apply')}
          </button>
          <button
            type="button"
            onClick={() => {
              setForm({ item: '', user: '', run: '' });
              setQuery({ item: undefined, user: undefined, run: undefined });
            }}
          >
            {t('history.filter.clear')}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {undone && (
        <Notice kind="success">
          {undone.conflicts.length > 0
            ? t('action.undoConflicts', { n: formatNumber(undone.conflicts.length) })
            : t('history.undone', { n: String(undone.undone) })}
        </Notice>
      )}
      {undoing !== null && (
        <Confirm
          title={t('history.undo')}
          message={t('history.undoConfirm')}
          confirmLabel={t('history.undo')}
          onCancel={() => setUndoing(null)}
          onConfirm={() => void undo(undoing)}
        />
      )}
      <Timeline query={entries} {...(admin ? { onUndo: setUndoing } : {})} />
    </section>
  );
}

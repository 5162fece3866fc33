/**
 * History (SYNC.md §8): the audit log filtered by record, user or change, a page of entries at a time,
 * with undo of a change. The filters take what a person knows: a record's number or name (not an
 * internal id), a user's name or login, a change's number.
 */
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { history, integrations, registry, users } from '../api/endpoints.js';
import type { Entity, UndoResult } from '../api/types.js';
import { useIsAdmin } from '../auth/session.js';
import { useI18n } from '../i18n/i18n.js';
import { setQuery, useLocation } from '../router.js';
import { Confirm, TextField } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { Timeline } from './timeline.js';
import { UndoOutcome } from './undo-outcome.js';

/** Entries per page of the log. */
const PAGE = 200;
/** A record's timeline is one request (the endpoint has no paging): its newest entries up to this. */
const RECORD_LIMIT = 1000;
/** Records a search offers to choose from. */
const CHOICES = 20;

const toId = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

/** A record the user may mean: a registry record (by kind and number), or a record only the other side holds. */
type Choice =
  | {
      readonly kind: 'record';
      readonly entity: Entity;
      readonly number: string;
      readonly name: string;
      readonly archived: boolean;
    }
  | {
      readonly kind: 'item';
      readonly integration: string;
      readonly id: number;
      readonly number: string;
      readonly name: string;
    };

/** `record=employee:1004` (or `…:archived`) in the query string. */
function parseRecord(v: string | null): { entity: Entity; number: string; archived: boolean } | undefined {
  const m = v ? /^(employee|customer):(.+?)(:archived)?$/.exec(v) : null;
  return m ? { entity: m[1] as Entity, number: m[2]!, archived: m[3] !== undefined } : undefined;
}

const quietly = async <T,>(p: Promise<T[]>): Promise<T[]> => p.catch(() => []);

/**
 * The records whose number or name holds `text`: the registry's (archived ones too) and, per
 * integration, those only the other side holds. A number typed in full picks the records of that number.
 */
async function findRecords(text: string): Promise<Choice[]> {
  const local = (['employee', 'customer'] as const).flatMap((entity) =>
    [false, true].map((archived) =>
      quietly(
        registry.list(entity, { search: text, archived, limit: CHOICES }).then((r) =>
          r.records.map((x): Choice => ({
            kind: 'record',
            entity,
            number: x.number,
            name: x.name,
            archived,
          })),
        ),
      ),
    ),
  );
  const all = await integrations.list().then(
    (r) => r.integrations,
    () => [],
  );
  const remote = all.map((i) =>
    quietly(
      integrations.items(i.name, { search: text, side: 'remote', limit: CHOICES }).then((r) =>
        r.items
          .filter((x) => x.side === 'remote')
          .map((x): Choice => ({
            kind: 'item',
            integration: i.name,
            id: x.id,
            number: x.number,
            name: x.name,
          })),
      ),
    ),
  );
  const found = (await Promise.all([...local, ...remote])).flat();
  const wanted = text.toLocaleLowerCase();
  const exact = found.filter((c) => c.number.toLocaleLowerCase() === wanted);
  return exact.length > 0 ? exact : found;
}

export function HistoryPage() {
  const { t, tp, formatNumber } = useI18n();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const { query } = useLocation();
  const record = parseRecord(query.get('record'));
  const item = toId(query.get('item'));
  const change = toId(query.get('run'));
  const login = query.get('user') ?? undefined;
  const actor = login ? (login.includes(':') ? login : `user:${login}`) : undefined;
  const [form, setForm] = useState({
    record: record?.number ?? '',
    user: login ?? '',
    run: query.get('run') ?? '',
  });
  const [problems, setProblems] = useState<{ record?: string; user?: string; run?: string }>({});
  const [choices, setChoices] = useState<readonly Choice[] | null>(null);
  const [searching, setSearching] = useState(false);
  const userList = useQuery({ queryKey: ['users'], queryFn: users.list, enabled: admin });

  const log = useInfiniteQuery({
    queryKey: ['audit', 'list', item, change, actor],
    enabled: record === undefined,
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      history.audit({
        limit: PAGE,
        ...(pageParam ? { before: pageParam } : {}),
        ...(item ? { item } : {}),
        ...(change ? { change } : {}),
        ...(actor ? { actor } : {}),
      }),
    // The next page: entries older than the oldest shown (a short page was the last).
    getNextPageParam: (last) =>
      last.entries.length < PAGE ? undefined : Math.min(...last.entries.map((e) => e.id)),
  });
  const timeline = useQuery({
    queryKey: ['audit', 'record', record?.entity, record?.number, record?.archived],
    enabled: record !== undefined,
    queryFn: () => registry.timeline(record!.entity, record!.number, record!.archived, RECORD_LIMIT),
  });
  const entries = record
    ? {
        isPending: timeline.isPending,
        error: timeline.error,
        data: timeline.data && {
          // A record's timeline spans changes by anyone: the user and change filters narrow it here.
          entries: timeline.data.entries.filter(
            (e) => (!actor || e.actor === actor) && (!change || e.changeSet === change),
          ),
        },
      }
    : {
        isPending: log.isPending,
        error: log.error,
        data: log.data && { entries: log.data.pages.flatMap((p) => p.entries) },
      };
  const shown = entries.data?.entries.length ?? 0;

  const [undoing, setUndoing] = useState<number | null>(null);
  /** The change whose undo is running (a large one takes seconds): its button is busy meanwhile. */
  const [running, setRunning] = useState<number | null>(null);
  const [undone, setUndone] = useState<UndoResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  /** The actor a typed user means: a login or a user's name (any case); `null` when no user has it. */
  const actorOf = (text: string): string | null => {
    if (text.includes(':')) return text;
    const known = userList.data?.users;
    if (!known) return text; // a supervisor cannot list users: taken as a login
    const wanted = text.toLocaleLowerCase();
    const user =
      known.find((u) => u.login.toLocaleLowerCase() === wanted) ??
      known.find((u) => u.name.toLocaleLowerCase() === wanted);
    return user ? user.login : null;
  };

  const apply = (chosen: Choice | undefined, user: string | undefined) => {
    setChoices(null);
    setQuery({
      record:
        chosen?.kind === 'record'
          ? `${chosen.entity}:${chosen.number}${chosen.archived ? ':archived' : ''}`
          : undefined,
      item: chosen?.kind === 'item' ? chosen.id : undefined,
      user,
      run: form.run.trim(),
    });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const run = form.run.trim();
    const userText = form.user.trim();
    const recordText = form.record.trim();
    const found: typeof problems = {};
    if (run && !/^\d+$/.test(run)) found.run = t('history.filter.runInvalid');
    const user = userText ? actorOf(userText) : undefined;
    if (user === null)
      found.user = t('history.filter.userUnknown', {
        text: userText,
        users: (userList.data?.users ?? []).map((u) => `${u.name} (${u.login})`).join(', '),
      });
    setProblems(found);
    setChoices(null);
    if (Object.keys(found).length > 0) return;
    if (!recordText) return apply(undefined, user ?? undefined);
    // The record field still shows the record filtered by: keep it (a link may have set `item`).
    if (record && recordText === record.number)
      return apply({ kind: 'record', ...record, name: '' }, user ?? undefined);
    setSearching(true);
    try {
      const matches = await findRecords(recordText);
      if (matches.length === 0) setProblems({ record: t('history.filter.recordNone', { text: recordText }) });
      else if (matches.length === 1) apply(matches[0], user ?? undefined);
      else setChoices(matches);
    } finally {
      setSearching(false);
    }
  };

  const undo = async (id: number) => {
    setUndoing(null);
    setRunning(id);
    try {
      setUndone(await history.undo(id));
      setError(null);
    } catch (err) {
      setError(err);
    }
    await client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    setRunning(null);
  };
  const choiceText = (c: Choice) =>
    c.kind === 'record'
      ? `${c.number} ${c.name} · ${t(`entity.${c.entity}.one`)}${c.archived ? ` (${t('item.archived')})` : ''}`
      : `${c.number} ${c.name} · ${t('history.filter.onlyIn', { integration: c.integration })}`;
  return (
    <section>
      <h1>{t('history.title')}</h1>
      <form className="toolbar" onSubmit={(e) => void submit(e)} role="search">
        <TextField
          label={t('history.filter.record')}
          value={form.record}
          error={problems.record}
          onChange={(v) => setForm({ ...form, record: v })}
        />
        <TextField
          label={t('history.filter.user')}
          value={form.user}
          error={problems.user}
          onChange={(v) => setForm({ ...form, user: v })}
        />
        <TextField
          label={t('history.filter.run')}
          value={form.run}
          error={problems.run}
          inputMode="numeric"
          onChange={(v) => setForm({ ...form, run: v })}
        />
        <div className="buttons left">
          <button type="submit" className="primary" disabled={searching}>
            {t('history.filter.apply')}
          </button>
          <button
            type="button"
            onClick={() => {
              setForm({ record: '', user: '', run: '' });
              setProblems({});
              setChoices(null);
              setQuery({ record: undefined, item: undefined, user: undefined, run: undefined });
            }}
          >
            {t('history.filter.clear')}
          </button>
        </div>
      </form>
      {choices && (
        <div className="message info" role="status">
          <p>{t('history.filter.choose', { text: form.record.trim() })}</p>
          <ul className="choices">
            {choices.slice(0, CHOICES).map((c) => (
              <li key={c.kind === 'record' ? `${c.entity}:${c.number}:${c.archived}` : `item:${c.id}`}>
                <button
                  type="button"
                  className="link"
                  onClick={() => apply(c, (form.user.trim() && actorOf(form.user.trim())) || undefined)}
                >
                  {choiceText(c)}
                </button>
              </li>
            ))}
          </ul>
          {choices.length > CHOICES && <p>{t('history.filter.moreChoices', { n: formatNumber(CHOICES) })}</p>}
        </div>
      )}
      {item !== undefined && !record && (
        <p className="muted">
          {t('history.filter.byItem', {
            record: (() => {
              const r = entries.data?.entries.find((e) => e.record)?.record;
              return r ? `${r.number} ${r.name}` : `#${item}`;
            })(),
          })}
        </p>
      )}
      <ErrorMessage error={error} />
      {undone && <UndoOutcome result={undone} />}
      {undoing !== null && (
        <Confirm
          title={t('history.undo')}
          message={t('history.undoConfirm')}
          confirmLabel={t('history.undo')}
          onCancel={() => setUndoing(null)}
          onConfirm={() => void undo(undoing)}
        />
      )}
      <Timeline query={entries} undoing={running} {...(admin ? { onUndo: setUndoing } : {})} />
      {shown > 0 && (
        <div className="pager history-pager">
          <p role="status">
            {record && timeline.data?.entries.length === RECORD_LIMIT
              ? tp('history.shownNewest', shown)
              : log.hasNextPage && !record
                ? tp('history.shownMore', shown)
                : tp('history.shown', shown)}
          </p>
          {!record && log.hasNextPage && (
            <button type="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
              {t('history.older')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

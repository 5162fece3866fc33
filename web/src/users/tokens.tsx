/**
 * The signed-in user's API tokens (`Authorization: Bearer …`, acting with the user's role): listed with
 * when they were made and last used, created by name — the secret is in the answer only, so it is
 * shown once with a copy button — and revoked after a confirmation.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useId, useRef, useState } from 'react';
import { account } from '../api/endpoints.js';
import { useI18n } from '../i18n/i18n.js';
import { Confirm, Empty, Loading, Notice, TextField } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';

interface Token {
  readonly id: number;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export function Tokens() {
  const { t, formatDateTime } = useI18n();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['tokens'], queryFn: account.tokens });
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const [revoked, setRevoked] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setRevoked('');
    try {
      const answer = await account.createToken(name);
      setCreated({ name: answer.name, token: answer.token });
      setName('');
      await client.invalidateQueries({ queryKey: ['tokens'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (token: Token) => {
    setBusy(true);
    setError(null);
    try {
      await account.revokeToken(token.id);
      setRevoked(t('tokens.revoked', { name: token.name }));
      await client.invalidateQueries({ queryKey: ['tokens'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setRevoking(null);
    }
  };

  const tokens = list.data?.tokens ?? [];
  return (
    <div className="tokens">
      <h2>{t('tokens.title')}</h2>
      <p className="muted">{t('tokens.intro')}</p>
      {created && <NewToken {...created} onDone={() => setCreated(null)} />}
      {revoked && <Notice kind="success">{revoked}</Notice>}
      <ErrorMessage error={list.error ?? error} />
      {list.isPending && <Loading />}
      {list.data && tokens.length === 0 && <Empty>{t('tokens.none')}</Empty>}
      {tokens.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('column.name')}</th>
                <th scope="col">{t('tokens.createdAt')}</th>
                <th scope="col">{t('tokens.lastUsedAt')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>{formatDateTime(token.createdAt)}</td>
                  <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('tokens.neverUsed')}</td>
                  <td>
                    <button
                      type="button"
                      className="danger"
                      disabled={busy}
                      aria-label={t('tokens.revokeOf', { name: token.name })}
                      onClick={() => setRevoking(token)}
                    >
                      {t('tokens.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="narrow" onSubmit={(e) => void create(e)}>
        <TextField
          label={t('tokens.name')}
          value={name}
          onChange={setName}
          required
          autoComplete="off"
          hint={t('tokens.nameHint')}
        />
        <div className="buttons left">
          <button type="submit" disabled={busy || !name.trim()}>
            {t('tokens.create')}
          </button>
        </div>
      </form>
      {revoking && (
        <Confirm
          title={t('tokens.revokeTitle')}
          message={t('tokens.revokeConfirm', { name: revoking.name })}
          confirmLabel={t('tokens.revoke')}
          danger
          busy={busy}
          onCancel={() => setRevoking(null)}
          onConfirm={() => void revoke(revoking)}
        />
      )}
    </div>
  );
}

/** A token just made: its secret, shown this once, to be copied now. */
function NewToken({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
    } catch {
      // No clipboard (an http address, a denied permission): the text is selected for Ctrl+C.
      setCopied(false);
    }
  };
  return (
    <div className="message success new-token" role="status">
      <p>
        <strong>{t('tokens.created', { name })}</strong> {t('tokens.onlyOnce')}
      </p>
      <label htmlFor={id}>{t('tokens.secret')}</label>
      <div className="token-row">
        <input
          id={id}
          ref={input}
          readOnly
          value={token}
          spellCheck={false}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={() => void copy()}>
          {t('tokens.copy')}
        </button>
      </div>
      {copied === true && <p>{t('tokens.copied')}</p>}
      {copied === false && <p>{t('tokens.copyByHand')}</p>}
      <p className="muted">{t('tokens.usage')}</p>
      <div className="buttons left">
        <button type="button" onClick={onDone}>
          {t('tokens.done')}
        </button>
      </div>
    </div>
  );
}

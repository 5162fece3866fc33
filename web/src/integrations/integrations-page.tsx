/**
 * Integrations: the list; creating one; and for one, its settings, per-field rules and custom file
 * type (mapped from a sample file's headers). Supervisors read, admins change.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { FIELDS_OF } from '../../../src/core/fields.js';
import { integrations } from '../api/endpoints.js';
import type { Entity, FieldRule, Integration, Settings } from '../api/types.js';
import { FIELD_RULES } from '../api/types.js';
import { useIsAdmin } from '../auth/session.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';
import { Checkbox, Empty, Loading, Notice, SelectField, TextField, useFieldLabel } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';
import { FileTypeEditor } from './file-type-editor.js';
import type { ConnectionDraft } from './live-sync.js';
import { ConnectionFields, connectionBody, emptyConnection, SyncPanel } from './live-sync.js';

export function IntegrationsPage({ name }: { name: string | undefined }) {
  if (name === 'new') return <NewIntegration />;
  if (name) return <IntegrationSettings name={name} />;
  return <IntegrationList />;
}

function IntegrationList() {
  const { t, formatDateTime } = useI18n();
  const admin = useIsAdmin();
  const list = useQuery({ queryKey: ['integrations'], queryFn: integrations.list });
  return (
    <section>
      <h1>{t('integrations.title')}</h1>
      {admin && (
        <p>
          <Link className="button primary" to="/integrations/new">
            {t('integrations.new')}
          </Link>
        </p>
      )}
      {list.isPending && <Loading />}
      <ErrorMessage error={list.error} />
      {list.data?.integrations.length === 0 && <Empty>{t('integrations.empty')}</Empty>}
      {list.data && list.data.integrations.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('integrations.name')}</th>
                <th scope="col">{t('integrations.entity')}</th>
                <th scope="col">{t('integrations.source')}</th>
                <th scope="col">{t('integrations.fileType')}</th>
                <th scope="col">{t('overview.lastRun', { when: '' }).replace(/[:\s]+$/, '')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.integrations.map((i) => (
                <tr key={i.name}>
                  <td>
                    <Link to={`/integrations/${encodeURIComponent(i.name)}`}>{i.name}</Link>
                  </td>
                  <td>{t(`entity.${i.entity}`)}</td>
                  <td>
                    {t(i.source === 'file' ? 'source.file' : 'source.tryton')} ·{' '}
                    {i.writable ? t('integrations.writable') : t('integrations.readOnly')}
                  </td>
                  <td>
                    {i.settings.fileType
                      ? t('integrations.fileType.custom', { name: i.settings.fileType.name })
                      : t('integrations.fileType.standard')}
                  </td>
                  <td>{i.lastRunAt ? formatDateTime(i.lastRunAt) : t('overview.neverRun')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Creating an integration is an administrator's (SYNC.md §9): others are told so, not given a form that fails. */
function NewIntegration() {
  const { t } = useI18n();
  const admin = useIsAdmin();
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/integrations">{t('integrations.title')}</Link> ›
      </p>
      <h1>{t('integrations.new')}</h1>
      {admin ? <CreateIntegration /> : <Empty>{t('integrations.adminsOnly')}</Empty>}
    </section>
  );
}

function CreateIntegration() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [entity, setEntity] = useState<Entity>('employee');
  const [source, setSource] = useState<'file' | 'tryton'>('file');
  const [connection, setConnection] = useState<ConnectionDraft>(emptyConnection);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const { integration } = await integrations.create({
        name: name.trim(),
        entity,
        source,
        ...(source === 'file' ? {} : { settings: connectionBody(connection, entity === 'customer') }),
      });
      await client.invalidateQueries({ queryKey: ['integrations'] });
      navigate(`/integrations/${encodeURIComponent(integration.name)}?created=1`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="narrow">
      <TextField
        label={t('integrations.name')}
        value={name}
        onChange={setName}
        required
        name="name"
        hint={t('integrations.nameHint')}
      />
      <SelectField
        label={t('integrations.entity')}
        value={entity}
        onChange={setEntity}
        options={[
          { value: 'employee', label: t('entity.employee') },
          { value: 'customer', label: t('entity.customer') },
        ]}
      />
      <SelectField
        label={t('integrations.source')}
        value={source}
        onChange={setSource}
        options={[
          { value: 'file', label: t('source.file') },
          { value: 'tryton', label: t('source.tryton') },
        ]}
      />
      {source !== 'file' && (
        <ConnectionFields
          draft={connection}
          onChange={setConnection}
          customers={entity === 'customer'}
          passwordStored={false}
        />
      )}
      <ErrorMessage error={error} />
      <div className="buttons left">
        <button type="submit" className="primary">
          {t('common.create')}
        </button>
      </div>
    </form>
  );
}

/**
 * Which form was saved last, and what the save did to the items: its confirmation stays beside its
 * button until the next edit.
 */
type Saved = { readonly form: 'settings' | 'fileType'; readonly changed: SettingsEffect } | null;
type SettingsEffect = { readonly items: number; readonly localFieldsChanged: number };

function IntegrationSettings({ name }: { name: string }) {
  const { t } = useI18n();
  const one = useQuery({ queryKey: ['integration', name], queryFn: () => integrations.show(name) });
  // Kept here: the form is made afresh from the settings the server answers after a save.
  const [saved, setSaved] = useState<Saved>(null);
  if (one.isPending) return <Loading />;
  if (one.error) return <ErrorMessage error={one.error} />;
  return (
    <SettingsForm
      key={one.dataUpdatedAt}
      integration={one.data.integration}
      title={t('integrations.settings')}
      saved={saved}
      onSaved={setSaved}
    />
  );
}

/** "Saved", and what the new rules changed: they may have overwritten registry values (SYNC.md §5). */
function SavedNote({ changed }: { changed: SettingsEffect }) {
  const { t, tp } = useI18n();
  return (
    <span className="saved-note" role="status">
      ✓ {t('integrations.saved')}
      {changed.items > 0 && ` ${tp('integrations.savedItems', changed.items)}`}
      {changed.localFieldsChanged > 0 && ` ${tp('integrations.savedValues', changed.localFieldsChanged)}`}
    </span>
  );
}

function SettingsForm({
  integration: i,
  title,
  saved,
  onSaved,
}: {
  integration: Integration;
  title: string;
  saved: Saved;
  onSaved: (saved: Saved) => void;
}) {
  const { t } = useI18n();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const fieldLabel = useFieldLabel();
  const [settings, setSettings] = useState<Settings>(i.settings);
  const live = i.source !== 'file';
  const [connection, setConnection] = useState<ConnectionDraft>({
    ...emptyConnection(),
    ...(i.settings.connection
      ? {
          url: i.settings.connection.url,
          database: i.settings.connection.database,
          user: i.settings.connection.user,
          category: i.settings.connection.category ?? '',
        }
      : {}),
    interval: String(i.settings.intervalMinutes),
  });
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const created = new URLSearchParams(window.location.search).get('created') === '1';
  const save = async (e?: FormEvent, patch?: Pick<Settings, 'fileType'>) => {
    e?.preventDefault();
    // A changed rule settles every item again: on a large integration that takes a while.
    setSaving(true);
    onSaved(null);
    try {
      const rules: Record<string, FieldRule> = {};
      const all = { ...i.settings.rules, ...settings.rules };
      for (const f of Object.keys(all)) rules[f] = settings.rules[f] ?? 'two-way';
      const body = patch ?? {
        ignoreLeadingZeros: settings.ignoreLeadingZeros,
        syncContactPerson: settings.syncContactPerson,
        remoteDelete: settings.remoteDelete,
        rules,
        ...(live ? connectionBody(connection, i.entity === 'customer') : {}),
      };
      const answer = await integrations.update(i.name, body);
      setError(null);
      onSaved({ form: patch ? 'fileType' : 'settings', changed: answer.changed });
      await client.invalidateQueries({ queryKey: ['integration', i.name] });
      await client.invalidateQueries({ queryKey: ['integrations'] });
      await client.invalidateQueries({ queryKey: ['connection', i.name] }); // tried again with the new settings
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  const fields = FIELDS_OF[i.entity];
  return (
    // Any edit takes the last save's confirmation away: it no longer describes what the form shows.
    <section onChange={() => saved && onSaved(null)}>
      <p className="breadcrumb">
        <Link to="/integrations">{t('integrations.title')}</Link> ›
      </p>
      <h1>
        {i.name}{' '}
        <span className="muted heading-note">
          · {t(`entity.${i.entity}`)} · {t(i.source === 'file' ? 'source.file' : 'source.tryton')}
        </span>
      </h1>
      {created && !saved && <Notice kind="success">{t('integrations.created')}</Notice>}
      {live && <SyncPanel name={i.name} />}
      <form onSubmit={(e) => void save(e)}>
        {live && (
          <fieldset disabled={!admin}>
            <legend>{t('live.connection')}</legend>
            <ConnectionFields
              draft={connection}
              onChange={setConnection}
              customers={i.entity === 'customer'}
              passwordStored
            />
          </fieldset>
        )}
        <fieldset disabled={!admin}>
          <legend>{title}</legend>
          <Checkbox
            label={t('integrations.ignoreLeadingZeros')}
            checked={settings.ignoreLeadingZeros}
            onChange={(v) => setSettings({ ...settings, ignoreLeadingZeros: v })}
          />
          {i.entity === 'customer' && (
            <Checkbox
              label={t('integrations.syncContactPerson')}
              checked={settings.syncContactPerson}
              onChange={(v) => setSettings({ ...settings, syncContactPerson: v })}
            />
          )}
          {i.writable && (
            <SelectField
              label={t('integrations.remoteDelete')}
              value={settings.remoteDelete}
              onChange={(v) => setSettings({ ...settings, remoteDelete: v })}
              options={[
                { value: 'delete', label: t('integrations.remoteDelete.delete') },
                { value: 'deactivate', label: t('integrations.remoteDelete.deactivate') },
              ]}
            />
          )}
        </fieldset>
        <fieldset disabled={!admin}>
          <legend>{t('integrations.rules')}</legend>
          <div className="table-wrap fit">
            <table className="rules">
              <thead>
                <tr>
                  <th scope="col">{t('item.field')}</th>
                  <th scope="col">{t('integrations.rule')}</th>
                </tr>
              </thead>
              <tbody>
                {fields.map((f) => (
                  <tr key={f}>
                    <th scope="row">
                      <label htmlFor={`rule-${f}`}>{fieldLabel(f)}</label>
                    </th>
                    <td>
                      <select
                        id={`rule-${f}`}
                        value={settings.rules[f] ?? 'two-way'}
                        onChange={(e) =>
                          setSettings({
                            ...settings,
                            rules: { ...settings.rules, [f]: e.target.value as FieldRule },
                          })
                        }
                      >
                        {FIELD_RULES.map((r) => (
                          <option key={r} value={r}>
                            {t(`rule.${r}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>
        <ErrorMessage error={error} />
        {admin && (
          <div className="buttons left">
            <button type="submit" className="primary" disabled={saving}>
              {t('common.save')}
            </button>
            {saving && (
              <span className="muted" role="status">
                {t('integrations.saving')}
              </span>
            )}
            {!saving && saved?.form === 'settings' && <SavedNote changed={saved.changed} />}
          </div>
        )}
      </form>
      {i.source === 'file' && (
        <FileTypeEditor
          entity={i.entity}
          current={i.settings.fileType}
          readOnly={!admin}
          saved={saved?.form === 'fileType' ? <SavedNote changed={saved.changed} /> : null}
          onSave={(fileType) => save(undefined, { fileType })}
        />
      )}
    </section>
  );
}

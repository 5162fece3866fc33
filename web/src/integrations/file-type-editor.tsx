/**
 * A custom file type (FORMATS.md): upload a sample file, read its header row, and map each header to
 * a field (the server proposes the standard field a header names); date format, delimiter, encoding.
 */
import type { FormEvent, ReactNode } from 'react';
import { useId, useRef, useState } from 'react';
import { FIELDS_OF } from '../../../src/core/fields.js';
import { files } from '../api/endpoints.js';
import type { Entity, FileType } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { SelectField, TextField, useFieldLabel } from '../ui/ui.js';
import { ErrorMessage } from '../ui/errors.js';

const DELIMITERS = ['', ',', ';', '\t'] as const;
const ENCODINGS = ['', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;

export function FileTypeEditor({
  entity,
  current,
  readOnly,
  saved,
  onSave,
}: {
  entity: Entity;
  current: FileType | null;
  readOnly: boolean;
  /** The confirmation of the last save, shown beside the buttons. */
  saved?: ReactNode;
  onSave: (fileType: FileType | null) => Promise<void>;
}) {
  const { t } = useI18n();
  const fieldLabel = useFieldLabel();
  const sampleId = useId();
  const sampleInput = useRef<HTMLInputElement>(null);
  const [sampleName, setSampleName] = useState('');
  const [name, setName] = useState(current?.name ?? '');
  const [columns, setColumns] = useState<[string, string][]>(Object.entries(current?.columns ?? {}));
  const [dateFormat, setDateFormat] = useState(current?.dateFormat ?? '');
  const [delimiter, setDelimiter] = useState<(typeof DELIMITERS)[number]>(current?.delimiter ?? '');
  const [encoding, setEncoding] = useState<(typeof ENCODINGS)[number]>(current?.encoding ?? '');
  const [error, setError] = useState<unknown>(null);
  const [noHeaders, setNoHeaders] = useState(false);

  const readSample = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    try {
      const { upload } = await files.upload(file);
      const answer = await files.headers(upload.id, entity);
      setNoHeaders(answer.headers.length === 0);
      setColumns(answer.headers.map((h) => [h.header, h.field ?? '']));
      if (!name) setName(file.name.replace(/\.[^.]+$/, ''));
    } catch (err) {
      setError(err);
    }
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const mapped = Object.fromEntries(columns.filter(([, f]) => f !== ''));
    const fileType: FileType = {
      name: name.trim(),
      entity,
      columns: mapped,
      ...(dateFormat.trim() ? { dateFormat: dateFormat.trim() } : {}),
      ...(delimiter ? { delimiter } : {}),
      ...(encoding ? { encoding } : {}),
    };
    try {
      await onSave(fileType);
    } catch (err) {
      setError(err);
    }
  };
  const fieldOptions = [
    { value: '', label: t('integrations.fileType.unused') },
    ...FIELDS_OF[entity].map((f) => ({ value: f as string, label: fieldLabel(f) })),
  ];
  return (
    <form onSubmit={(e) => void submit(e)} className="file-type">
      <fieldset disabled={readOnly}>
        <legend>{t('integrations.fileType.edit')}</legend>
        <p className="muted">
          {current
            ? t('integrations.fileType.custom', { name: current.name })
            : t('integrations.fileType.standard')}
        </p>
        <div className="field">
          <label htmlFor={sampleId}>{t('integrations.fileType.sample')}</label>
          <div>
            <input
              ref={sampleInput}
              id={sampleId}
              type="file"
              className="visually-hidden"
              accept=".csv,.xlsx"
              onChange={(e) => {
                setSampleName(e.target.files?.[0]?.name ?? '');
                void readSample(e.target.files?.[0]);
              }}
            />
            <button type="button" onClick={() => sampleInput.current?.click()}>
              {t('import.choose')}
            </button>{' '}
            <span className="muted">{sampleName}</span>
          </div>
        </div>
        {noHeaders && <p className="message warning">{t('integrations.fileType.noHeaders')}</p>}
        <TextField label={t('integrations.fileType.name')} value={name} onChange={setName} />
        {columns.length > 0 && (
          <div className="table-wrap">
            <table className="mapping">
              <thead>
                <tr>
                  <th scope="col">{t('integrations.fileType.header')}</th>
                  <th scope="col">{t('integrations.fileType.field')}</th>
                </tr>
              </thead>
              <tbody>
                {columns.map(([header, field], index) => (
                  <tr key={header}>
                    <th scope="row">
                      <label htmlFor={`map-${index}`}>{header}</label>
                    </th>
                    <td>
                      <select
                        id={`map-${index}`}
                        value={field}
                        onChange={(e) =>
                          setColumns(columns.map((c, i) => (i === index ? [c[0], e.target.value] : c)))
                        }
                      >
                        {fieldOptions.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="toolbar">
          <TextField
            label={t('integrations.fileType.dateFormat')}
            value={dateFormat}
            onChange={setDateFormat}
          />
          <SelectField
            label={t('integrations.fileType.delimiter')}
            value={delimiter}
            onChange={setDelimiter}
            options={DELIMITERS.map((d) => ({
              value: d,
              label: d === '' ? t('integrations.fileType.auto') : d === '\t' ? 'TAB' : d,
            }))}
          />
          <SelectField
            label={t('integrations.fileType.encoding')}
            value={encoding}
            onChange={setEncoding}
            options={ENCODINGS.map((d) => ({
              value: d,
              label: d === '' ? t('integrations.fileType.auto') : d,
            }))}
          />
        </div>
        <ErrorMessage error={error} />
        {!readOnly && (
          <div className="buttons left">
            <button type="submit" className="primary" disabled={!name.trim() || columns.length === 0}>
              {t('common.save')}
            </button>
            {current && (
              <button type="button" onClick={() => void onSave(null)}>
                {t('integrations.fileType.remove')}
              </button>
            )}
            {saved}
          </div>
        )}
      </fieldset>
    </form>
  );
}

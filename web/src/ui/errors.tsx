/**
 * A failed request in the user's words: by the server's error code, and a file that cannot be read by
 * the reason its details give.
 */
import { findFieldDef } from '../../../src/core/fields.js';
import type { FieldIssue } from '../api/http.js';
import { ApiError, fieldIssues } from '../api/http.js';
import type { Entity } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * One field's problem in words, with the bound it missed: the server's (`maximum` of a request field)
 * or, for a record's value (`too_long` carries none), the field catalogue's for `entity`.
 */
export function useIssueText() {
  const { t, tx, tp, lang } = useI18n();
  return (issue: FieldIssue, entity?: Entity): string => {
    const name = issue.path.split('.').pop() ?? issue.path;
    const def = entity && issue.code === 'too_long' ? findFieldDef(entity, name) : undefined;
    const bound =
      issue.origin === 'string' && issue.code === 'too_small' && issue.minimum !== undefined
        ? tp('problem.tooShortChars', issue.minimum)
        : issue.origin === 'string' && issue.code === 'too_big' && issue.maximum !== undefined
          ? tp('problem.tooLongChars', issue.maximum)
          : def?.max !== undefined
            ? tp(
                def.kind === 'digits' || def.kind === 'account'
                  ? 'problem.tooManyDigits'
                  : 'problem.tooLongChars',
                def.max,
              )
            : '';
    if (bound) return bound;
    if (issue.code) return tx(`problem.${issue.code}`, lang === 'en' ? issue.message : t('problem.invalid'));
    return lang === 'en' ? issue.message : t('problem.invalid');
  };
}

/** Who holds a number a record was refused (`duplicate_number`): the server's `details.name`. */
function holderOf(error: ApiError): string {
  const name = (error.details as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : '';
}

/** The words for a failed request, in the user's language, by the server's error code. */
function useErrorText() {
  const { t, tx, tp, lang } = useI18n();
  const issueText = useIssueText();
  return (error: unknown, entity?: Entity): { text: string; fields: string[] } => {
    if (!(error instanceof ApiError)) return { text: t('error.internal'), fields: [] };
    // A file that cannot be read is worded from its details, wholly in the user's language.
    const fileText =
      error.code === 'file_unreadable'
        ? fileErrorText(error.details, tx, lang)
        : error.code === 'too_large'
          ? limitText(error.details, tx)
          : '';
    // A refusal whose details say why in a word (`reason`, e.g. a record inactive only in its file).
    const reason = (error.details as { reason?: unknown } | null | undefined)?.reason;
    const holder = error.code === 'duplicate_number' ? holderOf(error) : '';
    const reasonText =
      !fileText && typeof reason === 'string'
        ? tx(`error.${error.code}.${reason}`, '')
        : error.code === 'file_invalid' // how many rows and problems, said once (not beside the server's sentence)
          ? invalidRowsText(error.details, tp)
          : holder
            ? t('error.duplicate_number.named', { name: holder })
            : '';
    let text =
      fileText || reasonText || tx(`error.${error.code}`, '') || t('error.unknown', { code: error.code });
    // The server's own sentence is English: shown only to English readers, where it adds detail.
    if (!fileText && !reasonText && lang === 'en' && error.message && error.code !== 'validation_failed')
      text = `${text} ${error.message}`;
    const fields = fieldIssues(error).map((issue) => {
      const name = issue.path.split('.').pop() ?? issue.path;
      return t('error.field', { field: tx(`field.${name}`, name), reason: issueText(issue, entity) });
    });
    return { text, fields };
  };
}

/** Invalid rows refused a file: how many, and how many problems (`details.invalidRows`, `problemCount`). */
function invalidRowsText(details: unknown, tp: ReturnType<typeof useI18n>['tp']): string {
  const d = (details ?? {}) as { invalidRows?: unknown; problemCount?: unknown };
  if (typeof d.invalidRows !== 'number') return '';
  const problems =
    typeof d.problemCount === 'number' ? tp('error.file_invalid.problems', d.problemCount) : '';
  return tp('error.file_invalid.rows', d.invalidRows, { problems: problems && ` (${problems})` });
}

/** The expected headers with the one of the user's language first. */
const ownFirst = (expected: readonly string[], own: string | undefined): readonly string[] =>
  own && expected.includes(own) ? [own, ...expected.filter((h) => h !== own)] : expected;

/** A request or file over the server's limit, naming the limit (`details.limitBytes`) in MB. */
function limitText(details: unknown, tx: ReturnType<typeof useI18n>['tx']): string {
  const bytes = (details as { limitBytes?: unknown } | null)?.limitBytes;
  if (typeof bytes !== 'number') return '';
  const limit = `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  return tx('error.too_large_limit', '', { limit });
}

/**
 * A file that cannot be read, in the user's words: the server's details name why (`reason`) and, for a
 * missing column, its field and the worksheet read. `''` when the reason is not known here.
 */
function fileErrorText(
  details: unknown,
  tx: ReturnType<typeof useI18n>['tx'],
  lang: ReturnType<typeof useI18n>['lang'],
): string {
  const d = (details ?? {}) as {
    reason?: string;
    row?: number;
    column?: string;
    field?: string;
    sheet?: string;
    sheets?: string[];
    expected?: string[];
    expectedIn?: Partial<Record<string, string>>;
    otherKind?: string;
  };
  if (!d.reason) return '';
  const vars = {
    row: String(d.row ?? ''),
    column: d.column ?? '',
    field: d.field ? tx(`field.${d.field}`, d.field) : '',
    sheet: d.sheet ?? '',
    expected: ownFirst(d.expected ?? [], d.expectedIn?.[lang])
      .map((text) => tx('error.file.quote', '', { text }))
      .join(', '),
  };
  const key = d.reason === 'missing_column' && d.sheet ? 'missing_column_sheet' : d.reason;
  const said = tx(`error.file.${key}`, '', vars);
  // A customer file for employees (or the other way round): say so, it is the likely mistake.
  const text = said && d.otherKind ? `${said} ${tx(`error.file.other_kind.${d.otherKind}`, '')}` : said;
  if (!text || !d.sheets?.length || d.reason === 'duplicate_header') return text;
  const sheets = d.sheets.map((text) => tx('error.file.quote', '', { text })).join(', ');
  return `${text} ${tx('error.file.other_sheets', '', { sheets })}`;
}

export function ErrorMessage({
  error,
  entity,
  about,
}: {
  error: unknown;
  /** The kind of record the request was about: a value too long is said with its field's maximum. */
  entity?: Entity | undefined;
  /** Whom the refusal is about ("1004 Anna Müller"), said first. */
  about?: string | undefined;
}) {
  const describe = useErrorText();
  if (!error) return null;
  const { text, fields } = describe(error, entity);
  return (
    <div className="message error" role="alert">
      <p>{about ? `${about}: ${text}` : text}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

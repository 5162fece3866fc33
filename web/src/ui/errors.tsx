/**
 * A failed request in the user's words: by the server's error code, and a file that cannot be read by
 * the reason its details give.
 */
import { ApiError, fieldIssues } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';

/** The words for a failed request, in the user's language, by the server's error code. */
function useErrorText() {
  const { t, tx, tp, lang } = useI18n();
  return (error: unknown): { text: string; fields: string[] } => {
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
    const reasonText =
      !fileText && typeof reason === 'string'
        ? tx(`error.${error.code}.${reason}`, '')
        : error.code === 'file_invalid' && lang !== 'en' // English: the server's sentence says it
          ? invalidRowsText(error.details, tp)
          : '';
    let text =
      fileText || reasonText || tx(`error.${error.code}`, '') || t('error.unknown', { code: error.code });
    // The server's own sentence is English: shown only to English readers, where it adds detail.
    if (!fileText && !reasonText && lang === 'en' && error.message && error.code !== 'validation_failed')
      text = `${text} ${error.message}`;
    const fields = fieldIssues(error).map((issue) => {
      const name = issue.path.split('.').pop() ?? issue.path;
      const field = tx(`field.${name}`, name);
      // A length missed: said with the bound ("is too short (at least 10 characters)").
      const bound =
        issue.origin === 'string' && issue.code === 'too_small' && issue.minimum !== undefined
          ? tp('problem.tooShortChars', issue.minimum)
          : issue.origin === 'string' && issue.code === 'too_big' && issue.maximum !== undefined
            ? tp('problem.tooLongChars', issue.maximum)
            : '';
      const reason =
        bound ||
        (issue.code
          ? tx(`problem.${issue.code}`, lang === 'en' ? issue.message : t('problem.invalid'))
          : lang === 'en'
            ? issue.message
            : t('problem.invalid'));
      return t('error.field', { field, reason });
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

export function ErrorMessage({ error }: { error: unknown }) {
  const describe = useErrorText();
  if (!error) return null;
  const { text, fields } = describe(error);
  return (
    <div className="message error" role="alert">
      <p>{text}</p>
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

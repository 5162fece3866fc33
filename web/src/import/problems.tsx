/**
 * The validation report and warnings of an import as tables (row as Excel numbers it, column, value,
 * reason in the user's language), the report as a CSV download, and the note a cut-off table carries.
 */
import { useCallback, useEffect, useMemo } from 'react';
import type { RunReport } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { reportCsv } from './report-csv.js';

type RowProblem = RunReport['problems'][number];

/** Tables list this many rows; the run report itself lists the first 500 planned changes. */
export const LISTED = 500;

/** Says that a table shows only its first rows: nothing should be cut off without a word. */
export function ListedFirst({ shown, total }: { shown: number; total: number }) {
  const { t, formatNumber } = useI18n();
  if (total <= shown) return null;
  return (
    <p className="muted">
      {t('import.listedFirst', { shown: formatNumber(shown), total: formatNumber(total) })}
    </p>
  );
}

/**
 * The validation report: row (as Excel numbers it), column, value, reason; downloadable as CSV in the
 * user's language, as shown (`report-csv.ts`).
 */
export function Problems({ problems, total }: { problems: readonly RowProblem[]; total: number }) {
  const { t, lang } = useI18n();
  const reasonOf = useReasonOf();
  const href = useMemo(() => {
    if (problems.length === 0) return '';
    const headers = [t('import.row'), t('import.column'), t('import.value'), t('import.reason')] as const;
    const text = reportCsv(problems, lang, headers, reasonOf);
    return URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  }, [problems, lang, t, reasonOf]);
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  if (problems.length === 0) return <p>{t('import.problemsNone')}</p>;
  return (
    <>
      <p>
        <a className="button" href={href} download={`${t('import.reportFile')}.csv`}>
          {t('import.problemsDownload')}
        </a>
      </p>
      <ProblemTable rows={problems} total={total} />
    </>
  );
}

type Reasoned = {
  code: string;
  reason: string;
  readAs?: string | undefined;
  params?: Readonly<Record<string, string>> | undefined;
};

/**
 * A problem's reason worded from its code, with what `params` tells filled in where the language has a
 * wording for it (`problem.too_long.characters`: "… {max} Zeichen"); on an English screen the server's
 * sentence for a problem with params, and for a code without a wording.
 */
function useReasonOf(): (p: Reasoned) => string {
  const { t, tx, lang } = useI18n();
  return useCallback(
    (p) => {
      // A problem with params: the server's sentence says them (a warning's message names its row too).
      if (lang === 'en' && p.params) return p.reason;
      const vars = { readAs: p.readAs ?? '', ...p.params };
      const detailed = p.params ? tx(`problem.${p.code}.${variantOf(p.code, p.params)}`, '', vars) : '';
      return detailed || tx(`problem.${p.code}`, lang === 'en' ? p.reason : t('problem.invalid'), vars);
    },
    [t, tx, lang],
  );
}

/** Which worded variant of a code `params` fill: a maximum in characters or digits, other rows, counts. */
function variantOf(code: string, params: Readonly<Record<string, string>>): string {
  if (code === 'too_long') return params.unit ?? '';
  if (code === 'duplicate_in_file') return 'rows';
  if (code === 'too_few_cells') return 'counted';
  return '';
}

/**
 * Row problems and warnings alike: row, column, value and the reason (`useReasonOf`). A long value
 * breaks anywhere rather than push the reason out of view.
 */
export function ProblemTable({
  rows,
  total = rows.length,
}: {
  rows: readonly {
    row: number | null;
    column: string;
    value: string;
    code: string;
    reason: string;
    readAs?: string | undefined;
    params?: Readonly<Record<string, string>> | undefined;
  }[];
  /** How many there are in all: a run keeps the first 1,000 problems of a file. */
  total?: number;
}) {
  const { t } = useI18n();
  const reasonOf = useReasonOf();
  return (
    <div className="table-wrap">
      <table className="problems">
        <thead>
          <tr>
            <th scope="col">{t('import.row')}</th>
            <th scope="col">{t('import.column')}</th>
            <th scope="col">{t('import.value')}</th>
            <th scope="col">{t('import.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, LISTED).map((p, i) => (
            <tr key={i}>
              <td className="num">{p.row ?? ''}</td>
              <td>{p.column}</td>
              <td>{p.value}</td>
              <td>{reasonOf(p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListedFirst shown={Math.min(rows.length, LISTED)} total={total} />
    </div>
  );
}

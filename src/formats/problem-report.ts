/**
 * The validation report as CSV for scripts (the CLI's `--report`, `GET /api/jobs/:id/report.csv`):
 * English headers, `,` between cells, each problem's stable code beside its English reason; UTF-8 with
 * a BOM, so Excel reads the umlauts. The web app writes its own in the user's language.
 */
import type { RowProblem } from '../core/port.js';
import { csvLine } from '../core/csv-text.js';

export function problemReportCsv(problems: readonly RowProblem[]): string {
  const lines = problems.map((p) =>
    csvLine([String(p.row), p.column, p.field ?? '', p.value, p.code, p.reason], ','),
  );
  return `\uFEFF${csvLine(['row', 'column', 'field', 'value', 'code', 'reason'], ',')}${lines.join('')}`;
}

/** Printing: JSON for scripts, aligned tables and short sentences for people, errors on stderr; asking on a terminal. */
import { createInterface } from 'node:readline/promises';
import { AbgleichError, ERRORS } from '../core/errors.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** An aligned table; cells are cut at `max` characters. */
export function printTable(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
  max = 40,
): void {
  const cells = [
    headers,
    ...rows.map((r) => r.map((c) => cut(c === null || c === undefined ? '' : String(c), max))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c + ' '.repeat(Math.max(0, widths[i]! - [...c].length)))
      .join('  ')
      .trimEnd();
  printLine(line(headers));
  printLine(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) printLine(line(r as string[]));
}

const cut = (s: string, max: number): string =>
  [...s].length > max ? `${[...s].slice(0, max - 1).join('')}…` : s;

/** Print an error (JSON on stdout when `json`, a readable message on stderr otherwise); return its exit code. */
export function reportError(error: unknown, json: boolean): number {
  const e =
    error instanceof AbgleichError
      ? error
      : new AbgleichError(
          'internal',
          error instanceof Error ? error.message : String(error),
          error instanceof Error ? { stack: error.stack } : undefined,
        );
  if (json) {
    printJson({ error: { code: e.code, message: e.message, details: e.details ?? null } });
  } else {
    process.stderr.write(`abgleich: ${e.message} [${e.code}]\n`);
    for (const line of describeDetails(e.details)) process.stderr.write(`  ${line}\n`);
  }
  return ERRORS[e.code].exit;
}

/** A file row's problem ("row 3, column …"; a row-wide one without a column) or a field's. */
export function describeProblem(p: Record<string, unknown>): string {
  const value = p.value === undefined || p.value === '' ? '' : `"${String(p.value)}" `;
  if (p.row === undefined) return `${String(p.field)}: ${value}${String(p.reason ?? p.message ?? '')}`;
  const where =
    p.column === '' ? `row ${String(p.row)}` : `row ${String(p.row)}, column "${String(p.column)}"`;
  return `${where}: ${value}${String(p.reason)}`;
}

function describeDetails(details: unknown): string[] {
  if (!details || typeof details !== 'object') return [];
  const d = details as { problems?: unknown; problemCount?: unknown; fields?: unknown };
  const list = Array.isArray(d.problems) ? d.problems : Array.isArray(d.fields) ? d.fields : [];
  const lines = list.slice(0, 50).map(describeProblem);
  // A refused file's details hold its first 1,000 problems and count them all (`problemCount`).
  const total = typeof d.problemCount === 'number' ? d.problemCount : list.length;
  if (total > 50) {
    const where =
      typeof d.problemCount !== 'number'
        ? 'use --json for all'
        : total > list.length
          ? `--report FILE or --json list the first ${list.length.toLocaleString('en')}`
          : '--report FILE or --json list them all';
    lines.push(`… and ${(total - 50).toLocaleString('en')} more (${where})`);
  }
  return lines;
}

/** A one-line progress bar on stderr, redrawn at most every 100 ms. */
export class ProgressBar {
  private last = 0;
  private readonly started = Date.now();
  constructor(
    private readonly label: string,
    private readonly enabled: boolean,
  ) {}

  update(rows: number, fraction: number | undefined, unit = 'rows'): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && fraction !== 1) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? Math.round(rows / secs) : 0;
    const width = 30;
    const bar =
      fraction === undefined
        ? ''
        : `[${'█'.repeat(Math.round(fraction * width)).padEnd(width, '░')}] ${String(Math.round(fraction * 100)).padStart(3)}% `;
    process.stderr.write(
      `\r${this.label} ${bar}${rows.toLocaleString('en')} ${unit}, ${rate.toLocaleString('en')}/s `,
    );
  }

  done(): void {
    if (this.enabled) process.stderr.write('\n');
  }
}

/** One line typed on the terminal after `question` (written to stderr, so stdout stays the result). */
export async function askLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

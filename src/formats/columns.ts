/**
 * From a file's header row to its columns: which field each column holds, which headers are unknown
 * (warnings) and whether the file can be read at all (number and name present, no field twice).
 */
import type { EntityKind, FieldName } from '../core/fields.js';
import { FileReadError } from './file-error.js';
import type { FileType } from './file-type.js';
import type { NameCompletion, NamePart } from './headers.js';
import {
  findNameCompletion,
  findNamePart,
  findStandardField,
  getHeader,
  headerKey,
  headersOf,
  LANGUAGES,
} from './headers.js';

/** One column of the file; `index` is 0-based, `header` as written in the file (trimmed). */
export interface Column {
  readonly index: number;
  readonly header: string;
  readonly field: FieldName | null;
  /** A column holding part of the name ("Vorname", "Nachname"): its field is `name`. */
  readonly part?: NamePart;
}

export const HEADER_WARNING_CODES = ['unknown_header', 'empty_header', 'title_rows'] as const;
export type HeaderWarningCode = (typeof HEADER_WARNING_CODES)[number];

export interface HeaderWarning {
  readonly code: HeaderWarningCode;
  /** The header as written, or `column N` for a column without one. */
  readonly column: string;
  readonly message: string;
}

/** What the header row says: the columns read, the fields present, and what was ignored. */
export interface HeaderResult {
  /** The row the header stands on (1 unless blank rows precede it). */
  readonly row: number;
  /** Every column of the header row, known or not. */
  readonly columns: readonly Column[];
  /** The fields the file carries, in catalogue-independent column order. */
  readonly fields: readonly FieldName[];
  readonly warnings: readonly HeaderWarning[];
}

/** Resolve the header cells of `file` under `fileType`; throws FileReadError when it cannot be read. */
export function resolveHeader(
  file: string,
  row: number,
  cells: readonly string[],
  fileType: FileType,
): HeaderResult {
  const lookup = fieldLookup(fileType);
  const lastNonEmpty = cells.findLastIndex((c) => c.trim() !== '');
  const columns: Column[] = [];
  const warnings: HeaderWarning[] = [];
  const byField = new Map<FieldName, Column>();
  const parts = new Map<NamePart, Column>();
  cells.forEach((cell, index) => {
    const header = cell.trim().replace(/\s+/g, ' ');
    const field = header === '' ? undefined : lookup(header);
    const part = field === undefined && header !== '' && !fileType.columns ? findNamePart(header) : undefined;
    columns.push({ index, header, field: field ?? null, ...(part ? { part } : {}) });
    if (header === '') {
      if (index < lastNonEmpty) warnings.push(emptyHeader(index));
      return;
    }
    if (part) {
      const earlier = parts.get(part);
      if (earlier) {
        const message = `columns "${earlier.header}" and "${header}" both hold the ${part} name`;
        throw new FileReadError('duplicate_header', { file, row, column: header }, message);
      }
      parts.set(part, { index, header, field: 'name', part });
      return;
    }
    if (field === undefined) {
      warnings.push({
        code: 'unknown_header',
        column: header,
        message: `unknown column "${header}" is ignored`,
      });
      return;
    }
    const earlier = byField.get(field);
    if (earlier) {
      const message = `columns "${earlier.header}" and "${header}" both hold ${field}`;
      throw new FileReadError('duplicate_header', { file, row, column: header }, message);
    }
    byField.set(field, { index, header, field });
  });
  const named = nameFromParts(columns, parts, byField.has('name'), warnings);
  if (named) byField.set('name', named);
  if (!byField.has('number')) throw missingColumn(file, row, fileType, 'number', cells);
  const half = halfName(byField.get('name'), parts, fileType.entity);
  if (half) throw halfNameError(file, row, fileType, half);
  if (!byField.has('name')) throw missingColumn(file, row, fileType, 'name', cells);
  return { row, columns: named ? columns : columns.map(withoutPart), fields: [...byField.keys()], warnings };
}

/**
 * A file without a name column whose name is written in both parts ("Vorname", "Nachname"): those
 * columns become the name (`columns` is changed in place). With a name column they are unknown columns;
 * one part alone is not the name (`halfName`).
 */
function nameFromParts(
  columns: Column[],
  parts: ReadonlyMap<NamePart, Column>,
  hasName: boolean,
  warnings: HeaderWarning[],
): Column | undefined {
  if (parts.size === 0) return undefined;
  if (hasName) {
    for (const c of parts.values())
      warnings.push({
        code: 'unknown_header',
        column: c.header,
        message: `column "${c.header}" is ignored: the file has a name column`,
      });
    return undefined;
  }
  const first = parts.get('first');
  const last = parts.get('last');
  if (!first || !last) return undefined;
  columns[first.index] = first;
  columns[last.index] = last;
  return last;
}

/** A column holding one part of the name, and the headers that would complete it. */
interface HalfName extends NameCompletion {
  readonly header: string;
}

/**
 * The column that would give the name while holding only part of it, if any: a first or last name
 * without the other and without a name column. Read as the name, it would replace the registry's
 * "Jürgen Müller" with "Jürgen" on every linked record. A custom file type's mapping is the
 * administrator's word for the layout (a "Nachname" column it maps to the name may hold whole names),
 * and names no parts.
 */
function halfName(
  name: Column | undefined,
  parts: ReadonlyMap<NamePart, Column>,
  entity: EntityKind,
): HalfName | undefined {
  const [only] = parts.values();
  if (name || parts.size !== 1 || !only) return undefined;
  const completion = findNameCompletion(entity, only.header);
  return completion ? { header: only.header, ...completion } : undefined;
}

const withoutPart = (c: Column): Column => (c.part ? { index: c.index, header: c.header, field: null } : c);

function fieldLookup(fileType: FileType): (header: string) => FieldName | undefined {
  const { columns, entity } = fileType;
  if (!columns) return (header) => findStandardField(entity, header);
  const custom = new Map(Object.entries(columns).map(([header, field]) => [headerKey(header), field]));
  return (header) => custom.get(headerKey(header));
}

function emptyHeader(index: number): HeaderWarning {
  const column = `column ${index + 1}`;
  return { code: 'empty_header', column, message: `${column} has no header and is ignored` };
}

function missingColumn(
  file: string,
  row: number,
  fileType: FileType,
  field: 'number' | 'name',
  cells: readonly string[],
): FileReadError {
  const kind = fileType.entity;
  const expected = expectedHeaders(kind, fileType, field);
  const other = fileType.columns ? undefined : otherKindOf(kind, cells);
  const message =
    `the file has no ${field} column (expected a header such as ${expected.map((h) => `"${h}"`).join(', ')})` +
    (other
      ? `; it looks like a list of ${other.kind}s (${other.headers}): import it into an integration of ${other.kind}s`
      : '');
  const expectedIn = fileType.columns
    ? undefined
    : Object.fromEntries(LANGUAGES.map((lang) => [lang, getHeader(kind, field, lang)]));
  return new FileReadError('missing_column', { file, row }, message, {
    facts: {
      field,
      expected,
      ...(expectedIn ? { expectedIn } : {}),
      ...(other ? { otherKind: other.kind } : {}),
    },
  });
}

/** A file whose only name column holds part of the name: `missing_column`, saying which part it has. */
function halfNameError(file: string, row: number, fileType: FileType, half: HalfName): FileReadError {
  const kind = fileType.entity;
  const quoted = (headers: readonly string[]) => headers.map((h) => `"${h}"`).join(', ');
  // The other part completes the name as well as a name column does.
  const expected = [...new Set([...expectedHeaders(kind, fileType, 'name'), half.otherPart])];
  const message =
    `the file has "${half.header}" but no "${half.otherPart}" and no "${half.name}" column, so the name ` +
    `cannot be read whole (expected a header such as ${quoted(expected)})`;
  const expectedIn = Object.fromEntries(LANGUAGES.map((lang) => [lang, getHeader(kind, 'name', lang)]));
  return new FileReadError('missing_column', { file, row, column: half.header }, message, {
    facts: { field: 'name', expected, expectedIn },
  });
}

/**
 * A customer file chosen for an employee integration (or the other way round): its header has the
 * other kind's number and name columns ("Kundennr.", "Kundenname"), which is worth saying.
 */
function otherKindOf(
  kind: EntityKind,
  cells: readonly string[],
): { kind: EntityKind; headers: string } | undefined {
  const other: EntityKind = kind === 'employee' ? 'customer' : 'employee';
  const found = new Map<FieldName, string>();
  for (const cell of cells) {
    const header = cell.trim().replace(/\s+/g, ' ');
    const field = header === '' ? undefined : findStandardField(other, header);
    if (field && !found.has(field)) found.set(field, header);
  }
  const number = found.get('number');
  const name = found.get('name');
  return number && name ? { kind: other, headers: `"${number}", "${name}"` } : undefined;
}

function expectedHeaders(kind: EntityKind, fileType: FileType, field: FieldName): string[] {
  const headers = fileType.columns
    ? Object.entries(fileType.columns)
        .filter(([, f]) => f === field)
        .map(([header]) => header)
    : LANGUAGES.map((lang) => getHeader(kind, field, lang));
  const unique = [...new Set(headers.length > 0 ? headers : headersOf(kind, field))];
  return unique;
}

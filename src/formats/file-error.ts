/**
 * A file that cannot be read at all. Bad rows are not errors (they come back as problems); a file
 * without a header, with a duplicated header or that is no CSV/XLSX is. The catalogue code is always
 * `file_unreadable`; `reason` says which of these it is, stably.
 */
import { AbgleichError } from '../core/errors.js';
import type { Language } from './headers.js';

export const FILE_ERROR_REASONS = [
  'empty_file',
  'missing_column',
  'duplicate_header',
  'unclosed_quote',
  'cell_too_long',
  'unknown_column',
  'sheet_not_found',
  'corrupt_xlsx',
  'unsupported_format',
  'encoding',
  'io',
] as const;
export type FileErrorReason = (typeof FILE_ERROR_REASONS)[number];

/** Where in the file the failure lies; `row` and `column` as the user sees them (header = row 1). */
export interface FileErrorPlace {
  readonly file: string;
  readonly row?: number;
  readonly column?: string;
}

/**
 * What a user interface needs to say it in other words than the English `detail`: the missing column's
 * field, the worksheet read and the workbook's others. They go into the error's details.
 */
export interface FileErrorFacts {
  readonly field?: string;
  /** A missing column: headers that would have been taken for it. */
  readonly expected?: readonly string[];
  /** Of those, the standard header of each language (absent for a custom file type): a UI names its own first. */
  readonly expectedIn?: Readonly<Partial<Record<Language, string>>>;
  readonly sheet?: string;
  readonly sheets?: readonly string[];
  /** A missing column: the file has the number and name columns of this other kind (a customer file). */
  readonly otherKind?: string;
}

/** `name` stays 'AbgleichError' (the base fixes it); tell it apart with `instanceof` or `reason`. */
export class FileReadError extends AbgleichError {
  readonly facts: FileErrorFacts;
  constructor(
    readonly reason: FileErrorReason,
    readonly place: FileErrorPlace,
    /** What is wrong, without the place. */
    readonly detail: string,
    options?: { cause?: unknown; facts?: FileErrorFacts },
  ) {
    super('file_unreadable', `${describePlace(place)}: ${detail}`, { reason, ...place, ...options?.facts });
    this.facts = options?.facts ?? {};
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** A file with no header row: nothing at all, or only blank lines. The upload and the import say it alike. */
export function emptyFileError(file: string): FileReadError {
  return new FileReadError('empty_file', { file }, 'the file is empty: it has no header row');
}

function describePlace(place: FileErrorPlace): string {
  let text = place.file;
  if (place.row !== undefined) text += `, row ${place.row}`;
  if (place.column !== undefined) text += `, column "${place.column}"`;
  return text;
}

/** Reading and writing Abgleich files (FORMATS.md): the public face of `src/formats`. */
export type { Column, HeaderResult, HeaderWarning, HeaderWarningCode } from './columns.js';
export { FILE_ERROR_REASONS, FileReadError } from './file-error.js';
export type { FileErrorPlace, FileErrorReason } from './file-error.js';
export {
  DATE_FORMATS,
  DELIMITERS,
  ENCODINGS,
  fileTypeSchema,
  parseFileType,
  standardFileType,
  STANDARD_FILE_TYPE_NAME,
} from './file-type.js';
export type { DateFormat, Delimiter, Encoding, FileType } from './file-type.js';
export { findStandardField, getHeader, headerKey, headersOf, isLanguage, LANGUAGES } from './headers.js';
export type { Language } from './headers.js';
export { FILE_FORMATS, readRecords } from './read.js';
export type { FileFormat, ReadInput, ReadOptions, RecordFile } from './read.js';
export type { ReadRow, RowProblem } from './rows.js';
export { defaultDelimiter, writeRecords } from './write.js';
export type { WriteOptions, WriteResult } from './write.js';

/**
 * A file type (FORMATS.md "Custom file types"): the mapping used to read and write one layout of file.
 * The standard Abgleich format is the built-in file type: headers from the catalogue in `headers.ts`.
 */
import { z } from 'zod';
import { ENTITY_KINDS, FIELDS_OF } from '../core/fields.js';
import type { EntityKind, FieldName } from '../core/fields.js';
import { headerKey } from './headers.js';

export const DATE_FORMATS = [
  'DD.MM.YYYY',
  'DD/MM/YYYY',
  'DD-MM-YYYY',
  'MM/DD/YYYY',
  'YYYY-MM-DD',
  'YYYYMMDD',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface FileType {
  readonly name: string;
  readonly entity: EntityKind;
  /** Header as written in the file → field. Absent: the standard format's headers (any language). */
  readonly columns?: Readonly<Record<string, FieldName>>;
  /** How dates are written in this layout; read before the standard forms, used when writing. */
  readonly dateFormat?: DateFormat;
  /** CSV only. Absent: detected from the header line when reading; by language when writing. */
  readonly delimiter?: Delimiter;
  /** CSV only. Absent: detected when reading (BOM, then strict UTF-8, else Windows-1252); UTF-8 when writing. */
  readonly encoding?: Encoding;
  /** XLSX only: the worksheet to read. Absent: the first. */
  readonly sheet?: string;
}

export const STANDARD_FILE_TYPE_NAME = 'standard';

/** The built-in file type of `entity`: the Abgleich format of FORMATS.md. */
export function standardFileType(entity: EntityKind): FileType {
  return { name: STANDARD_FILE_TYPE_NAME, entity };
}

export const fileTypeSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    entity: z.enum(ENTITY_KINDS),
    columns: z.record(z.string().trim().min(1), z.string()).optional(),
    dateFormat: z.enum(DATE_FORMATS).optional(),
    delimiter: z.enum(DELIMITERS).optional(),
    encoding: z.enum(ENCODINGS).optional(),
    sheet: z.string().min(1).optional(),
  })
  .superRefine((value, ctx) => {
    if (!value.columns) return;
    const fields = FIELDS_OF[value.entity] as readonly string[];
    const seen = new Map<string, string>();
    for (const [header, field] of Object.entries(value.columns)) {
      if (!fields.includes(field)) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', header],
          message: `${value.entity} has no field "${field}"`,
        });
      }
      const key = headerKey(header);
      const other = seen.get(key);
      if (other !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', header],
          message: `reads the same as header "${other}"`,
        });
      }
      seen.set(key, header);
    }
    for (const required of ['number', 'name']) {
      if (!Object.values(value.columns).includes(required)) {
        ctx.addIssue({ code: 'custom', path: ['columns'], message: `no column is mapped to "${required}"` });
      }
    }
  });

/** Parse a stored or submitted file type; throws a ZodError naming every problem. */
export function parseFileType(input: unknown): FileType {
  return fileTypeSchema.parse(input) as FileType;
}

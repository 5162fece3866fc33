/** The shapes the screens read, from the shared contracts (`src/api/`). */
import type {
  ActionResult,
  AuditEntry,
  Counts,
  FileTypeView,
  IntegrationView,
  ItemDetail,
  ItemView,
  Job,
  RecordView,
  RunReportView,
  Target,
  User,
} from '../../../src/api/schemas.js';
import type { z } from 'zod';
import type { ResultOf } from '../../../src/api/contract.js';
import type { undo as undoEndpoint } from '../../../src/api/history.js';
import type { settingsSchema } from '../../../src/api/schemas.js';
import { CATEGORIES as CORE_CATEGORIES, FIELD_RULES as CORE_RULES } from '../../../src/core/model.js';
import type { Category, FieldRule } from '../../../src/core/model.js';

export type {
  ActionResult,
  AuditEntry,
  Category,
  Counts,
  FieldRule,
  ItemDetail,
  Job,
  RecordView,
  Target,
  User,
};
export type Entity = 'employee' | 'customer';
export type Side = 'local' | 'remote';
export type Item = ItemView;
export type Integration = IntegrationView;
export type FileType = FileTypeView;
export type Settings = z.infer<typeof settingsSchema>;
export type RunReport = RunReportView;
export type ItemField = ItemDetail['fields'][number];
export const CATEGORIES: readonly Category[] = CORE_CATEGORIES;
export const FIELD_RULES: readonly FieldRule[] = CORE_RULES;
/** An undo's answer: the change undone and the values left alone because they changed since. */
export type UndoResult = ResultOf<typeof undoEndpoint>;
export type UndoConflict = UndoResult['conflicts'][number];

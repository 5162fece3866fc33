/** Writing the demo's files through the same writer the export uses. */
import type { EntityKind } from '../../core/fields.js';
import { FIELDS_OF } from '../../core/fields.js';
import { standardFileType } from '../../formats/file-type.js';
import type { Language } from '../../formats/headers.js';
import { writeRecords } from '../../formats/write.js';
import { parseFields } from '../../sync/registry.js';

/** Write `rows` (raw text by field) as a file in `language`; returns the path. */
export async function writeDemoFile(
  path: string,
  entity: EntityKind,
  language: Language,
  rows: readonly Readonly<Record<string, string>>[],
): Promise<string> {
  const fields = FIELDS_OF[entity].filter((f) => rows.some((r) => r[f] !== undefined));
  await writeRecords(
    path,
    rows.map((r) => parseFields(entity, r)),
    { fileType: standardFileType(entity), language, fields },
  );
  return path;
}

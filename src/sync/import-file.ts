/** A file import (SYNC.md §6): the integration's file type, the file connector, and the run. */
import { fail } from '../core/errors.js';
import { fileConnector } from '../connectors/file/file-connector.js';
import type { FileType } from '../formats/file-type.js';
import type { ReadInput } from '../formats/read.js';
import type { App } from './app.js';
import { getIntegration } from './integrations.js';
import type { RunOptions, RunReport } from './run-report.js';
import { runSnapshot } from './run.js';

export interface ImportOptions extends RunOptions {
  /** XLSX: read this worksheet instead of the first. */
  readonly sheet?: string;
}

export async function importFile(
  app: App,
  integrationName: string,
  input: ReadInput,
  opts: ImportOptions = {},
): Promise<RunReport> {
  const integration = await getIntegration(app.db.kysely, app.workspace, integrationName);
  if (integration.source !== 'file') {
    fail('usage', `Integration "${integration.name}" reads from ${integration.source}, not from files.`);
  }
  const connector = fileConnector({
    input,
    entity: integration.entity,
    numbers: { ignoreLeadingZeros: integration.settings.ignoreLeadingZeros },
    ...(integration.settings.fileType ? { fileType: integration.settings.fileType as FileType } : {}),
    ...(opts.sheet ? { sheet: opts.sheet } : {}),
    ...(opts.source ? { name: opts.source } : {}),
  });
  const snapshot = await connector.readFull();
  return runSnapshot(app, integration.name, snapshot, {
    source: typeof input === 'string' ? input : 'upload',
    ...opts,
  });
}

/** Files the CLI writes: checked before any work, so that a wrong path refuses the command up front. */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fail } from '../core/errors.js';

/**
 * Refuse (`usage`) when `path` cannot be written: its folder is missing or not writable, or it names a
 * folder or a read-only file. `option` names the flag or argument in the message.
 */
export function assertWritable(path: string, option: string): void {
  const full = resolve(path);
  const folder = dirname(full);
  const refuse = (why: string): never =>
    fail('usage', `${option}: cannot write ${path}: ${why}. Nothing was done.`, { path, option });
  const folderStat = statSync(folder, { throwIfNoEntry: false });
  if (!folderStat?.isDirectory()) refuse(`the folder ${folder} does not exist`);
  const fileStat = statSync(full, { throwIfNoEntry: false });
  if (fileStat?.isDirectory()) refuse('it is a folder');
  try {
    accessSync(fileStat ? full : folder, constants.W_OK);
  } catch {
    refuse(fileStat ? 'the file is read-only' : `the folder ${folder} is not writable`);
  }
}

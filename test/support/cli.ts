/** Running the real `abgleich` command in a child process, against a test database. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from './databases.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (throws when it is not). */
  json<T = Record<string, unknown>>(): T;
}

export const MAIN = `${ROOT}dist/cli/main.js`;

/** Runs the built command (`dist/`, built by `npm test` before the tests), as a user would. */
export function cli(
  db: TestDatabase,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test builds it first).`);
  const target = db.url.startsWith('postgres') ? ['--database-url', db.url] : ['--db', db.url];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...target, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, ABGLEICH_NOW: '2026-11-27T09:00:00Z', ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T });
      },
    );
  });
}

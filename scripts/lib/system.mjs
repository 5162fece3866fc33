/** Small facts about the machine the tests run on. */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import process from 'node:process';
import { run } from './process.mjs';

export const isRoot = () => process.getuid?.() === 0;

/**
 * Looks a user up in /etc/passwd (no `id` call, no dependency).
 *
 * @param {string} name
 * @returns {{ uid: number, gid: number } | undefined}
 */
export function findUser(name) {
  if (!existsSync('/etc/passwd')) return undefined;
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid && gid) return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** Finds an executable on PATH. */
export function findOnPath(/** @type {string} */ name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * Asks the kernel for a free TCP port on 127.0.0.1. Another process may take it before we bind it,
 * so callers retry with a new port when binding fails.
 *
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a process exists (EPERM means it exists but belongs to someone else). */
export function isAlive(/** @type {number} */ pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

let aptUpdated = false;

/**
 * Installs Debian packages, running `apt-get update` at most once per run. Root only.
 *
 * @param {readonly string[]} packages
 * @param {(line: string) => void} log
 */
export async function aptInstall(packages, log) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    log('apt-get update');
    const update = await run('apt-get', ['update'], { env });
    if (update.code !== 0) throw new Error(`apt-get update failed (exit ${update.code})`);
    aptUpdated = true;
  }
  log(`apt-get install -y --no-install-recommends ${packages.join(' ')}`);
  const install = await run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env });
  if (install.code !== 0)
    throw new Error(`apt-get install ${packages.join(' ')} failed (exit ${install.code})`);
}

/**
 * The Chromium service: Debian's `chromium` for the browser tests (playwright-core drives it; no
 * browser is ever downloaded). Nothing runs between tests, so `start` only says where it is: the
 * path reaches the tests as ABGLEICH_CHROMIUM, and each browser suite launches and closes its own.
 */
import { existsSync } from 'node:fs';
import process from 'node:process';
import { aptInstall, findOnPath, isRoot } from './system.mjs';

export const PATH_VAR = 'ABGLEICH_CHROMIUM';
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Where Chromium is installed: $ABGLEICH_CHROMIUM, the Debian path, or PATH. */
export function findChromium() {
  const fromEnv = process.env[PATH_VAR];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((p) => existsSync(p)) ?? findOnPath('chromium') ?? findOnPath('chromium-browser');
}

function missingMessage() {
  return [
    'Chromium was not found, and only root may install it. Do one of:',
    '  sudo apt-get install --no-install-recommends chromium      (Debian/Ubuntu)',
    `  export ${PATH_VAR}=/path/to/chromium                        (any Chromium or Chrome binary)`,
  ].join('\n');
}

/** @type {import('./services.mjs').Service} */
export const chromium = {
  name: 'chromium',
  needed(env) {
    return !env[PATH_VAR];
  },
  async ensure(log) {
    if (findChromium()) return;
    if (!isRoot()) throw new Error(missingMessage());
    log('Chromium is missing: installing the Debian package');
    await aptInstall(['chromium'], log);
    if (!findChromium()) throw new Error(`Installed chromium, but found no binary.\n${missingMessage()}`);
  },
  async start(log) {
    const path = findChromium();
    if (!path) throw new Error(missingMessage());
    log(`using ${path}`);
    return { [PATH_VAR]: path };
  },
  stop() {},
};

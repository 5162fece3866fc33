/**
 * Services the test suites need. Each one knows how to make itself available on this machine
 * (`ensure`), start a private instance for one run (`start`, returning the environment that points
 * the tests at it) and remove every trace of it again (`stop`).
 *
 * To add one (a Tryton server, …), write a module like ./postgres.mjs and list it below.
 */
import process from 'node:process';
import { chromium } from './chromium.mjs';
import { postgres } from './postgres.mjs';
import { tryton } from './tryton.mjs';

/**
 * @typedef {object} Service
 * @property {string} name
 * @property {(env: NodeJS.ProcessEnv) => boolean} needed
 *   False when the environment already points at an instance (then ensure/start/stop are skipped).
 * @property {(log: (line: string) => void) => Promise<void>} ensure
 *   Installs what is missing, or throws saying what the developer must install.
 * @property {(log: (line: string) => void) => Promise<Record<string, string>>} start
 *   Starts a private instance; returns variables for the test processes' environment.
 * @property {(log: (line: string) => void) => void} stop
 *   Stops the instance and removes its files. Synchronous (it also runs in an `exit` handler),
 *   idempotent, and safe after a failed or interrupted `start`.
 */

/** @type {readonly Service[]} */
export const SERVICES = [postgres, tryton, chromium];

/**
 * Ensures and starts every needed service, in order. On failure the caller still calls `stopAll`.
 *
 * @param {readonly Service[]} services
 * @param {(line: string) => void} log
 * @returns {Promise<Record<string, string>>} the variables to add to the tests' environment
 */
export async function startAll(services, log) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const service of services) {
    const prefixed = (/** @type {string} */ line) => log(`[${service.name}] ${line}`);
    if (!service.needed({ ...process.env, ...env })) {
      prefixed('already provided by the environment, not starting one');
      continue;
    }
    await service.ensure(prefixed);
    Object.assign(env, await service.start(prefixed));
  }
  return env;
}

/**
 * Stops every service, in reverse order; one failing to stop does not keep the others running.
 *
 * @param {readonly Service[]} services
 * @param {(line: string) => void} log
 */
export function stopAll(services, log) {
  for (const service of [...services].reverse()) {
    try {
      service.stop((line) => log(`[${service.name}] ${line}`));
    } catch (error) {
      log(`[${service.name}] could not stop cleanly: ${error instanceof Error ? error.message : error}`);
    }
  }
}

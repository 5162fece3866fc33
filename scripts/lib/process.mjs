/**
 * Child processes for the test runner. Every child goes through `run`, so a signal received by the
 * runner can be forwarded to whatever is running at that moment (see `forwardSignal`).
 *
 * A child started with `ownGroup` leads a process group of its own, so a forwarded signal also
 * reaches its helpers (vitest's workers), and what is left of the group after an interruption is
 * killed: nothing keeps running, or keeps a database connection open, after the runner has gone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import process from 'node:process';

/** @type {Map<import('node:child_process').ChildProcess, { ownGroup: boolean }>} */
const running = new Map();
let signalled = false;

/**
 * Runs a command to completion. With `capture`, output is collected and returned instead of shown.
 * Never throws for a non-zero exit: the caller decides what a failure means.
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, capture?: boolean, ownGroup?: boolean }} [options]
 * @returns {Promise<{ code: number, output: string }>}
 */
export function run(command, args, options = {}) {
  const { env = process.env, cwd, capture = false, ownGroup = false } = options;
  return new Promise((resolve) => {
    const stdio = capture ? ['ignore', 'pipe', 'pipe'] : 'inherit';
    const child = spawn(command, args, { env, cwd, stdio, detached: ownGroup });
    running.set(child, { ownGroup });
    let output = '';
    const collect = (/** @type {Buffer} */ chunk) => (output += chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('error', (error) => {
      running.delete(child);
      resolve({ code: 127, output: `${output}${command}: ${error.message}\n` });
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      if (ownGroup && signalled) signalGroup(child, 'SIGKILL');
      resolve({ code: code ?? exitCodeForSignal(signal), output });
    });
  });
}

/**
 * Runs a command synchronously, output captured. For clean-up paths that must also work from an
 * `exit` handler, where nothing asynchronous runs any more.
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd?: string, timeoutMs?: number }} [options]
 * @returns {{ code: number, output: string }}
 */
export function runSync(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? result.error.message : ''}`;
  return { code: result.status ?? exitCodeForSignal(result.signal), output };
}

/** @param {NodeJS.Signals} signal */
export function forwardSignal(signal) {
  signalled = true;
  for (const [child, { ownGroup }] of running) {
    if (ownGroup) signalGroup(child, signal);
    else child.kill(signal);
  }
}

/** @param {import('node:child_process').ChildProcess} child @param {NodeJS.Signals} signal */
function signalGroup(child, signal) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** The shell convention: a process killed by signal N exits with 128 + N. */
export function exitCodeForSignal(/** @type {NodeJS.Signals | null} */ signal) {
  const number = signal ? constants.signals[signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}

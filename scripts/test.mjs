#!/usr/bin/env node
/**
 * `npm test`: every check this project has, in order, failing fast, with the services the suites
 * need brought up first and torn down afterwards. See `node scripts/test.mjs --help`.
 */
import { join } from 'node:path';
import process from 'node:process';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { HELP, parseArgs } from './lib/args.mjs';
import { exitCodeForSignal, forwardSignal, run } from './lib/process.mjs';
import { banner, log, outcome, summary } from './lib/report.mjs';
import { SERVICES, startAll, stopAll } from './lib/services.mjs';

/** @type {readonly NodeJS.Signals[]} */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const bin = (/** @type {string} */ name) => join(ROOT, 'node_modules', '.bin', name);

/** @type {NodeJS.Signals | undefined} */
let interrupted;
/** Variables the services export to the steps (ABGLEICH_TEST_DATABASE_URL, …). */
let serviceEnv = {};

/**
 * @typedef {object} Step
 * @property {string} name
 * @property {string} what         shown in the banner
 * @property {() => Promise<number>} run
 */

/** @param {string} name @param {string} tool @param {string[]} args @returns {Step} */
const command = (name, tool, args) => ({
  name,
  what: [tool, ...args].join(' '),
  run: async () =>
    (await run(bin(tool), args, { cwd: ROOT, env: { ...process.env, ...serviceEnv }, ownGroup: true })).code,
});

/**
 * Several commands as one step, in order, stopping at the first failure.
 *
 * @param {string} name @param {[string, string[]][]} commands @returns {Step}
 */
const commands = (name, commands) => {
  const parts = commands.map(([tool, args]) => command(name, tool, args));
  return {
    name,
    what: parts.map((p) => p.what).join(' && '),
    async run() {
      for (const part of parts) {
        const code = await part.run();
        if (code !== 0) return code;
      }
      return 0;
    },
  };
};

/** @type {Step} */
const services = {
  name: 'services',
  what: SERVICES.map((s) => s.name).join(', '),
  async run() {
    try {
      serviceEnv = await startAll(SERVICES, log);
      return 0;
    } catch (error) {
      log(error instanceof Error ? error.message : String(error));
      return 1;
    }
  },
};

/** @param {import('./lib/args.mjs').Options} options @returns {Step[]} */
function plan(options) {
  const steps = [
    commands('typecheck', [
      ['tsc', ['-p', 'tsconfig.json', '--noEmit']],
      ['tsc', ['-p', 'web/tsconfig.json', '--noEmit']],
    ]),
    // The CLI and browser tests run the built command and web app (dist/), as a user does.
    commands('build', [
      ['tsc', ['-p', 'tsconfig.build.json']],
      ['vite', ['build', '--logLevel', 'warn']],
    ]),
    command('eslint', 'eslint', ['.']),
    command('prettier', 'prettier', ['--check', '.']),
    services,
    command('vitest', 'vitest', ['run', ...options.vitestArgs]),
  ];
  // The services exist for vitest; they come and go with it.
  return steps.filter((s) => options.steps.has(s.name === 'services' ? 'vitest' : s.name));
}

/** Runs the steps in order; returns the first failing step's exit code, or 0. */
async function runSteps(/** @type {readonly Step[]} */ steps) {
  /** @type {import('./lib/report.mjs').StepResult[]} */
  const results = [];
  const started = Date.now();
  let failure = 0;
  for (const step of steps) {
    if (failure !== 0 || interrupted) {
      results.push({ name: step.name, code: 'skipped', ms: 0 });
      continue;
    }
    banner(step.name, step.what);
    const stepStarted = Date.now();
    const code = await step.run();
    const result = {
      name: step.name,
      code: interrupted ? exitCodeForSignal(interrupted) : code,
      ms: Date.now() - stepStarted,
    };
    outcome(result);
    results.push(result);
    failure = result.code === 0 ? 0 : Number(result.code);
  }
  stopAll(SERVICES, log);
  summary(results, Date.now() - started);
  return interrupted ? exitCodeForSignal(interrupted) : failure;
}

/** `--serve`: the services alone, until a signal arrives. */
async function serve() {
  if ((await services.run()) !== 0) return 1;
  const exports = Object.entries(serviceEnv).map(([k, v]) => `export ${k}='${v}'`);
  process.stdout.write(`\n${exports.join('\n')}\n\nServices are up. Press Ctrl-C to stop them.\n`);
  const keepAlive = setInterval(() => {}, 1 << 30);
  await new Promise((resolve) => SIGNALS.forEach((signal) => process.once(signal, resolve)));
  clearInterval(keepAlive);
  return 0;
}

/** First signal: pass it on and wind down. Second: stop the services now and leave. */
function onSignal(/** @type {NodeJS.Signals} */ signal) {
  if (interrupted) {
    stopAll(SERVICES, log);
    process.exit(exitCodeForSignal(signal));
  }
  interrupted = signal;
  log(`received ${signal}: stopping (again to force)`);
  forwardSignal(signal);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  for (const signal of SIGNALS) process.on(signal, onSignal);
  // The safety net: whatever happens, no cluster outlives this process (stop is idempotent).
  process.on('exit', () => stopAll(SERVICES, log));
  try {
    return options.serve ? await serve() : await runSteps(plan(options));
  } finally {
    stopAll(SERVICES, log);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`scripts/test.mjs: ${error instanceof Error ? error.message : error}\n`);
    process.exit(2);
  },
);

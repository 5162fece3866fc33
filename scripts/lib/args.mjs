/** The test runner's command line: its own flags, and everything else for vitest. */

export const STEP_NAMES = /** @type {const} */ (['typecheck', 'build', 'eslint', 'prettier', 'vitest']);

export const HELP = `Usage: npm test [-- [options] [vitest arguments]]
       node scripts/test.mjs [options] [vitest arguments]

Runs every check in order, stopping at the first failure (its exit code is ours):
  typecheck   tsc -p tsconfig.json --noEmit, then the same for web/ (web/tsconfig.json)
  build       tsc -p tsconfig.build.json and vite build (dist/ and dist/web/, which the CLI and
              browser tests run)
  eslint      eslint .
  prettier    prettier --check .
  vitest      vitest run [vitest arguments]
Before vitest it brings up the services the suites need (see scripts/lib/services.mjs):
  postgres    installs PostgreSQL if missing (as root, via apt-get), starts a throw-away cluster on
              a free port of 127.0.0.1, exports ABGLEICH_TEST_DATABASE_URL, and removes it on exit,
              also on failure, Ctrl-C or SIGTERM.
  chromium    finds Debian's Chromium for the browser tests (installs it with apt-get if missing,
              as root) and exports ABGLEICH_CHROMIUM.

Options:
  --only=STEPS   run only these steps (comma-separated), e.g. --only=vitest
  --skip=STEPS   skip these steps, e.g. --skip=eslint,prettier
  --serve        start the services, print their environment and wait for Ctrl-C (for vitest --watch
                 in another terminal); runs no steps
  --             everything after it goes to vitest unchanged
  -h, --help     this text
Any other argument goes to vitest: npm test -- src/core   or   npm test -- --only=vitest test/support

Environment:
  ABGLEICH_TEST_DATABASE_URL  use this PostgreSQL server instead of starting one; its user must be
                              allowed to CREATE DATABASE (each test gets a fresh database)
  ABGLEICH_PG_BIN             directory with initdb and pg_ctl, if not /usr/lib/postgresql/*/bin
  ABGLEICH_CHROMIUM           the Chromium binary for the browser tests, if not /usr/bin/chromium
  CI                          when set, a suite that cannot reach its service fails (it never skips)
`;

/**
 * @typedef {object} Options
 * @property {boolean} help
 * @property {boolean} serve
 * @property {Set<string>} steps     the steps to run
 * @property {string[]} vitestArgs
 */

/**
 * @param {readonly string[]} argv
 * @returns {Options}
 */
export function parseArgs(argv) {
  /** @type {Options} */
  const options = { help: false, serve: false, steps: new Set(STEP_NAMES), vitestArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    const [flag, inline] = arg.startsWith('--') ? splitOnce(arg, '=') : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (arg === '--') {
      options.vitestArgs.push(...argv.slice(i + 1));
      break;
    } else if (arg === '-h' || arg === '--help') options.help = true;
    else if (arg === '--serve') options.serve = true;
    else if (flag === '--only') options.steps = new Set(stepList(value()));
    else if (flag === '--skip') for (const step of stepList(value())) options.steps.delete(step);
    else options.vitestArgs.push(arg);
  }
  return options;
}

/** @param {string} text @param {string} separator @returns {[string, string | undefined]} */
function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function stepList(/** @type {string} */ value) {
  const steps = value.split(',').filter(Boolean);
  const unknown = steps.filter((s) => !(/** @type {readonly string[]} */ (STEP_NAMES).includes(s)));
  if (unknown.length > 0 || steps.length === 0) {
    throw new Error(`unknown step '${unknown.join(',') || value}': choose from ${STEP_NAMES.join(', ')}`);
  }
  return steps;
}

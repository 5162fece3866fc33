/**
 * The Tryton service: a private trytond 6.0 (Debian's packages) on a free port of 127.0.0.1, serving
 * SQLite databases from a temp dir. A template database `tmpl` is made once per run (modules party and
 * company, EUR, the countries the tests use, a company on the admin user); each test copies
 * `tmpl.sqlite` to a database of its own (about 1 ms) and trytond picks the new name up on its next
 * request.
 *
 * The tests learn where it is from ABGLEICH_TEST_TRYTON_URL (the server), ABGLEICH_TEST_TRYTON_DIR
 * (where the .sqlite files live), ABGLEICH_TEST_TRYTON_CONFIG (its configuration, for tests that start
 * a trytond of their own on another port) and ABGLEICH_TEST_TRYTON_PASSWORD (the admin password).
 */
/* global fetch */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from './process.mjs';
import { aptInstall, findOnPath, freePort, isAlive, isRoot } from './system.mjs';

export const TRYTON_VARS = {
  url: 'ABGLEICH_TEST_TRYTON_URL',
  dir: 'ABGLEICH_TEST_TRYTON_DIR',
  config: 'ABGLEICH_TEST_TRYTON_CONFIG',
  password: 'ABGLEICH_TEST_TRYTON_PASSWORD',
};
/** The Debian packages (SYNC reference: `--no-install-recommends` keeps postgresql, an MTA … out). */
export const TRYTON_PACKAGES = [
  'tryton-server',
  'tryton-modules-party',
  'tryton-modules-company',
  'tryton-modules-country',
  'tryton-modules-currency',
  'python3-psycopg2',
  'python3-tz',
];
const DIR_PREFIX = 'abgleich-tryton-';
export const TEMPLATE = 'tmpl';
const PORT_ATTEMPTS = 3;

/** @type {{ dir: string, pidFile: string } | undefined} */
let server;

/** @type {import('./services.mjs').Service} */
export const tryton = {
  name: 'tryton',
  needed(env) {
    return !env[TRYTON_VARS.url];
  },
  async ensure(log) {
    if (findOnPath('trytond') && findOnPath('trytond-admin') && modulesInstalled()) return;
    if (!isRoot())
      throw new Error(
        `trytond is missing, and only root may install it: sudo apt-get install --no-install-recommends ${TRYTON_PACKAGES.join(' ')}`,
      );
    log('trytond is missing: installing the Debian packages');
    await aptInstall(TRYTON_PACKAGES, log);
    if (!findOnPath('trytond'))
      throw new Error('Installed the Tryton packages, but there is still no trytond.');
  },
  async start(log) {
    sweepLeftovers(log);
    const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
    writeFileSync(join(dir, 'owner.pid'), `${process.pid}\n`);
    server = { dir, pidFile: join(dir, 'trytond.pid') };
    const password = randomBytes(12).toString('base64url');
    const config = writeConfig(dir);
    const started = Date.now();
    await createTemplate(dir, config, password);
    const port = await startServer(config, server.pidFile, join(dir, 'trytond.log'), log);
    const url = `http://127.0.0.1:${port}/`;
    await bootstrap(url, TEMPLATE, password);
    log(`trytond on ${url}, template database ready in ${Date.now() - started} ms, files in ${dir}`);
    return {
      [TRYTON_VARS.url]: url,
      [TRYTON_VARS.dir]: join(dir, 'db'),
      [TRYTON_VARS.config]: config,
      [TRYTON_VARS.password]: password,
    };
  },
  stop(log) {
    if (!server) return;
    const { dir, pidFile } = server;
    killServer(pidFile);
    rmSync(dir, { recursive: true, force: true });
    server = undefined;
    log(`stopped trytond, removed ${dir}`);
  },
};

/** The modules and Python packages the Debian packages put in place (python3-tz fills company timezones). */
function modulesInstalled() {
  const lib = '/usr/lib/python3/dist-packages';
  return [
    ...['party', 'company', 'country', 'currency'].map((m) => `${lib}/trytond/modules/${m}/__init__.py`),
    `${lib}/pytz/__init__.py`,
    `${lib}/psycopg2/__init__.py`,
  ].every((path) => existsSync(path));
}

/** @param {string} dir */
function writeConfig(dir) {
  mkdirSync(join(dir, 'db'));
  mkdirSync(join(dir, 'www'));
  // No `listen` here: each server gets its port from TRYTOND_WEB__LISTEN, which a file value would override.
  const config = join(dir, 'trytond.conf');
  writeFileSync(
    config,
    [
      '[database]',
      'uri = sqlite://',
      `path = ${join(dir, 'db')}`,
      'language = en',
      '[web]',
      `root = ${join(dir, 'www')}`,
      '[session]',
      'timeout = 3600',
      '',
    ].join('\n'),
  );
  return config;
}

/** trytond-admin into tmpl.sqlite: needs the file to exist, a password file and --email (no prompts). */
async function createTemplate(/** @type {string} */ dir, /** @type {string} */ config, password) {
  const passFile = join(dir, 'admin.pass');
  writeFileSync(passFile, `${password}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'db', `${TEMPLATE}.sqlite`), '');
  const result = await run(
    'trytond-admin',
    [
      '-c',
      config,
      '-d',
      TEMPLATE,
      '-u',
      'party',
      'company',
      '--activate-dependencies',
      '--email',
      'admin@example.com',
    ],
    { env: { ...process.env, TRYTONPASSFILE: passFile }, capture: true, cwd: dir },
  );
  rmSync(passFile, { force: true });
  if (result.code !== 0) throw new Error(`trytond-admin failed (exit ${result.code}):\n${result.output}`);
}

/**
 * Starts trytond on a free port (the port comes through TRYTOND_WEB__LISTEN, so one configuration
 * serves any number of servers) and waits until it answers. Exported for tests that kill and restart
 * a trytond of their own.
 *
 * @param {string} config
 * @param {string} pidFile
 * @param {string} logFile
 * @param {(line: string) => void} log
 * @param {number} [fixedPort]
 * @returns {Promise<number>}
 */
export async function startServer(config, pidFile, logFile, log, fixedPort) {
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const out = openSync(logFile, 'a');
    const child = spawn('trytond', ['-c', config, '--pidfile', pidFile], {
      env: { ...process.env, TRYTOND_WEB__LISTEN: `127.0.0.1:${port}` },
      stdio: ['ignore', out, out],
      detached: true,
    });
    child.unref();
    const url = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && child.exitCode === null) {
      if (await answers(url)) return port;
      await sleep(50);
    }
    const serverLog = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    if (child.exitCode === null) child.kill('SIGKILL');
    if (attempt < PORT_ATTEMPTS && fixedPort === undefined && /in use/i.test(serverLog)) {
      log(`port ${port} was taken meanwhile, trying another`);
      continue;
    }
    throw new Error(`trytond did not start on port ${port}:\n${serverLog.split('\n').slice(-30).join('\n')}`);
  }
}

async function answers(/** @type {string} */ url) {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 0, method: 'common.server.version', params: [] }),
    });
    await res.text();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * A small JSON-RPC caller (the body must hold exactly id, method and params).
 *
 * @param {string} url
 * @param {string} method
 * @param {unknown[]} params
 * @param {string} [auth]
 */
async function rpc(url, method, params, auth) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify({ id: 1, method, params }),
  });
  if (!res.ok) throw new Error(`${method}: HTTP ${res.status}`);
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/**
 * Makes the template usable as an ERP: currency, countries, a company on the admin user. Countries are
 * not preloaded by the packages (their import script needs pycountry).
 */
async function bootstrap(
  /** @type {string} */ base,
  /** @type {string} */ db,
  /** @type {string} */ password,
) {
  const url = `${base}${db}/`;
  const [uid, key] = await rpc(url, 'common.db.login', ['admin', { password }, 'en']);
  const auth = `Session ${Buffer.from(`admin:${uid}:${key}`).toString('base64')}`;
  const call = (/** @type {string} */ method, /** @type {unknown[]} */ params) =>
    rpc(url, method, params, auth);
  const [eur] = await call('model.currency.currency.create', [
    [{ name: 'Euro', code: 'EUR', symbol: '€' }],
    {},
  ]);
  const countries = [
    ['Germany', 'DE'],
    ['Denmark', 'DK'],
    ['Austria', 'AT'],
    ['Switzerland', 'CH'],
    ['United Kingdom', 'GB'],
    ['Netherlands', 'NL'],
    ['France', 'FR'],
  ].map(([name, code]) => ({ name, code }));
  await call('model.country.country.create', [countries, {}]);
  const [party] = await call('model.party.party.create', [
    [{ name: 'Reinigung Muster GmbH', code: 'COMPANY' }],
    {},
  ]);
  const [company] = await call('model.company.company.create', [
    [{ party, currency: eur, timezone: 'Europe/Berlin' }],
    {},
  ]);
  await call('model.res.user.write', [[uid], { companies: [['add', [company]]], company }, {}]);
  await call('common.db.logout', []);
}

function killServer(/** @type {string} */ pidFile) {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (pid > 0 && isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/** Removes servers left behind by runs that were killed outright: their owner process is gone. */
function sweepLeftovers(/** @type {(line: string) => void} */ log) {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(DIR_PREFIX))) {
    const dir = join(tmpdir(), name);
    const ownerFile = join(dir, 'owner.pid');
    const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : 0;
    if (!owner || isAlive(owner)) continue;
    killServer(join(dir, 'trytond.pid'));
    rmSync(dir, { recursive: true, force: true });
    log(`removed a trytond left behind by process ${owner}: ${dir}`);
  }
}

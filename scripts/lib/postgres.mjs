/**
 * The PostgreSQL service: a throw-away cluster for one test run, in a temp dir, on a free port of
 * 127.0.0.1, tuned for speed over durability. Its URL reaches the tests as ABGLEICH_TEST_DATABASE_URL.
 *
 * initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user (created by the
 * Debian package) in a temp dir owned by that user; as anyone else they run as that user.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { run, runSync } from './process.mjs';
import { aptInstall, findOnPath, findUser, freePort, isAlive, isRoot } from './system.mjs';

export const URL_VAR = 'ABGLEICH_TEST_DATABASE_URL';
const BIN_VAR = 'ABGLEICH_PG_BIN';
const DIR_PREFIX = 'abgleich-pg-';
const SUPERUSER = 'abgleich';
const DATABASE = 'abgleich_test';
const SERVER_USER = 'postgres';
const PORT_ATTEMPTS = 3;

/** Settings for a cluster whose data may be lost: no fsync, no full-page writes. */
const SETTINGS = {
  listen_addresses: "'127.0.0.1'",
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '200',
};

/** @typedef {{ dir: string, data: string, bin: string }} Cluster */

/** @type {Cluster | undefined} */
let cluster;

/** @type {import('./services.mjs').Service} */
export const postgres = {
  name: 'postgres',
  needed(env) {
    return !env[URL_VAR];
  },
  async ensure(log) {
    if (findBinDir()) return;
    if (!isRoot()) throw new Error(missingBinariesMessage());
    log('PostgreSQL server binaries are missing: installing the Debian package');
    await aptInstall(['postgresql'], log);
    if (!findBinDir())
      throw new Error(`Installed postgresql, but still no initdb.\n${missingBinariesMessage()}`);
  },
  async start(log) {
    const bin = findBinDir();
    if (!bin) throw new Error(missingBinariesMessage());
    sweepLeftovers(log);
    const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
    cluster = { dir, data: join(dir, 'data'), bin };
    writeFileSync(join(dir, 'owner.pid'), `${process.pid}\n`);
    const password = randomBytes(18).toString('base64url');
    await initCluster(cluster, password);
    const port = await startServer(cluster, log);
    const url = `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${DATABASE}`;
    await createDatabase(cluster, port, password);
    log(`PostgreSQL ${serverVersion(bin)} on 127.0.0.1:${port}, data in ${dir}`);
    return { [URL_VAR]: url };
  },
  stop(log) {
    if (!cluster) return;
    const { dir } = cluster;
    stopCluster(cluster);
    cluster = undefined;
    log(`stopped PostgreSQL, removed ${dir}`);
  },
};

/** The directory holding initdb and pg_ctl: $ABGLEICH_PG_BIN, the newest Debian install, or PATH. */
function findBinDir() {
  const fromEnv = process.env[BIN_VAR];
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : undefined;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  const debian = versions.map((v) => join(root, v, 'bin')).find((bin) => existsSync(join(bin, 'initdb')));
  if (debian) return debian;
  const onPath = findOnPath('initdb');
  return onPath ? dirname(onPath) : undefined;
}

function missingBinariesMessage() {
  return [
    'PostgreSQL server binaries (initdb, pg_ctl) were not found, and only root may install them.',
    'Do one of:',
    '  sudo apt-get install --no-install-recommends postgresql     (Debian/Ubuntu)',
    `  export ${BIN_VAR}=/path/to/postgresql/bin                    (a directory containing initdb)`,
    `  export ${URL_VAR}=postgres://user:pass@host:5432/db  (a server whose user may CREATE DATABASE)`,
  ].join('\n');
}

/**
 * Runs a server binary as the user allowed to run it.
 *
 * @param {Cluster} c
 * @param {string} tool
 * @param {readonly string[]} args
 * @returns {[string, string[]]}
 */
function asServerUser(c, tool, args) {
  const path = join(c.bin, tool);
  return isRoot() ? ['runuser', ['-u', SERVER_USER, '--', path, ...args]] : [path, [...args]];
}

/** @param {Cluster} c @param {string} password */
async function initCluster(c, password) {
  const pwfile = join(c.dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (isRoot()) giveToServerUser(c.dir, pwfile);
  const [command, args] = asServerUser(c, 'initdb', [
    ...['-D', c.data, '-U', SUPERUSER, `--pwfile=${pwfile}`],
    ...['--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync'],
  ]);
  const result = await run(command, args, { capture: true, cwd: c.dir });
  rmSync(pwfile, { force: true });
  if (result.code !== 0) throw new Error(`initdb failed (exit ${result.code}):\n${result.output}`);
  const lines = Object.entries({ ...SETTINGS, unix_socket_directories: `'${c.dir}'` });
  appendFileSync(join(c.data, 'postgresql.conf'), `\n${lines.map(([k, v]) => `${k} = ${v}`).join('\n')}\n`);
}

/** @param {string[]} paths */
function giveToServerUser(...paths) {
  const user = findUser(SERVER_USER);
  if (!user) throw new Error(`Running as root, but there is no '${SERVER_USER}' user to run PostgreSQL as.`);
  for (const path of paths) chownSync(path, user.uid, user.gid);
}

/**
 * Starts the server on a free port, retrying when another process took the port first.
 *
 * @param {Cluster} c
 * @param {(line: string) => void} log
 * @returns {Promise<number>}
 */
async function startServer(c, log) {
  const logFile = join(c.dir, 'server.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const [command, args] = asServerUser(c, 'pg_ctl', ['-D', c.data, '-l', logFile, '-o', `-p ${port}`]);
    const result = await run(command, [...args, '-w', '-t', '60', '-s', 'start'], {
      capture: true,
      cwd: c.dir,
    });
    if (result.code === 0) return port;
    const serverLog = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    if (attempt < PORT_ATTEMPTS && /could not bind|already in use/i.test(serverLog)) {
      log(`port ${port} was taken meanwhile, trying another`);
      continue;
    }
    throw new Error(`pg_ctl start failed (exit ${result.code}):\n${result.output}\n${tail(serverLog, 30)}`);
  }
}

/** @param {Cluster} c @param {number} port @param {string} password */
async function createDatabase(c, port, password) {
  const env = { ...process.env, PGPASSWORD: password };
  const args = ['-h', '127.0.0.1', '-p', String(port), '-U', SUPERUSER, DATABASE];
  const result = await run(join(c.bin, 'createdb'), args, { env, capture: true });
  if (result.code !== 0) throw new Error(`createdb failed (exit ${result.code}):\n${result.output}`);
}

/**
 * Stops the server and removes its directory. Synchronous, so it also works in an `exit` handler.
 *
 * @param {Cluster} c
 */
function stopCluster(c) {
  const pidFile = join(c.data, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const [command, args] = asServerUser(c, 'pg_ctl', [
      '-D',
      c.data,
      '-m',
      'immediate',
      '-w',
      '-t',
      '30',
      'stop',
    ]);
    const result = runSync(command, args, { cwd: c.dir });
    if (result.code !== 0) killPostmaster(pidFile);
  }
  rmSync(c.dir, { recursive: true, force: true });
}

/** The last resort when pg_ctl cannot stop the server. */
function killPostmaster(/** @type {string} */ pidFile) {
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Removes clusters left behind by runs that were killed outright (SIGKILL, power loss): their
 * `owner.pid` names a process that is gone.
 *
 * @param {(line: string) => void} log
 */
function sweepLeftovers(log) {
  const bin = findBinDir() ?? '';
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(DIR_PREFIX))) {
    const dir = join(tmpdir(), name);
    const ownerFile = join(dir, 'owner.pid');
    const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : 0;
    if (!owner || isAlive(owner)) continue;
    try {
      stopCluster({ dir, data: join(dir, 'data'), bin });
      log(`removed a cluster left behind by process ${owner}: ${dir}`);
    } catch {
      // Not ours to remove (another user's run): leave it.
    }
  }
}

function serverVersion(/** @type {string} */ bin) {
  return runSync(join(bin, 'postgres'), ['--version'])
    .output.trim()
    .replace(/^postgres \(PostgreSQL\) /, '');
}

function tail(/** @type {string} */ text, /** @type {number} */ lines) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * The browser suite's rig: the built server (`dist/cli/main.js serve`, as a user starts it) on a free
 * port with a throw-away SQLite database, Debian's Chromium driven by playwright-core (never a
 * downloaded browser), screenshots into `test-artifacts/screens/`, and an axe-core scan.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENS = join(ROOT, 'test-artifacts', 'screens');

/** The flags Chromium needs in a container without a display or GPU (see the stack notes). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Chromium's path: $ABGLEICH_CHROMIUM (set by `npm test`) or the Debian package's. A missing one fails. */
export function chromiumPath(): string {
  const path = process.env.ABGLEICH_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(`Chromium not found at ${path}: run npm test (installs it) or set ABGLEICH_CHROMIUM`);
  return path;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
  output(): string;
}

/** Starts `abgleich serve` from `dist/` on a free port with a fresh SQLite file; resolves once it answers. */
export async function startServer(): Promise<RunningServer> {
  const main = join(ROOT, 'dist', 'cli', 'main.js');
  if (!existsSync(main) || !existsSync(join(ROOT, 'dist', 'web', 'index.html')))
    throw new Error('dist/ is not built: run npm run build (npm test does it first)');
  const dir = mkdtempSync(join(tmpdir(), 'abgleich-browser-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [main, '--db', join(dir, 'abgleich.sqlite'), 'serve', '--port', String(port), '--host', '127.0.0.1'],
    { cwd: dir, env: { ...process.env, NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`abgleich serve exited with ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(`${url}/api/session`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`abgleich serve did not answer within 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    dir,
    output: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/** Runs axe-core on the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe !== "undefined"');
  if (!loaded) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = (await page.evaluate(`
    window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      })),
    )
  `)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Calls the API from inside the page (its session cookie and CSRF token), for setting up data. */
export async function apiCall<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const result = await page.evaluate(
    async ([m, p, b]) => {
      const s = (await fetch('/api/session').then((r) => r.json())) as { csrfToken: string };
      const init: RequestInit = {
        method: m as string,
        headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken },
      };
      if (b !== undefined) init.body = JSON.stringify(b);
      const res = await fetch(p as string, init);
      const text = await res.text();
      return { status: res.status, text };
    },
    [method, path, body] as const,
  );
  if (result.status >= 400) throw new Error(`${method} ${path} → ${result.status}: ${result.text}`);
  return (result.text ? JSON.parse(result.text) : undefined) as T;
}

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { consoleBuildIsStale } from '../../src/http/web.ts';
import { todayIso } from '../src/lib/dates';

/**
 * The console against the real server: a child `vitrine serve` on a throw-away SQLite database
 * filled by `vitrine demo`, driven by headless Chromium. Each test file calls setUpConsole() once
 * and gets its own server and database (vitest runs every file in its own process).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const PASSWORD = 'vitrine-demo';
export const TEST_TIMEOUT = 60_000;

export const DEMO = {
  operator: 'operator@demo.vitrine.dev',
  org: 'mcn@demo.vitrine.dev',
  creator: 'lin@demo.vitrine.dev',
  merchant: 'merchant@demo.vitrine.dev',
  colonel: 'colonel@demo.vitrine.dev',
} as const;

const run = promisify(execFile);

let workDir: string | undefined;
let server: ChildProcess | undefined;
let serverLog = '';
let origin = '';
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];

/** Uncaught errors of every page opened since the current test began. */
export const pageErrors: string[] = [];

/** The running server's origin, e.g. http://127.0.0.1:41234. */
export function baseUrl(): string {
  return origin;
}

/**
 * The server's own SQLite file, opened beside it (WAL lets both in) for what the console cannot
 * do, such as making the database refuse a write; the connection is closed when `work` is done.
 */
export async function withServerDatabase<T>(work: (database: Database.Database) => T): Promise<T> {
  if (!workDir) throw new Error('setUpConsole() has not started the server');
  const database = new Database(join(workDir, 'e2e.db'));
  try {
    database.pragma('busy_timeout = 5000');
    return work(database);
  } finally {
    database.close();
  }
}

/** What the server printed so far, for a failure's message. */
export function serverOutput(): string {
  return serverLog;
}

export function setUpConsole(): void {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildConsoleIfStale();

    workDir = mkdtempSync(join(tmpdir(), 'vitrine-e2e-'));
    // Every test signs in afresh, far more often than the per-minute login limit a real user meets.
    const env = { ...process.env, DATABASE_URL: `sqlite:${join(workDir, 'e2e.db')}`, LOGIN_ATTEMPTS_PER_MINUTE: '1000' };
    await run(process.execPath, ['bin/vitrine.mjs', 'demo'], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });

    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['bin/vitrine.mjs', 'serve', '--port', String(port)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    await waitForHealth(server);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 300_000);

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    pageErrors.length = 0;
  });
}

export async function newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  if (!browser) throw new Error('setUpConsole() has not started the browser');
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

export async function signIn(page: Page, email: string): Promise<void> {
  if (!page.url().includes('#/login')) await page.goto(`${origin}/#/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  const outcome = page.getByTestId('nav').or(page.getByTestId('error'));
  await outcome.first().waitFor({ state: 'attached' });
  if ((await page.getByTestId('nav').count()) === 0) throw new Error(`sign-in as ${email} refused: ${await page.getByTestId('error').innerText()}`);
}

export async function signOut(page: Page): Promise<void> {
  const logout = page.getByTestId('logout');
  if (!(await logout.isVisible())) await page.getByTestId('nav-toggle').click();
  await logout.click();
  await page.getByTestId('login-email').waitFor();
  expect(page.url()).toContain('#/login');
}

/** Every panel loaded: no spinner, no stat still waiting for its number. */
export async function settled(page: Page): Promise<void> {
  await page.locator('.page-title').waitFor();
  await page.waitForFunction(
    () => !document.querySelector('.loading') && !Array.from(document.querySelectorAll('.stat-value')).some((value) => value.textContent === '…'),
  );
}

export async function navKeys(page: Page): Promise<string[]> {
  return page.getByTestId('nav').locator('[data-nav]').evaluateAll((links) => links.map((link) => link.getAttribute('data-nav') ?? ''));
}

export async function htmlLang(page: Page): Promise<string | null> {
  return page.evaluate(() => document.documentElement.getAttribute('lang'));
}

export function futureDate(days: number): string {
  return todayIso(new Date(Date.now() + days * 86_400_000));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Rebuilds web/dist when it is missing or older than any source of the console. Test files run
 * in parallel, so the build happens under a lock (an atomic mkdir) and staleness is asked again
 * once the lock is held: one file builds, the others wait and find it fresh.
 */
async function buildConsoleIfStale(): Promise<void> {
  if (!consoleBuildIsStale()) return;
  const lock = join(tmpdir(), 'vitrine-e2e-console-build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the deadline was left by a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`the console build lock ${lock} was held for too long`);
      await sleep(250);
    }
  }
  try {
    if (consoleBuildIsStale()) await run('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], { cwd: ROOT });
  } finally {
    rmdirSync(lock);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vitrine serve exited with ${child.exitCode}:\n${serverLog}`);
    const healthy = await fetch(`${origin}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await sleep(200);
  }
  throw new Error(`vitrine serve did not become healthy within 60 s:\n${serverLog}`);
}

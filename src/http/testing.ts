import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../core/config.ts';
import type { Dialect } from '../db/connection.ts';
import { openTestDb, type TestDb } from '../db/testing.ts';
import { buildApp } from './app.ts';
import { openAppContext } from './context.ts';

export interface TestServer {
  url: string;
  db: TestDb;
  app: FastifyInstance;
  /** fetch against the server, JSON in and out. */
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  login(email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real server on a fresh database, listening on a loopback port. `beforeListen` may add
 * routes (a test of the 500 path adds one that throws).
 */
export async function startTestServer(dialect: Dialect, overrides: Partial<Config> = {}, beforeListen?: (app: FastifyInstance) => void): Promise<TestServer> {
  const db = await openTestDb(dialect);
  const config = { ...loadConfig({}), databaseUrl: db.url, port: 0, host: '127.0.0.1', logLevel: 'silent', loginAttemptsPerMinute: 1000, ...overrides };
  const app = await buildApp(await openAppContext(db, config), { logger: { level: config.logLevel } });
  beforeListen?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const call: TestServer['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(url + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (HTML, metrics text): the caller asserts on the text
    }
    return { status: response.status, body, headers: response.headers };
  };
  return {
    url,
    db,
    app,
    call,
    async login(email, password) {
      const r = await call('POST', '/api/auth/login', { body: { email, password } });
      if (r.status !== 200) throw new Error(`login ${email} failed: ${JSON.stringify(r.body)}`);
      return r.body.token as string;
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}

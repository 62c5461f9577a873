import { resolve } from 'node:path';

export interface Config {
  databaseUrl: string;
  port: number;
  host: string;
  /** Largest request body the API accepts, in bytes. */
  bodyLimitBytes: number;
  sessionTtlDays: number;
  loginAttemptsPerMinute: number;
  logLevel: string;
  /** Set behind TLS so the session cookie is marked Secure. */
  secureCookies: boolean;
  /** How long a click waits for others to share its commit; 0 = until the event loop's current turn ends. */
  clickBatchDelayMs: number;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/vitrine.db';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    port: parsePort(env.PORT ?? '3000'),
    host: env.HOST || '0.0.0.0',
    bodyLimitBytes: Number(env.BODY_LIMIT_BYTES || 1024 * 1024),
    sessionTtlDays: Number(env.SESSION_TTL_DAYS || 30),
    loginAttemptsPerMinute: Number(env.LOGIN_ATTEMPTS_PER_MINUTE || 10),
    logLevel: env.LOG_LEVEL || 'info',
    secureCookies: env.SECURE_COOKIES === 'true',
    clickBatchDelayMs: Number(env.CLICK_BATCH_DELAY_MS || 0),
  };
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`invalid port: ${value}`);
  return port;
}

export function sqlitePathOf(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('sqlite:')) return null;
  const path = databaseUrl.slice('sqlite:'.length);
  return path === ':memory:' ? path : resolve(path);
}

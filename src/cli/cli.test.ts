import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, type TestDb } from '../db/testing.ts';

const BIN = fileURLToPath(new URL('../../bin/vitrine.mjs', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  last: any;
}

function vitrine(databaseUrl: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const lastLine = stdout.trim().split('\n').pop() ?? '';
      let last: unknown = null;
      try {
        last = JSON.parse(lastLine);
      } catch {
        last = null;
      }
      resolve({ code, stdout, stderr, last });
    });
  });
}

describe.each(DIALECTS)('the vitrine command line on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterAll(async () => {
    await db.close();
  });

  it('creates users and prints their id as the last JSON line', async () => {
    const r = await vitrine(db.url, 'user', 'create', '--role', 'creator', '--email', 'cli@x.cn', '--password', 'password1', '--handle', 'cli_creator');
    expect(r.code).toBe(0);
    expect(r.last.id).toMatch(/^usr_/);
    const org = await vitrine(db.url, 'user', 'create', '--role', 'org', '--email', 'cli-org@x.cn', '--password', 'password1', '--name', '一号机构');
    expect(org.last).toMatchObject({ role: 'org', organisation_id: expect.stringMatching(/^org_/) });
  });

  it('refuses bad input with one line on stderr and a non-zero exit, writing nothing', async () => {
    const r = await vitrine(db.url, 'user', 'create', '--role', 'creator', '--email', 'cli@x.cn', '--password', 'password1', '--handle', 'other');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/email_taken/);
    const bad = await vitrine(db.url, 'user', 'create', '--role', 'emperor', '--email', 'e@x.cn', '--password', 'password1');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/invalid_role/);
    const users = await db.kysely.selectFrom('users').select('email').execute();
    expect(users.map((u) => u.email).sort()).toEqual(['cli-org@x.cn', 'cli@x.cn']);
  });

  it('creates sources with a Standard Webhooks secret', async () => {
    const r = await vitrine(db.url, 'source', 'create', '--kind', 'platform', '--name', '拼多多', '--platform', 'pdd');
    expect(r.code).toBe(0);
    expect(r.last).toEqual({ id: expect.stringMatching(/^src_/), webhook_secret: expect.stringMatching(/^whsec_/) });
    expect(Buffer.from(r.last.webhook_secret.slice(6), 'base64')).toHaveLength(24);
    const missing = await vitrine(db.url, 'source', 'create', '--kind', 'platform', '--name', 'x');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/platform_required/);
  });

  it('migrates idempotently', async () => {
    const r = await vitrine(db.url, 'migrate');
    expect(r.code).toBe(0);
    expect(r.last).toEqual({ applied: [] });
  });
});

describe.each(DIALECTS)('vitrine demo on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterAll(async () => {
    await db.close();
  });

  it('fills an empty database with the demo alliance, and only an empty one', async () => {
    const r = await vitrine(db.url, 'demo');
    expect(r.code).toBe(0);
    expect(r.last).toMatchObject({ users: 6, organisations: 1, memberships: 2, sources: 6 });
    const roles = await db.kysely.selectFrom('users').select('role').execute();
    expect(roles.map((u) => u.role).sort()).toEqual(['creator', 'creator', 'creator', 'merchant', 'operator', 'org']);
    const platforms = await db.kysely.selectFrom('sources').select(['platform', 'kind']).execute();
    expect(platforms.map((s) => s.platform).sort()).toEqual(['jd', 'mokuai', 'pdd', 'taobao', 'weimob', 'youzan']);
    const again = await vitrine(db.url, 'demo');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/database_not_empty/);
  });
});

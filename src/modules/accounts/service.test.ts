import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import { authenticate, createUser, login, logout, openSession } from './service.ts';
import { verifyPassword } from './password.ts';

describe.each(DIALECTS)('accounts on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterAll(async () => {
    await db.close();
  });

  it('stores a memory-hard hash, never the password', async () => {
    const user = await createUser(db.kysely, { role: 'merchant', email: 'Shop@Example.cn ', password: 'correct horse', name: '店' });
    const row = await db.kysely.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.email).toBe('shop@example.cn');
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.password_hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', row.password_hash)).toBe(true);
    expect(await verifyPassword('correct horsE', row.password_hash)).toBe(false);
  });

  it('refuses a second account with the same email or handle', async () => {
    await createUser(db.kysely, { role: 'creator', email: 'a@x.cn', password: 'password1', handle: 'alpha' });
    await expect(createUser(db.kysely, { role: 'creator', email: 'A@x.cn', password: 'password1', handle: 'beta' })).rejects.toMatchObject({ status: 409, code: 'email_taken' });
    await expect(createUser(db.kysely, { role: 'creator', email: 'b@x.cn', password: 'password1', handle: 'alpha' })).rejects.toMatchObject({ status: 409, code: 'handle_taken' });
  });

  it('requires a handle for creators only, and a sane password', async () => {
    await expect(createUser(db.kysely, { role: 'creator', email: 'c@x.cn', password: 'password1' })).rejects.toMatchObject({ code: 'handle_required' });
    await expect(createUser(db.kysely, { role: 'merchant', email: 'd@x.cn', password: 'password1', handle: 'shop' })).rejects.toMatchObject({ code: 'handle_not_allowed' });
    await expect(createUser(db.kysely, { role: 'merchant', email: 'e@x.cn', password: 'short' })).rejects.toMatchObject({ code: 'invalid_password' });
    await expect(createUser(db.kysely, { role: 'creator', email: 'f@x.cn', password: 'password1', handle: 'Bad Handle' })).rejects.toMatchObject({ code: 'invalid_handle' });
    await expect(createUser(db.kysely, { role: 'boss' as never, email: 'g@x.cn', password: 'password1' })).rejects.toMatchObject({ code: 'invalid_role' });
  });

  it('opens a session on the right password and the same error otherwise', async () => {
    await createUser(db.kysely, { role: 'operator', email: 'ops@x.cn', password: 'password1' });
    const session = await login(db.kysely, 'OPS@x.cn', 'password1', 30);
    expect(session.token).toMatch(/^vts_/);
    expect((await authenticate(db.kysely, session.token))?.email).toBe('ops@x.cn');
    await expect(login(db.kysely, 'ops@x.cn', 'wrong-pass', 30)).rejects.toMatchObject({ status: 401, message: 'Wrong email or password' });
    await expect(login(db.kysely, 'nobody@x.cn', 'password1', 30)).rejects.toMatchObject({ status: 401, message: 'Wrong email or password' });
  });

  it('stores only a hash of the token, and logout revokes it', async () => {
    const user = await createUser(db.kysely, { role: 'operator', email: 'ops2@x.cn', password: 'password1' });
    const session = await openSession(db.kysely, user, 30);
    const stored = await db.kysely.selectFrom('sessions').select('token_hash').where('user_id', '=', user.id).execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(session.token);
    await logout(db.kysely, session.token);
    expect(await authenticate(db.kysely, session.token)).toBeNull();
  });

  it('does not accept an expired session', async () => {
    const user = await createUser(db.kysely, { role: 'operator', email: 'ops3@x.cn', password: 'password1' });
    const session = await openSession(db.kysely, user, -1);
    expect(await authenticate(db.kysely, session.token)).toBeNull();
    expect(await authenticate(db.kysely, 'vts_made_up')).toBeNull();
  });
});

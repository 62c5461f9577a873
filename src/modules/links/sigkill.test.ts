import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVitrine, serveVitrine } from '../../cli/testing.ts';
import { openDb } from '../../db/connection.ts';
import { ClickInbox } from './click-inbox.ts';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import { createLink } from './service.ts';

const PHONE = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36';
const LOOPS = 16;
const KILL_AFTER_MS = 700;
const GIVE_UP_AFTER_MS = 1500;
/**
 * A wide commit window (20 ms instead of the default end-of-turn), so that a server answering
 * before its click is committed would lose the clicks of the last window and fail this test.
 */
const CLICK_BATCH_DELAY_MS = '20';

/** Redirects as fast as one connection allows until the server goes away; the click ids of every 302 received. */
async function redirectLoop(url: string, code: string, until: number, received: string[]): Promise<void> {
  while (Date.now() < until) {
    try {
      const r = await fetch(`${url}/r/${code}`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
      if (r.status !== 302) return;
      received.push(/subUnionId=(clk_[0-9a-z]+)/.exec(r.headers.get('location')!)![1]!);
    } catch {
      return; // the server was killed: this request's answer never arrived
    }
  }
}

describe.each(DIALECTS)('a click whose redirect was answered survives kill -9 of the server on %s', (dialect) => {
  let db: TestDb;
  let code = '';

  beforeAll(async () => {
    db = await openTestDb(dialect);
    const creator = await runVitrine(db.url, ['user', 'create', '--role', 'creator', '--email', 'kill@x.cn', '--password', 'password1', '--handle', 'kill_creator']);
    const source = await runVitrine(db.url, ['source', 'create', '--kind', 'platform', '--name', '京东联盟', '--platform', 'jd']);
    const feed = join(tmpdir(), `vitrine-kill-${process.pid}-${dialect}.csv`);
    writeFileSync(feed, 'id,title,price,commission_rate,url\nK1,充电宝 20000mAh,99.00,10%,https://item.jd.com/100012043978.html\n');
    expect(await runVitrine(db.url, ['import', '--source', source.id, '--format', 'csv', feed])).toMatchObject({ imported: 1 });
    const product = await db.kysely.selectFrom('products').select('id').where('source_id', '=', source.id).executeTakeFirstOrThrow();
    code = (await createLink(db.kysely, { creatorId: creator.id, productId: product.id, itemId: null, channel: 'showcase' })).code;
  }, 60_000);
  afterAll(async () => {
    await db.close();
  });

  it('finds every click id a 302 carried in the database after the process was killed mid-load', async () => {
    const { child, url } = await serveVitrine(db.url, { CLICK_BATCH_DELAY_MS });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const received: string[] = [];
    const started = Date.now();
    const loops = Array.from({ length: LOOPS }, () => redirectLoop(url, code, started + GIVE_UP_AFTER_MS, received));
    await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_MS));
    child.kill('SIGKILL');
    await Promise.all(loops);
    await exited;

    expect(received.length).toBeGreaterThan(100);
    const reopened = openDb(db.url);
    try {
      // As the server does when it starts again: clicks committed to the inbox while a transaction
      // was open, and not moved before the kill, are moved into `clicks` (SQLite; none on PostgreSQL).
      await (await ClickInbox.open(reopened))?.close();
      const stored = new Set<string>();
      for (let i = 0; i < received.length; i += 500) {
        const rows = await reopened.kysely.selectFrom('clicks').select('id').where('id', 'in', received.slice(i, i + 500)).execute();
        for (const r of rows) stored.add(r.id);
      }
      const lost = received.filter((id) => !stored.has(id));
      expect({ received: received.length, lost }).toEqual({ received: received.length, lost: [] });
    } finally {
      await reopened.close();
    }
  }, 20_000);
});

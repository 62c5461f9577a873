import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * SQLite: a click is an append, and link click counts come from a rollup instead of an index of
 * clicks by link.
 *
 * `clicks_link` (link_code, clicked_at) takes one row at a random place per click, so every
 * group commit dirtied about one index page per click and wrote it whole to the WAL (4 KiB per
 * click, then again at checkpoint): most of the redirect's cost. Counts now come from
 * `link_click_counts`, folded from clicks in batches off the redirect (links/click-counts.ts),
 * plus the few clicks not folded yet (rowid above the watermark in `settings`). Clicks already
 * stored are folded here. `clicks_creator` (creator_id, clicked_at) goes too: no query reads
 * clicks by creator (dashboards are to read rollups), and with many creators it would cost what
 * `clicks_link` did. PostgreSQL keeps both and counts clicks by index: it has no commit-ordered
 * rowid to fold behind, and its WAL records rows, not whole pages.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`create table link_click_counts (
    link_code text primary key,
    clicks integer not null,
    unique_clicks integer not null
  ) without rowid`.execute(db);
  await sql`insert into link_click_counts (link_code, clicks, unique_clicks)
    select link_code, count(*), sum(case when is_bot = 0 and is_repeat = 0 then 1 else 0 end) from clicks group by link_code`.execute(db);
  await sql`insert into settings (key, value) values ('link_clicks_folded_through_rowid', (select cast(coalesce(max(rowid), 0) as text) from clicks))
    on conflict (key) do update set value = excluded.value`.execute(db);
  await sql`drop index clicks_link`.execute(db);
  await sql`drop index clicks_creator`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`create index clicks_link on clicks (link_code, clicked_at)`.execute(db);
  await sql`create index clicks_creator on clicks (creator_id, clicked_at)`.execute(db);
  await sql`delete from settings where key = 'link_clicks_folded_through_rowid'`.execute(db);
  await sql`drop table link_click_counts`.execute(db);
}

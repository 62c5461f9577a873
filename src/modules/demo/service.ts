import type { Kysely } from 'kysely';
import { Conflict } from '../../core/errors.ts';
import type { Database, Platform, Role, SourceKind } from '../../db/schema.ts';
import { countUsers, createUser } from '../accounts/service.ts';
import { registerOrganisation, recordPastMembership } from '../orgs/service.ts';
import { importProducts } from '../pool/import.ts';
import type { ParsedRow } from '../pool/model.ts';
import { createSource } from '../sources/service.ts';
import { findUserById } from '../accounts/service.ts';
import { createChannelLink, recordPastClicks } from '../links/service.ts';
import { fillDemoOrders } from './orders.ts';
import { fillDemoPlans, recordPastColonelActivity } from './plans.ts';
import { addItem, updateItem } from '../showcase/service.ts';
import { newIdAt } from '../../core/ids.ts';
import type { ClicksTable } from '../../db/schema.ts';
import type { Source } from '../sources/model.ts';

export const DEMO_PASSWORD = 'vitrine-demo';

interface DemoAccount {
  key: string;
  role: Role;
  email: string;
  name: string;
  handle?: string;
}

const ACCOUNTS: DemoAccount[] = [
  { key: 'operator', role: 'operator', email: 'operator@demo.vitrine.dev', name: '联盟运营 Alliance Ops' },
  { key: 'org', role: 'org', email: 'mcn@demo.vitrine.dev', name: '周星河' },
  { key: 'lin', role: 'creator', email: 'lin@demo.vitrine.dev', name: '林小鱼', handle: 'lin_xiaoyu' },
  { key: 'chen', role: 'creator', email: 'chen@demo.vitrine.dev', name: '陈默', handle: 'chen_mo' },
  { key: 'wang', role: 'creator', email: 'wang@demo.vitrine.dev', name: '王一', handle: 'wang_yi' },
  { key: 'merchant', role: 'merchant', email: 'merchant@demo.vitrine.dev', name: '好物优选旗舰店' },
  { key: 'colonel', role: 'colonel', email: 'colonel@demo.vitrine.dev', name: '赵团长' },
];

export const DEMO_LOGINS = ACCOUNTS.map((a) => ({ role: a.role, email: a.email }));

interface DemoSource {
  kind: SourceKind;
  name: string;
  platform: Platform;
  owner?: string;
  defaultCommissionBps?: number;
}

const SOURCES: DemoSource[] = [
  { kind: 'platform', name: '拼多多 多多进宝', platform: 'pdd' },
  { kind: 'platform', name: '京东联盟', platform: 'jd' },
  { kind: 'platform', name: '淘宝联盟', platform: 'taobao' },
  { kind: 'merchant', name: '有赞 · 好物优选', platform: 'youzan', owner: 'merchant', defaultCommissionBps: 1500 },
  { kind: 'merchant', name: '微盟 · 好物优选小程序', platform: 'weimob', owner: 'merchant', defaultCommissionBps: 1200 },
  { kind: 'platform', name: '魔筷星选', platform: 'mokuai' },
];

/** How many products the demo pool holds: enough that a first search shows what the pool is for. */
export const DEMO_PRODUCTS = 24_000;
const CATALOGUE_SEED = 20261124;

/** The organisation's two creators joined it this long ago. */
const MEMBERSHIP_AGE_DAYS = 90;

/**
 * Fills an empty database with a demo alliance: an operator, an organisation with two bound
 * creators, an unbound creator, a merchant, a colonel, six sources, a pool of products across
 * them, the bound creators' showcases with weeks of clicks, the orders, settlement and payouts that
 * followed, and targeted plans and colonel activities — in one transaction, so a failure leaves
 * the database empty.
 */
export async function fillDemo(db: Kysely<Database>) {
  if ((await countUsers(db)) > 0) throw new Conflict('database_not_empty', 'the demo only fills an empty database');
  const seeded = await db.transaction().execute(async (tx) => {
    const users: Record<string, string> = {};
    for (const a of ACCOUNTS) {
      const u = await createUser(tx, { role: a.role, email: a.email, password: DEMO_PASSWORD, name: a.name, handle: a.handle ?? null });
      users[a.key] = u.id;
    }
    const org = await registerOrganisation(tx, { id: users.org!, role: 'org', email: 'mcn@demo.vitrine.dev', name: '周星河', handle: null, createdAt: '' }, '星河传媒 Galaxy MCN');
    const joinedAt = new Date(Date.now() - MEMBERSHIP_AGE_DAYS * 86_400_000).toISOString();
    await recordPastMembership(tx, { organisationId: org.id, creatorId: users.lin!, shareBps: 2000, startsAt: joinedAt });
    await recordPastMembership(tx, { organisationId: org.id, creatorId: users.chen!, shareBps: 1500, startsAt: joinedAt });
    const sources: Source[] = [];
    for (const s of SOURCES) {
      sources.push(await createSource(tx, { kind: s.kind, name: s.name, platform: s.platform, ownerUserId: s.owner ? users[s.owner]! : null, defaultCommissionBps: s.defaultCommissionBps ?? null }));
    }
    const products = await fillDemoPool(tx, sources);
    const showcases = await fillDemoShowcases(tx, [users.lin!, users.chen!]);
    // Before the orders, which it applies to; the plans of today come after them (fillDemoPlans).
    const pastActivities = await recordPastColonelActivity(tx, { colonel: users.colonel!, creators: [users.lin!, users.chen!] });
    const orders = await fillDemoOrders(tx, { operator: users.operator!, lin: users.lin!, chen: users.chen! });
    const plans = await fillDemoPlans(tx, { operator: users.operator!, merchant: users.merchant!, lin: users.lin!, colonel: users.colonel! });
    return { users: Object.keys(users).length, organisations: 1, memberships: 2, sources: sources.length, products, ...showcases, ...orders, ...plans, colonel_activities: plans.colonel_activities + pastActivities };
  });
  return seeded;
}

/** One full import per demo source, from a deterministic realistic catalogue. */
async function fillDemoPool(db: Kysely<Database>, sources: Source[]): Promise<number> {
  // Loaded here, not at the top: only the demo needs the catalogue generator.
  const { generateCatalogue } = await import('../pool/catalogue/generate.ts');
  const byPlatform = new Map(sources.map((s) => [s.platform, s]));
  let imported = 0;
  for (const source of sources) {
    async function* rowsOf(): AsyncGenerator<ParsedRow> {
      let row = 0;
      for (const product of generateCatalogue(DEMO_PRODUCTS, CATALOGUE_SEED)) {
        if (byPlatform.get(product.sourceKey) !== source) continue;
        const { sourceKey: _key, ...input } = product;
        yield { row: ++row, product: input };
      }
    }
    const report = await importProducts(db, rowsOf(), { source, format: 'demo', mode: 'full' });
    imported += report.imported;
  }
  return imported;
}

/** What each demo creator sells: the categories their showcase is filled from. */
const DEMO_SHOWCASES: { categories: string[]; recommendations: string[] }[] = [
  { categories: ['美妆', '个护', '食品'], recommendations: ['自用三年回购无数次', '敏感肌也能放心用', '办公室囤货首选', '送女朋友不会错'] },
  { categories: ['数码', '家电', '运动'], recommendations: ['续航实测一整天', '性价比之王', '出差必备', '学生党闭眼入'] },
];
const ITEMS_PER_SHOWCASE = 16;
const CLICK_HISTORY_DAYS = 28;
const UA_CLASSES = ['mobile', 'mobile', 'mobile', 'desktop', 'tablet'];

/** Fills the bound creators' showcases and gives them some weeks of clicks. */
async function fillDemoShowcases(db: Kysely<Database>, creatorIds: string[]): Promise<{ showcase_items: number; clicks: number }> {
  let items = 0;
  const clicks: ClicksTable[] = [];
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const [index, creatorId] of creatorIds.entries()) {
    const creator = (await findUserById(db, creatorId))!;
    const plan = DEMO_SHOWCASES[index % DEMO_SHOWCASES.length]!;
    const picks = await db
      .selectFrom('products')
      .innerJoin('sources', 'sources.id', 'products.source_id')
      .select(['products.id', 'products.source_id'])
      .where('products.status', '=', 'online')
      .where('sources.kind', 'in', ['platform', 'merchant'])
      .where((eb) => eb.or(plan.categories.map((c) => eb('products.category_path', 'like', `${c}>%`))))
      .orderBy('products.commission_amount_minor', 'desc')
      .limit(ITEMS_PER_SHOWCASE * 3)
      .execute();
    const chosen = picks.filter((_, i) => i % 3 === index % 3).slice(0, ITEMS_PER_SHOWCASE);
    for (const [position, pick] of chosen.entries()) {
      const item = await addItem(db, creator, pick.id);
      items += 1;
      if (position < plan.recommendations.length) await updateItem(db, creator, item.id, { recommendation: plan.recommendations[position]!, pinned: position === 0 });
      const links = [{ code: item.link!.code, channel: 'showcase' }];
      if (position < 4) {
        for (const channel of ['video', 'live']) links.push({ ...(await createChannelLink(db, creator, { itemId: item.id, channel })), channel });
      }
      for (const link of links) clicks.push(...demoClicks(link, creatorId, pick.id, pick.source_id, random));
    }
  }
  clicks.sort((a, b) => (a.id < b.id ? -1 : 1));
  await recordPastClicks(db, clicks);
  return { showcase_items: items, clicks: clicks.length };
}

function demoClicks(link: { code: string; channel: string }, creatorId: string, productId: string, sourceId: string, random: () => number): ClicksTable[] {
  const out: ClicksTable[] = [];
  const now = Date.now();
  const popularity = 1 + Math.floor(random() * 12);
  for (let day = CLICK_HISTORY_DAYS; day >= 1; day--) {
    const count = Math.floor(random() * popularity * (link.channel === 'live' ? 2 : 1));
    for (let i = 0; i < count; i++) {
      const at = now - day * 86_400_000 + Math.floor(random() * 86_400_000);
      const isBot = random() < 0.04;
      out.push({
        id: newIdAt('click', at),
        link_code: link.code,
        creator_id: creatorId,
        product_id: productId,
        source_id: sourceId,
        channel: link.channel,
        clicked_at: new Date(at).toISOString(),
        ip_hash: `demo${Math.floor(random() * 5000).toString(36)}`,
        ua_class: isBot ? 'bot' : UA_CLASSES[Math.floor(random() * UA_CLASSES.length)]!,
        referrer: null,
        is_bot: isBot ? 1 : 0,
        is_repeat: !isBot && random() < 0.1 ? 1 : 0,
      });
    }
  }
  return out;
}

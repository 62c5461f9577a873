import type { Kysely } from 'kysely';
import { Conflict } from '../../core/errors.ts';
import type { Database, Platform, Role, SourceKind } from '../../db/schema.ts';
import { countUsers, createUser } from '../accounts/service.ts';
import { registerOrganisation, recordPastMembership } from '../orgs/service.ts';
import { importProducts } from '../pool/import.ts';
import type { ParsedRow } from '../pool/model.ts';
import { createSource } from '../sources/service.ts';
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
 * creators, an unbound creator, a merchant, six sources, and a pool of products across them —
 * in one transaction, so a failure leaves the database empty.
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
    return { users: Object.keys(users).length, organisations: 1, memberships: 2, sources: sources.length, products };
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

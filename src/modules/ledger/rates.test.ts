import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inForceAt, resolveRate, type ColonelActivity, type Plans, type RateContext, type TargetedPlan } from './rates.ts';

const T0 = Date.UTC(2026, 0, 1);
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const instant = fc.integer({ min: 0, max: 200 }).map(at);
const window = fc
  .tuple(fc.integer({ min: 0, max: 200 }), fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }))
  .map(([s, len]) => ({ startsAt: at(s), endsAt: len === null ? null : at(s + len) }));
const bps = fc.integer({ min: 0, max: 10_000 });
const creators = ['c1', 'c2'];
const orgs = ['o1', 'o2'];
const products = ['p1', 'p2'];

const targeted: fc.Arbitrary<TargetedPlan> = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    productId: fc.constantFrom(...products),
    targetKind: fc.constantFrom('creator' as const, 'organisation' as const),
    n: fc.integer({ min: 0, max: 1 }),
    rateBps: bps,
    status: fc.constantFrom('requested' as const, 'approved' as const, 'rejected' as const, 'withdrawn' as const),
    createdAt: instant,
    w: window,
  })
  .map(({ n, w, ...p }) => ({ ...p, ...w, targetId: p.targetKind === 'creator' ? creators[n]! : orgs[n]! }));

const colonel: fc.Arbitrary<ColonelActivity> = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    colonelId: fc.constantFrom('k1', 'k2'),
    productIds: fc.subarray(products),
    rateBps: bps,
    shareBps: bps,
    status: fc.constantFrom('active' as const, 'cancelled' as const),
    createdAt: instant,
    w: window,
  })
  .map(({ w, ...a }) => ({ ...a, ...w }));

const plans: fc.Arbitrary<Plans> = fc.record({
  targeted: fc.array(targeted, { maxLength: 6 }),
  colonel: fc.array(colonel, { maxLength: 6 }),
  open: fc.record({ rateBps: bps }),
});

const context: fc.Arbitrary<RateContext> = fc.record({
  creatorId: fc.constantFrom(...creators),
  organisationId: fc.constantFrom(null, ...orgs),
  productId: fc.constantFrom(...products),
  paidAt: instant,
});

const targetedApplies = (c: RateContext, p: TargetedPlan) =>
  p.status === 'approved' &&
  p.productId === c.productId &&
  (p.targetKind === 'creator' ? p.targetId === c.creatorId : p.targetId === c.organisationId) &&
  inForceAt(p, c.paidAt);
const colonelApplies = (c: RateContext, a: ColonelActivity) =>
  a.status === 'active' && a.productIds.includes(c.productId) && inForceAt(a, c.paidAt);

describe('resolveRate', () => {
  it('always answers with a candidate in force, of the highest tier present', () => {
    fc.assert(
      fc.property(context, plans, (c, p) => {
        const r = resolveRate(c, p);
        const ts = p.targeted.filter((t) => targetedApplies(c, t));
        const cs = p.colonel.filter((a) => colonelApplies(c, a));
        if (ts.length > 0) {
          expect(r.plan.kind).toBe('targeted');
          const chosen = ts.filter((t) => t.id === r.plan.id && t.rateBps === r.rateBps);
          expect(chosen.length).toBeGreaterThan(0);
          expect(r.rateBps).toBe(Math.max(...ts.map((t) => t.rateBps)));
          expect(r.colonel).toBeUndefined();
        } else if (cs.length > 0) {
          expect(r.plan.kind).toBe('colonel');
          const chosen = cs.find((a) => a.id === r.plan.id && a.rateBps === r.rateBps)!;
          expect(chosen).toBeDefined();
          expect(r.colonel).toEqual({ colonelId: chosen.colonelId, shareBps: chosen.shareBps });
          expect(r.rateBps).toBe(Math.max(...cs.map((a) => a.rateBps)));
        } else {
          expect(r).toEqual({ rateBps: p.open.rateBps, plan: { kind: 'open' } });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a targeted plan in force always wins, whatever colonel activities exist', () => {
    fc.assert(
      fc.property(context, plans, bps, (c, p, rate) => {
        const mine: TargetedPlan = {
          id: 'mine', productId: c.productId, targetKind: 'creator', targetId: c.creatorId, rateBps: rate,
          status: 'approved', createdAt: at(0), startsAt: c.paidAt, endsAt: null,
        };
        const r = resolveRate(c, { ...p, targeted: [...p.targeted, mine] });
        expect(r.plan.kind).toBe('targeted');
        expect(r.rateBps).toBeGreaterThanOrEqual(rate);
      }),
    );
  });

  it('outside every window the open rate applies', () => {
    fc.assert(
      fc.property(context, plans, (c, p) => {
        const late = { ...c, paidAt: at(10_000) };
        const bounded = {
          ...p,
          targeted: p.targeted.map((t) => ({ ...t, endsAt: t.endsAt ?? at(300) })),
          colonel: p.colonel.map((a) => ({ ...a, endsAt: a.endsAt ?? at(300) })),
        };
        const early = { ...c, paidAt: new Date(T0 - 1).toISOString() };
        expect(resolveRate(late, bounded)).toEqual({ rateBps: p.open.rateBps, plan: { kind: 'open' } });
        expect(resolveRate(early, p)).toEqual({ rateBps: p.open.rateBps, plan: { kind: 'open' } });
      }),
    );
  });

  it('does not depend on the order the candidates come in', () => {
    fc.assert(
      fc.property(context, plans, fc.func(fc.integer()), (c, p, key) => {
        const shuffled = {
          ...p,
          targeted: [...p.targeted].sort((a, b) => key(a.id) - key(b.id)).reverse(),
          colonel: [...p.colonel].reverse(),
        };
        expect(resolveRate(c, shuffled)).toEqual(resolveRate(c, p));
      }),
    );
  });

  const base = { startsAt: at(0), endsAt: null, createdAt: at(0) };
  const ctx: RateContext = { creatorId: 'c1', organisationId: 'o1', productId: 'p1', paidAt: at(10) };

  it('breaks ties by highest rate, then earliest created, then smallest id', () => {
    const t = (id: string, rateBps: number, createdAt: string): TargetedPlan => ({
      ...base, id, productId: 'p1', targetKind: 'organisation', targetId: 'o1', rateBps, status: 'approved', createdAt,
    });
    const open = { rateBps: 100 };
    expect(resolveRate(ctx, { targeted: [t('a', 1000, at(0)), t('b', 2000, at(5))], colonel: [], open }).plan.id).toBe('b');
    expect(resolveRate(ctx, { targeted: [t('a', 2000, at(3)), t('b', 2000, at(1))], colonel: [], open }).plan.id).toBe('b');
    expect(resolveRate(ctx, { targeted: [t('b', 2000, at(1)), t('a', 2000, at(1))], colonel: [], open }).plan.id).toBe('a');
  });

  it('windows are half-open and compared as instants, not text', () => {
    const plan: TargetedPlan = { ...base, id: 'x', productId: 'p1', targetKind: 'creator', targetId: 'c1', rateBps: 3000, status: 'approved', startsAt: '2026-01-01T10:00:00Z', endsAt: '2026-01-02T10:00:00.000Z' };
    const plansX = { targeted: [plan], colonel: [], open: { rateBps: 100 } };
    expect(resolveRate({ ...ctx, paidAt: '2026-01-01T10:00:00.000Z' }, plansX).rateBps).toBe(3000);
    expect(resolveRate({ ...ctx, paidAt: '2026-01-02T10:00:00Z' }, plansX).rateBps).toBe(100);
    expect(resolveRate({ ...ctx, paidAt: '2026-01-02T18:00:00+08:00' }, plansX).rateBps).toBe(100);
  });

  it('an organisation plan needs the membership at paidAt; unapproved plans and cancelled activities never apply', () => {
    const orgPlan: TargetedPlan = { ...base, id: 'o', productId: 'p1', targetKind: 'organisation', targetId: 'o1', rateBps: 3000, status: 'approved' };
    const activity: ColonelActivity = { ...base, id: 'k', colonelId: 'k1', productIds: ['p1'], rateBps: 2500, shareBps: 1000, status: 'active' };
    const p: Plans = { targeted: [orgPlan], colonel: [activity], open: { rateBps: 100 } };
    expect(resolveRate(ctx, p).plan).toEqual({ kind: 'targeted', id: 'o' });
    expect(resolveRate({ ...ctx, organisationId: null }, p)).toEqual({ rateBps: 2500, plan: { kind: 'colonel', id: 'k' }, colonel: { colonelId: 'k1', shareBps: 1000 } });
    expect(resolveRate(ctx, { ...p, targeted: [{ ...orgPlan, status: 'requested' }] }).plan.kind).toBe('colonel');
    expect(resolveRate(ctx, { ...p, targeted: [], colonel: [{ ...activity, status: 'cancelled' }] }).plan.kind).toBe('open');
    expect(resolveRate({ ...ctx, productId: 'p2' }, p).plan.kind).toBe('open');
  });

  it('an ended plan or activity keeps its rate for orders paid before the end, and the open rate applies from the end on', () => {
    const endsAt = at(20);
    const plan: TargetedPlan = { ...base, id: 't', productId: 'p1', targetKind: 'creator', targetId: 'c1', rateBps: 3000, status: 'approved', endsAt };
    const activity: ColonelActivity = { ...base, id: 'k', colonelId: 'k1', productIds: ['p1'], rateBps: 2500, shareBps: 1000, status: 'active', endsAt };
    const open = { rateBps: 100 };
    const paid = (hours: number) => ({ ...ctx, paidAt: at(hours) });
    expect(resolveRate(paid(19.99), { targeted: [plan], colonel: [], open }).plan).toEqual({ kind: 'targeted', id: 't' });
    expect(resolveRate(paid(20), { targeted: [plan], colonel: [], open })).toEqual({ rateBps: 100, plan: { kind: 'open' } });
    expect(resolveRate(paid(19.99), { targeted: [], colonel: [activity], open }).plan).toEqual({ kind: 'colonel', id: 'k' });
    expect(resolveRate(paid(21), { targeted: [], colonel: [activity], open })).toEqual({ rateBps: 100, plan: { kind: 'open' } });
  });

  it('refuses rates that are not basis points', () => {
    expect(() => resolveRate(ctx, { targeted: [], colonel: [], open: { rateBps: 12.5 } })).toThrow(RangeError);
    expect(() => resolveRate(ctx, { targeted: [], colonel: [], open: { rateBps: 10_001 } })).toThrow(RangeError);
  });
});

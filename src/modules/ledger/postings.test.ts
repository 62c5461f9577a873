import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountOf,
  assertBalanced,
  BalanceCache,
  balancesOf,
  commissionClawedBack,
  commissionEstimated,
  commissionMoved,
  commissionReversed,
  commissionRetermed,
  combined,
  earningsSummary,
  LedgerError,
  partyKey,
  PLATFORM,
  receivableOf,
  sharesOf,
  summaryFromBalances,
  withdrawalFailed,
  withdrawalPaid,
  withdrawalRequested,
  type CommissionLine,
  type CommissionStatus,
  type EarningsSummary,
  type Party,
  type Posting,
  type Transaction,
  type Withdrawal,
} from './postings.ts';
import { commissionOf, splitCommission } from './split.ts';

const AT = '2026-11-25T10:00:00Z';
const creator: Party = { kind: 'creator', id: 'c1' };
const org: Party = { kind: 'org', id: 'o1' };
const colonel: Party = { kind: 'colonel', id: 'k1' };
const line: CommissionLine = {
  id: 'l1', sourceId: 's1', currency: 'CNY', creatorId: 'c1', paidAmountMinor: 10_000, rateBps: 2000,
  platformFeeBps: 1000, colonel: { colonelId: 'k1', shareBps: 2000 }, organisation: { organisationId: 'o1', shareBps: 3000 },
};
const all = (...txs: Transaction[]) => txs.flatMap((t) => t.postings);
const summary = (s: Partial<EarningsSummary>): EarningsSummary => ({
  currency: 'CNY', estimated: 0, confirmed: 0, settleable: 0, settled: 0, available: 0, paid_out: 0, ...s,
});

describe('assertBalanced', () => {
  it('accepts postings that sum to zero per currency and refuses anything else', () => {
    const ok: Posting[] = [
      { account: 'a', amountMinor: 5, currency: 'CNY' }, { account: 'b', amountMinor: -5, currency: 'CNY' },
      { account: 'a', amountMinor: 7, currency: 'USD' }, { account: 'c', amountMinor: -7, currency: 'USD' },
    ];
    expect(() => assertBalanced(ok)).not.toThrow();
    expect(() => assertBalanced([])).not.toThrow();
    // balanced in total but not per currency
    expect(() => assertBalanced([{ account: 'a', amountMinor: 5, currency: 'CNY' }, { account: 'b', amountMinor: -5, currency: 'USD' }])).toThrow(LedgerError);
    expect(() => assertBalanced([{ account: 'a', amountMinor: 1, currency: 'CNY' }])).toThrow(/sum to 1/);
    expect(() => assertBalanced([{ account: 'a', amountMinor: 0.5, currency: 'CNY' }, { account: 'b', amountMinor: -0.5, currency: 'CNY' }])).toThrow(RangeError);
    expect(() => assertBalanced([{ account: 'a', amountMinor: 0, currency: 'cny' }])).toThrow(LedgerError);
  });
});

describe('accounts', () => {
  it('are named by party and status; ids may not contain the separator', () => {
    expect(accountOf(creator, 'estimated')).toBe('creator:c1:estimated');
    expect(accountOf(org, 'paid_out')).toBe('org:o1:paid_out');
    expect(accountOf(PLATFORM, 'settled')).toBe('platform:fee:settled');
    expect(receivableOf('s1')).toBe('source:s1:receivable');
    expect(() => partyKey({ kind: 'creator', id: 'a:b' })).toThrow(LedgerError);
  });
});

describe('a commission through its life', () => {
  // commission 2000: platform 200, colonel 360 (20% of 1800), org 432 (30% of 1440), creator 1008
  it('is estimated on payment, split across the parties against the source receivable', () => {
    const tx = commissionEstimated(line, AT);
    expect(tx.id).toBe('estimated:l1');
    expect(tx.postings).toEqual([
      { account: 'source:s1:receivable', amountMinor: -2000, currency: 'CNY' },
      { account: 'platform:fee:estimated', amountMinor: 200, currency: 'CNY' },
      { account: 'colonel:k1:estimated', amountMinor: 360, currency: 'CNY' },
      { account: 'org:o1:estimated', amountMinor: 432, currency: 'CNY' },
      { account: 'creator:c1:estimated', amountMinor: 1008, currency: 'CNY' },
    ]);
    expect(earningsSummary(tx.postings, creator, 'CNY')).toEqual(summary({ estimated: 1008 }));
    expect(earningsSummary(tx.postings, org, 'CNY')).toEqual(summary({ estimated: 432 }));
  });

  it('moves forward through the statuses, never back', () => {
    const txs = [
      commissionEstimated(line, AT),
      commissionMoved(line, 0, 'estimated', 'confirmed', AT),
      commissionMoved(line, 0, 'confirmed', 'settleable', AT),
    ];
    expect(earningsSummary(all(...txs), creator, 'CNY')).toEqual(summary({ settleable: 1008 }));
    const settled = commissionMoved(line, 0, 'settleable', 'settled', AT);
    expect(earningsSummary(all(...txs, settled), creator, 'CNY')).toEqual(summary({ settled: 1008, available: 1008 }));
    expect(() => commissionMoved(line, 0, 'confirmed', 'estimated', AT)).toThrow(/cannot move/);
    expect(() => commissionMoved(line, 0, 'settled', 'settled', AT)).toThrow(LedgerError);
  });

  it('partial refunds before settlement reverse the refunded share; a full refund leaves nothing anywhere', () => {
    const est = commissionEstimated(line, AT);
    const r1 = commissionReversed(line, 'estimated', 0, 2500, AT); // 7500 paid left -> commission 1500
    expect(r1.id).toBe('reversed:l1:2500');
    const conf = commissionMoved(line, 2500, 'estimated', 'confirmed', AT);
    const r2 = commissionReversed(line, 'confirmed', 2500, 10_000, AT);
    const postings = all(est, r1, conf, r2);
    for (const p of [creator, org, colonel, PLATFORM]) expect(earningsSummary(postings, p, 'CNY')).toEqual(summary({}));
    expect(balancesOf(postings).get('CNY')!.get('source:s1:receivable')).toBe(0);
    const after1 = earningsSummary(all(est, r1), creator, 'CNY');
    expect(after1.estimated).toBe(sharesOf(line, 2500).at(-1)!.amountMinor);
    expect(() => commissionReversed(line, 'settled', 0, 1, AT)).toThrow(/claw-back/);
    expect(() => commissionReversed(line, 'estimated', 100, 100, AT)).toThrow(LedgerError);
    expect(() => commissionReversed(line, 'estimated', 0, 10_001, AT)).toThrow(LedgerError);
  });

  it('a refund after settlement is a claw-back: a negative entry, available goes negative after a payout', () => {
    const settledTxs = [
      commissionEstimated(line, AT),
      commissionMoved(line, 0, 'estimated', 'settled', AT),
    ];
    const w: Withdrawal = { id: 'w1', party: creator, amountMinor: 1008, currency: 'CNY' };
    const req = withdrawalRequested(w, 1008, 100, AT);
    const paid = withdrawalPaid(w, AT);
    const claw = commissionClawedBack(line, 0, 10_000, AT, 'st-2026-12');
    expect(claw.ref).toEqual({ settlementId: 'st-2026-12' });
    expect(claw.postings).toContainEqual({ account: 'creator:c1:settled', amountMinor: -1008, currency: 'CNY' });
    const postings = all(...settledTxs, req, paid, claw);
    expect(earningsSummary(postings, creator, 'CNY')).toEqual(summary({ settled: 0, paid_out: 1008, available: -1008 }));
    // the history before it is untouched: the settlement entries are still there
    expect(postings.slice(0, all(...settledTxs).length)).toEqual(all(...settledTxs));
  });

  it('a line without colonel or organisation books the platform and the creator only; a zero commission books nothing', () => {
    const plain: CommissionLine = { id: 'l2', sourceId: 's1', currency: 'CNY', creatorId: 'c1', paidAmountMinor: 1990, rateBps: 2000, platformFeeBps: 500 };
    expect(commissionEstimated(plain, AT).postings.map((p) => [p.account, p.amountMinor])).toEqual([
      ['source:s1:receivable', -398], ['platform:fee:estimated', 20], ['creator:c1:estimated', 378],
    ]);
    expect(commissionEstimated({ ...plain, rateBps: 0 }, AT).postings).toEqual([]);
  });

  it('re-termed (its order paid earlier than first seen), leaves each bucket as if booked on the new terms, in any status and after any refund (property)', () => {
    const terms = fc.record({
      rateBps: fc.integer({ min: 0, max: 10_000 }),
      colonel: fc.option(fc.record({ colonelId: fc.constantFrom('k1', 'k2'), shareBps: fc.integer({ min: 0, max: 5000 }) }), { nil: null }),
      organisation: fc.option(fc.record({ organisationId: fc.constantFrom('o1', 'o2'), shareBps: fc.integer({ min: 0, max: 5000 }) }), { nil: null }),
    });
    fc.assert(
      fc.property(terms, terms, fc.integer({ min: 1, max: 2_000_000 }), fc.nat(), fc.constantFrom<CommissionStatus>('estimated', 'confirmed', 'settleable', 'settled'), (before, after, paid, refundSeed, status) => {
        const old: CommissionLine = { id: 'l9', sourceId: 's1', currency: 'CNY', creatorId: 'c1', paidAmountMinor: paid, platformFeeBps: 1000, ...before };
        const next: CommissionLine = { ...old, ...after };
        const refunded = refundSeed % (paid + 1);
        const bookedOn = (l: CommissionLine) => {
          const cache = new BalanceCache();
          cache.apply(commissionEstimated(l, AT));
          if (status !== 'estimated') cache.apply(commissionMoved(l, 0, 'estimated', status, AT));
          if (refunded > 0) cache.apply(status === 'settled' ? commissionClawedBack(l, 0, refunded, AT) : commissionReversed(l, status, 0, refunded, AT));
          return cache;
        };
        const cache = bookedOn(old);
        const moved = commissionRetermed(old, next, status, refunded, AT);
        cache.apply(moved);
        expect(moved.kind).toBe(status === 'settled' ? 'commission_clawed_back' : 'commission_retermed');
        const nonZero = (b: Map<string, number> | undefined) => new Map([...(b ?? new Map<string, number>())].filter(([, v]) => v !== 0));
        expect(nonZero(cache.balances.get('CNY'))).toEqual(nonZero(bookedOn(next).balances.get('CNY')));
      }),
      { numRuns: 500 },
    );
    expect(() => commissionRetermed(line, { ...line, paidAmountMinor: 1 }, 'estimated', 0, AT)).toThrow(LedgerError);
  });
});

describe('withdrawals', () => {
  const w: Withdrawal = { id: 'w1', party: org, amountMinor: 300, currency: 'CNY' };
  const base = [commissionEstimated(line, AT), commissionMoved(line, 0, 'estimated', 'settled', AT)];

  it('requested money is not available; paid money is paid out; failed money is available again', () => {
    const req = withdrawalRequested(w, 432, 100, AT);
    expect(earningsSummary(all(...base, req), org, 'CNY')).toEqual(summary({ settled: 432, available: 132 }));
    expect(earningsSummary(all(...base, req, withdrawalPaid(w, AT)), org, 'CNY')).toEqual(summary({ settled: 432, available: 132, paid_out: 300 }));
    expect(earningsSummary(all(...base, req, withdrawalFailed(w, AT)), org, 'CNY')).toEqual(summary({ settled: 432, available: 432 }));
  });

  it('are refused below the minimum, above what is available, or not positive', () => {
    expect(() => withdrawalRequested(w, 299, 100, AT)).toThrow(/only 299/);
    expect(() => withdrawalRequested(w, 1000, 500, AT)).toThrow(/at least 500/);
    expect(() => withdrawalRequested({ ...w, amountMinor: 0 }, 1000, 0, AT)).toThrow(LedgerError);
  });
});

describe('combined transactions', () => {
  const line2: CommissionLine = { ...line, id: 'l2', creatorId: 'c2', colonel: null, organisation: null, paidAmountMinor: 5_000 };
  const LATER = '2026-11-25T12:00:00Z';

  it('are one per kind, each account summed, named after their first member, at the latest instant', () => {
    const txs = [commissionEstimated(line, AT), commissionEstimated(line2, LATER), commissionMoved(line, 0, 'estimated', 'confirmed', AT)];
    const [estimated, moved, ...rest] = combined(txs);
    expect(rest).toEqual([]);
    expect(estimated).toMatchObject({ id: 'estimated:l1', kind: 'commission_estimated', at: LATER });
    // line: 2000 (200 / 360 / 432 / 1008); line2: 1000 (100 platform, 900 creator c2)
    expect(estimated!.postings).toEqual([
      { account: 'source:s1:receivable', amountMinor: -3000, currency: 'CNY' },
      { account: 'platform:fee:estimated', amountMinor: 300, currency: 'CNY' },
      { account: 'colonel:k1:estimated', amountMinor: 360, currency: 'CNY' },
      { account: 'org:o1:estimated', amountMinor: 432, currency: 'CNY' },
      { account: 'creator:c1:estimated', amountMinor: 1008, currency: 'CNY' },
      { account: 'creator:c2:estimated', amountMinor: 900, currency: 'CNY' },
    ]);
    expect(moved).toEqual(commissionMoved(line, 0, 'estimated', 'confirmed', AT));
  });

  it('drop postings that cancel out, and a transaction left with none; keep claw-backs of different settlements apart', () => {
    const there = commissionMoved(line, 0, 'estimated', 'confirmed', AT);
    const back = { ...there, id: 'x', postings: there.postings.map((p) => ({ ...p, amountMinor: -p.amountMinor })) };
    expect(combined([there, back])).toEqual([]);
    const a = commissionClawedBack(line, 0, 1000, AT, 'set_1');
    const b = commissionClawedBack(line2, 0, 1000, AT, 'set_2');
    expect(combined([a, b]).map((t) => t.ref)).toEqual([{ settlementId: 'set_1' }, { settlementId: 'set_2' }]);
  });

  it('leave every balance as the members would have, to the fen (property)', () => {
    const steps = fc.array(
      fc.record({ line: fc.constantFrom(line, line2), refunded: fc.nat(4_000), status: fc.constantFrom<CommissionStatus>('estimated', 'confirmed', 'settleable', 'settled') }),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(steps, (list) => {
        const txs = list.flatMap(({ line: l, refunded, status }) => [
          commissionEstimated(l, AT),
          ...(status === 'estimated' ? [] : [commissionMoved(l, refunded, 'estimated', status, AT)]),
          ...(refunded === 0 ? [] : status === 'settled' ? [commissionClawedBack(l, 0, refunded, AT)] : [commissionReversed(l, status, 0, refunded, AT)]),
        ]);
        const together = combined(txs);
        for (const t of together) assertBalanced(t.postings);
        expect(new Set(together.map((t) => t.kind)).size).toBe(together.length);
        const nonZero = (b: ReturnType<typeof balancesOf>) => [...b].map(([c, accounts]) => [c, [...accounts].filter(([, v]) => v !== 0).sort()]);
        expect(nonZero(balancesOf(all(...together)))).toEqual(nonZero(balancesOf(all(...txs))));
      }),
    );
  });
});

// -------------------------------------------------------------------------------------------------
// TigerBeetle spirit: random operation sequences, invariants checked after every step, and the
// summaries compared with an oracle that knows nothing of postings.

const CREATORS = ['c1', 'c2'];
const ORGS = ['o1'];
const COLONELS = ['k1'];
const CURRENCIES = ['CNY', 'USD'];
const SOURCES = ['s1', 's2'];

type Op =
  | { op: 'pay'; creator: number; org: boolean; colonel: boolean; source: number; currency: number; paid: number; rate: number; fee: number; colShare: number; orgShare: number }
  | { op: 'advance'; line: number; steps: number }
  | { op: 'refund'; line: number; part: number; full: boolean }
  | { op: 'withdraw'; party: number; part: number }
  | { op: 'payout'; withdrawal: number }
  | { op: 'fail'; withdrawal: number };

const bps = fc.integer({ min: 0, max: 10_000 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({
    op: fc.constant('pay' as const), creator: fc.nat(1), org: fc.boolean(), colonel: fc.boolean(), source: fc.nat(1), currency: fc.nat(1),
    paid: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 10_000_000 })), rate: bps, fee: bps, colShare: bps, orgShare: bps,
  }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('advance' as const), line: fc.nat(50), steps: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('refund' as const), line: fc.nat(50), part: fc.integer({ min: 1, max: 10_000 }), full: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('withdraw' as const), party: fc.nat(20), part: fc.oneof(fc.constant(10_000), fc.integer({ min: 1, max: 10_000 })) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('payout' as const), withdrawal: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('fail' as const), withdrawal: fc.nat(20) }) },
);

const PARTIES: Party[] = [
  ...CREATORS.map((id) => ({ kind: 'creator' as const, id })),
  ...ORGS.map((id) => ({ kind: 'org' as const, id })),
  ...COLONELS.map((id) => ({ kind: 'colonel' as const, id })),
  PLATFORM,
];

interface LineState { line: CommissionLine; status: CommissionStatus; refunded: number }
interface WithdrawalState { w: Withdrawal; state: 'requested' | 'paid' | 'failed' }

/** The oracle's share of a line for a party: straight from the split of the remaining commission. */
function oracleShare(l: LineState, party: Party): number {
  const c = commissionOf(l.line.paidAmountMinor - l.refunded, l.line.rateBps);
  const parts = splitCommission({
    commissionMinor: c, platformFeeBps: l.line.platformFeeBps,
    colonelShareBps: l.line.colonel?.shareBps ?? 0, organisationShareBps: l.line.organisation?.shareBps ?? 0,
  });
  switch (party.kind) {
    case 'platform': return parts.platform;
    case 'colonel': return l.line.colonel?.colonelId === party.id ? parts.colonel : 0;
    case 'org': return l.line.organisation?.organisationId === party.id ? parts.organisation : 0;
    case 'creator': return l.line.creatorId === party.id ? parts.creator : 0;
  }
}

function oracleSummary(lines: LineState[], withdrawals: WithdrawalState[], party: Party, currency: string): EarningsSummary {
  const s = summary({ currency });
  for (const l of lines) {
    if (l.line.currency !== currency) continue;
    s[l.status] += oracleShare(l, party);
  }
  let withdrawing = 0;
  for (const { w, state } of withdrawals) {
    if (w.currency !== currency || partyKey(w.party) !== partyKey(party)) continue;
    if (state === 'requested') withdrawing += w.amountMinor;
    if (state === 'paid') s.paid_out += w.amountMinor;
  }
  s.available = s.settled - s.paid_out - withdrawing;
  return s;
}

const ORDER: CommissionStatus[] = ['estimated', 'confirmed', 'settleable', 'settled'];

function run(ops: Op[]) {
  const lines: LineState[] = [];
  const withdrawals: WithdrawalState[] = [];
  const journal: Transaction[] = [];
  const cache = new BalanceCache();
  const ids = new Set<string>();
  const post = (tx: Transaction) => {
    assertBalanced(tx.postings);
    for (const p of tx.postings) expect(Number.isSafeInteger(p.amountMinor)).toBe(true);
    expect(ids.has(tx.id)).toBe(false); // each event books under its own id
    ids.add(tx.id);
    const before = journal.flatMap((t) => t.postings);
    journal.push(tx);
    cache.apply(tx);
    expect(journal.slice(0, -1).flatMap((t) => t.postings)).toEqual(before); // append-only
  };

  for (const o of ops) {
    switch (o.op) {
      case 'pay': {
        const line: CommissionLine = {
          id: `l${lines.length}`, sourceId: SOURCES[o.source]!, currency: CURRENCIES[o.currency]!, creatorId: CREATORS[o.creator]!,
          paidAmountMinor: o.paid, rateBps: o.rate, platformFeeBps: o.fee,
          colonel: o.colonel ? { colonelId: 'k1', shareBps: o.colShare } : null,
          organisation: o.org ? { organisationId: 'o1', shareBps: o.orgShare } : null,
        };
        lines.push({ line, status: 'estimated', refunded: 0 });
        post(commissionEstimated(line, AT));
        break;
      }
      case 'advance': {
        const l = lines[o.line % Math.max(lines.length, 1)];
        if (!l || l.status === 'settled') break;
        const to = ORDER[Math.min(ORDER.indexOf(l.status) + o.steps, 3)]!;
        post(commissionMoved(l.line, l.refunded, l.status, to, AT));
        l.status = to;
        break;
      }
      case 'refund': {
        const l = lines[o.line % Math.max(lines.length, 1)];
        if (!l || l.refunded === l.line.paidAmountMinor) break;
        const left = l.line.paidAmountMinor - l.refunded;
        const after = o.full ? l.line.paidAmountMinor : l.refunded + Math.max(1, Math.floor((left * o.part) / 10_000));
        post(l.status === 'settled'
          ? commissionClawedBack(l.line, l.refunded, after, AT)
          : commissionReversed(l.line, l.status, l.refunded, after, AT));
        l.refunded = after;
        break;
      }
      case 'withdraw': {
        // pick among the (party, currency) pairs that have money available, so payouts are common
        const pairs = PARTIES.flatMap((party) => CURRENCIES.map((currency) => ({ party, currency, available: summaryFromBalances(cache.balances, party, currency).available })));
        const open = pairs.filter((x) => x.available > 0);
        const refused = pairs.filter((x) => x.available <= 0);
        const r = refused[o.party % Math.max(refused.length, 1)];
        if (r) expect(() => withdrawalRequested({ id: 'x', party: r.party, amountMinor: 1, currency: r.currency }, r.available, 1, AT)).toThrow(LedgerError);
        const pick = open[o.party % Math.max(open.length, 1)];
        if (!pick) break;
        const { party, currency, available } = pick;
        const w: Withdrawal = { id: `w${withdrawals.length}`, party, currency, amountMinor: Math.max(1, Math.floor((available * o.part) / 10_000)) };
        post(withdrawalRequested(w, available, 1, AT));
        withdrawals.push({ w, state: 'requested' });
        break;
      }
      case 'payout':
      case 'fail': {
        const pending = withdrawals.filter((x) => x.state === 'requested');
        const x = pending[o.withdrawal % Math.max(pending.length, 1)];
        if (!x) break;
        post(o.op === 'payout' ? withdrawalPaid(x.w, AT) : withdrawalFailed(x.w, AT));
        x.state = o.op === 'payout' ? 'paid' : 'failed';
        break;
      }
    }
    checkInvariants(lines, withdrawals, journal, cache);
  }
  return { lines, withdrawals, journal };
}

function checkInvariants(lines: LineState[], withdrawals: WithdrawalState[], journal: Transaction[], cache: BalanceCache) {
  const postings = journal.flatMap((t) => t.postings);
  const balances = balancesOf(postings);
  // balances are the sums of postings, computed naively; the cache agrees
  for (const currency of CURRENCIES) {
    const naive = new Map<string, number>();
    for (const p of postings) if (p.currency === currency) naive.set(p.account, (naive.get(p.account) ?? 0) + p.amountMinor);
    expect(balances.get(currency) ?? new Map()).toEqual(naive);
    expect(cache.balances.get(currency) ?? new Map()).toEqual(naive);
    // the whole ledger sums to zero per currency
    expect([...naive.values()].reduce((a, b) => a + b, 0)).toBe(0);
    for (const v of naive.values()) expect(Number.isSafeInteger(v)).toBe(true);
    // each source is owed exactly the commission left on its lines
    for (const source of SOURCES) {
      const owed = lines
        .filter((l) => l.line.currency === currency && l.line.sourceId === source)
        .reduce((a, l) => a + commissionOf(l.line.paidAmountMinor - l.refunded, l.line.rateBps), 0);
      expect(naive.get(receivableOf(source)) ?? 0).toBe(0 - owed);
    }
    for (const party of PARTIES) {
      const s = summaryFromBalances(balances, party, currency);
      expect(s).toEqual(oracleSummary(lines, withdrawals, party, currency));
      expect(earningsSummary(postings, party, currency)).toEqual(s);
      // pending statuses never go negative; a party's accounts sum to its commission in every
      // status (its drawn account exactly offsets withdrawals in progress and paid out)
      expect(Math.min(s.estimated, s.confirmed, s.settleable, s.paid_out)).toBeGreaterThanOrEqual(0);
      const own = [...naive.entries()].filter(([a]) => a.startsWith(`${partyKey(party)}:`)).reduce((a, [, v]) => a + v, 0);
      expect(own).toBe(s.estimated + s.confirmed + s.settleable + s.settled);
    }
  }
}

describe('the ledger under random operation sequences', () => {
  it('balances every transaction, sums to zero, and matches the oracle at every step', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => void run(ops)), { numRuns: 1000 });
  });

  it('ends at zero everywhere but the paid-out money when everything is refunded and every withdrawal settles', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const { lines, withdrawals, journal } = run(ops);
        const tail: Transaction[] = [];
        for (const l of lines) {
          if (l.refunded === l.line.paidAmountMinor) continue;
          tail.push(l.status === 'settled'
            ? commissionClawedBack(l.line, l.refunded, l.line.paidAmountMinor, AT)
            : commissionReversed(l.line, l.status, l.refunded, l.line.paidAmountMinor, AT));
        }
        for (const x of withdrawals) if (x.state === 'requested') tail.push(withdrawalFailed(x.w, AT));
        const postings = [...journal, ...tail].flatMap((t) => t.postings);
        for (const currency of CURRENCIES) {
          for (const party of PARTIES) {
            const s = earningsSummary(postings, party, currency);
            const paid = withdrawals.filter((x) => x.state === 'paid' && x.w.currency === currency && partyKey(x.w.party) === partyKey(party))
              .reduce((a, x) => a + x.w.amountMinor, 0);
            expect(s).toEqual(summary({ currency, paid_out: paid, available: 0 - paid }));
          }
          for (const source of SOURCES) expect(balancesOf(postings).get(currency)?.get(receivableOf(source)) ?? 0).toBe(0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses an unbalanced transaction into the cache', () => {
    const cache = new BalanceCache();
    expect(() => cache.apply({ id: 'bad', kind: 'commission_moved', at: AT, postings: [{ account: 'a', amountMinor: 1, currency: 'CNY' }] })).toThrow(LedgerError);
    expect(cache.balances.size).toBe(0);
  });
});

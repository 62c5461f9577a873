/**
 * The double-entry model of commissions and payouts. Pure: builders turn a domain event into a
 * balanced transaction; storage (a later concern) only appends them — nothing is updated or deleted.
 *
 * Sign convention: a posting adds its amount to its account; an account's balance is the sum of
 * its postings. Party accounts are positive when the platform owes the party; the counter-account
 * of commission is the source's receivable, negative by what the source owes for it.
 *
 * Accounts (party P = `creator:<id>` | `org:<id>` | `colonel:<id>` | `platform:fee`):
 *   P:estimated | P:confirmed | P:settleable | P:settled   commission shares by status
 *   P:withdrawing                                          withdrawals requested, not yet paid/failed
 *   P:paid_out                                             withdrawals paid
 *   P:drawn                                                counter of the two above: -(withdrawing + paid_out)
 *   source:<id>:receivable                                 -(commission booked on that source)
 * So a party's accounts sum to its commission in every status (drawn offsets withdrawing + paid_out);
 * what the platform still owes it is that sum less paid_out.
 *
 * Flows (each one transaction, summing to zero per currency):
 *   paid          receivable -C ; P:estimated +share(P)               (C split per split.ts)
 *   move          P:<from> -share ; P:<to> +share                     (forward only)
 *   refund        receivable +ΔC ; P:<status> -Δshare                 (before settlement)
 *   claw-back     receivable +ΔC ; P:settled -Δshare                  (after settlement; a new
 *                 negative entry that the next settlement nets against — `available` may go negative)
 *   re-terms      receivable +(C-C') ; P:<status> -share(P) +share'(P) (the order's paid instant
 *                 moved earlier and the terms in force then differ; after settlement it is booked as
 *                 a claw-back, which may be positive for a party)
 *   withdrawal    requested: P:drawn -W ; P:withdrawing +W
 *                 paid:      P:withdrawing -W ; P:paid_out +W
 *                 failed:    P:withdrawing -W ; P:drawn +W            (the money is available again)
 * Partial refunds are cumulative: after refunds totalling R, each party's share is exactly its
 * split of commissionOf(paid - R, rate), so a full refund always reverses to the fen, and the
 * reversal of one refund is the difference of the two splits.
 */
import { assertMinorUnits } from '../../core/money.ts';
import { assertBps } from './rates.ts';
import { commissionOf, splitCommission } from './split.ts';

export const COMMISSION_STATUSES = ['estimated', 'confirmed', 'settleable', 'settled'] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];
export type Bucket = CommissionStatus | 'withdrawing' | 'paid_out' | 'drawn';

export type PartyKind = 'creator' | 'org' | 'colonel' | 'platform';
export interface Party {
  kind: PartyKind;
  id: string;
}
export const PLATFORM: Party = { kind: 'platform', id: 'fee' };

export interface Posting {
  account: string;
  amountMinor: number;
  currency: string;
}

export type TransactionKind =
  | 'commission_estimated'
  | 'commission_moved'
  | 'commission_reversed'
  | 'commission_clawed_back'
  | 'commission_retermed'
  | 'withdrawal_requested'
  | 'withdrawal_paid'
  | 'withdrawal_failed';

export interface Transaction {
  /** deterministic from the event, so that storing the same event twice is detectable */
  id: string;
  kind: TransactionKind;
  at: string;
  postings: Posting[];
  /** e.g. the settlement a claw-back is charged against */
  ref?: Record<string, string>;
}

export class LedgerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}

function assertId(id: string, what: string): void {
  if (id.length === 0 || id.includes(':')) throw new LedgerError('bad_id', `${what} must be non-empty and contain no ':', got '${id}'`);
}

export function partyKey(party: Party): string {
  assertId(party.id, `${party.kind} id`);
  return `${party.kind}:${party.id}`;
}

export function accountOf(party: Party, bucket: Bucket): string {
  return `${partyKey(party)}:${bucket}`;
}

export function receivableOf(sourceId: string): string {
  assertId(sourceId, 'source id');
  return `source:${sourceId}:receivable`;
}

/** Throws unless every amount is a safe integer, every currency named, and each currency sums to zero. */
export function assertBalanced(postings: readonly Posting[]): void {
  const sums = new Map<string, number>();
  for (const p of postings) {
    assertMinorUnits(p.amountMinor, `posting to ${p.account}`);
    if (p.account.length === 0) throw new LedgerError('bad_posting', 'a posting needs an account');
    if (!/^[A-Z]{3}$/.test(p.currency)) throw new LedgerError('bad_posting', `bad currency '${p.currency}' on ${p.account}`);
    sums.set(p.currency, (sums.get(p.currency) ?? 0) + p.amountMinor);
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0) throw new LedgerError('unbalanced', `postings in ${currency} sum to ${sum}, not 0`);
  }
}

function transaction(id: string, kind: TransactionKind, at: string, postings: Posting[], ref?: Record<string, string>): Transaction {
  if (Number.isNaN(Date.parse(at))) throw new LedgerError('bad_time', `'${at}' is not an ISO-8601 instant`);
  const kept = postings.filter((p) => p.amountMinor !== 0);
  assertBalanced(kept);
  return ref === undefined ? { id, kind, at, postings: kept } : { id, kind, at, postings: kept, ref };
}

// ---------------------------------------------------------------------------------------------
// Commission of one order line

/** What the ledger needs to know of an order line's commission; fixed when the order was paid. */
export interface CommissionLine {
  /** the commission's id (one per order line) */
  id: string;
  sourceId: string;
  currency: string;
  creatorId: string;
  paidAmountMinor: number;
  rateBps: number;
  platformFeeBps: number;
  colonel?: { colonelId: string; shareBps: number } | null;
  organisation?: { organisationId: string; shareBps: number } | null;
}

export interface Share {
  party: Party;
  amountMinor: number;
}

function checkLine(line: CommissionLine): void {
  assertId(line.id, 'commission id');
  assertMinorUnits(line.paidAmountMinor, 'paid amount');
  if (line.paidAmountMinor < 0) throw new LedgerError('bad_amount', 'the paid amount cannot be negative');
  assertBps(line.rateBps);
}

function checkRefunded(line: CommissionLine, refundedMinor: number): void {
  assertMinorUnits(refundedMinor, 'refunded amount');
  if (refundedMinor < 0 || refundedMinor > line.paidAmountMinor) {
    throw new LedgerError('bad_refund', `refunded ${refundedMinor} is outside [0, ${line.paidAmountMinor}]`);
  }
}

/** The commission left on a line after refunds totalling refundedMinor. */
export function remainingCommission(line: CommissionLine, refundedMinor = 0): number {
  checkLine(line);
  checkRefunded(line, refundedMinor);
  return commissionOf(line.paidAmountMinor - refundedMinor, line.rateBps);
}

/**
 * The shares last computed: one step of a commission reads them for each of its transactions and
 * for its row, one line after another, with at most two refunded totals (before and after a
 * refund). A few entries by line object and refunded total catch those repeats without a map per
 * line. A line is never changed once built.
 */
const recentShares: { line: CommissionLine | null; refundedMinor: number; shares: readonly Share[] }[] = Array.from({ length: 4 }, () => ({ line: null, refundedMinor: 0, shares: [] }));
let nextRecent = 0;

/** Each party's share of the line's commission after refunds totalling refundedMinor (platform, colonel, org, creator). */
export function sharesOf(line: CommissionLine, refundedMinor = 0): readonly Share[] {
  for (const recent of recentShares) if (recent.line === line && recent.refundedMinor === refundedMinor) return recent.shares;
  const entry = recentShares[nextRecent]!;
  nextRecent = (nextRecent + 1) % recentShares.length;
  entry.line = line;
  entry.refundedMinor = refundedMinor;
  entry.shares = computeShares(line, refundedMinor);
  return entry.shares;
}

/** `sharesOf` without its cache: for a line object seen once (a settlement reads a million). */
export function computeShares(line: CommissionLine, refundedMinor: number): Share[] {
  const parts = splitCommission({
    commissionMinor: remainingCommission(line, refundedMinor),
    platformFeeBps: line.platformFeeBps,
    colonelShareBps: line.colonel?.shareBps ?? 0,
    organisationShareBps: line.organisation?.shareBps ?? 0,
  });
  const shares: Share[] = [{ party: PLATFORM, amountMinor: parts.platform }];
  if (line.colonel) shares.push({ party: { kind: 'colonel', id: line.colonel.colonelId }, amountMinor: parts.colonel });
  if (line.organisation) shares.push({ party: { kind: 'org', id: line.organisation.organisationId }, amountMinor: parts.organisation });
  shares.push({ party: { kind: 'creator', id: line.creatorId }, amountMinor: parts.creator });
  return shares;
}

/** The order was paid: the whole commission is booked as estimated, split across the parties. */
export function commissionEstimated(line: CommissionLine, at: string): Transaction {
  const shares = sharesOf(line, 0);
  const total = shares.reduce((a, s) => a + s.amountMinor, 0);
  return transaction(`estimated:${line.id}`, 'commission_estimated', at, [
    { account: receivableOf(line.sourceId), amountMinor: 0 - total, currency: line.currency },
    ...shares.map((s) => ({ account: accountOf(s.party, 'estimated'), amountMinor: s.amountMinor, currency: line.currency })),
  ]);
}

/**
 * The commission moves forward in status (estimated -> confirmed -> settleable -> settled; a step
 * may be skipped when events arrive late, never taken back). Moves what is left after refunds.
 */
export function commissionMoved(
  line: CommissionLine,
  refundedMinor: number,
  from: CommissionStatus,
  to: CommissionStatus,
  at: string,
): Transaction {
  if (COMMISSION_STATUSES.indexOf(to) <= COMMISSION_STATUSES.indexOf(from)) {
    throw new LedgerError('bad_transition', `commission cannot move from ${from} to ${to}`);
  }
  const postings = sharesOf(line, refundedMinor).flatMap((s) => [
    { account: accountOf(s.party, from), amountMinor: 0 - s.amountMinor, currency: line.currency },
    { account: accountOf(s.party, to), amountMinor: s.amountMinor, currency: line.currency },
  ]);
  return transaction(`moved:${line.id}:${to}`, 'commission_moved', at, postings);
}

function reversalPostings(line: CommissionLine, bucket: CommissionStatus, refundedBefore: number, refundedAfter: number): Posting[] {
  if (refundedAfter <= refundedBefore) {
    throw new LedgerError('bad_refund', `a refund must raise the refunded total (${refundedBefore} -> ${refundedAfter})`);
  }
  const before = sharesOf(line, refundedBefore);
  const after = sharesOf(line, refundedAfter);
  const deltas = before.map((s, i) => ({ party: s.party, amountMinor: s.amountMinor - after[i]!.amountMinor }));
  const total = deltas.reduce((a, d) => a + d.amountMinor, 0);
  return [
    { account: receivableOf(line.sourceId), amountMinor: total, currency: line.currency },
    ...deltas.map((d) => ({ account: accountOf(d.party, bucket), amountMinor: 0 - d.amountMinor, currency: line.currency })),
  ];
}

/**
 * A refund before settlement (full or partial; refunded totals are cumulative): the refunded
 * share of the commission leaves whatever status it is in. After settlement use clawedBack.
 */
export function commissionReversed(
  line: CommissionLine,
  status: CommissionStatus,
  refundedBefore: number,
  refundedAfter: number,
  at: string,
): Transaction {
  if (status === 'settled') throw new LedgerError('already_settled', 'a refund after settlement is a claw-back');
  return transaction(`reversed:${line.id}:${refundedAfter}`, 'commission_reversed', at, reversalPostings(line, status, refundedBefore, refundedAfter));
}

/**
 * A refund after settlement: a new negative entry against each party's settled commission,
 * charged to the next settlement (its id, when known, is kept in ref). History is never rewritten.
 */
export function commissionClawedBack(
  line: CommissionLine,
  refundedBefore: number,
  refundedAfter: number,
  at: string,
  settlementId?: string,
): Transaction {
  return transaction(
    `clawback:${line.id}:${refundedAfter}`,
    'commission_clawed_back',
    at,
    reversalPostings(line, 'settled', refundedBefore, refundedAfter),
    settlementId === undefined ? undefined : { settlementId },
  );
}

/**
 * A booked line's terms changed: its order's paid instant moved earlier (a "paid" event came after
 * a later one) and the rate, colonel or organisation in force then differ. In the bucket the line
 * is in, each party's share under the old terms leaves and its share under the new comes in, after
 * the same refunds; the receivable takes the difference. On a settled line the difference is a
 * claw-back, charged to the next settlement like one (it may give a party more). Named after the
 * line and the new instant, which only ever moves earlier.
 */
export function commissionRetermed(before: CommissionLine, after: CommissionLine, bucket: CommissionStatus, refundedMinor: number, at: string): Transaction {
  if (before.id !== after.id || before.paidAmountMinor !== after.paidAmountMinor || before.currency !== after.currency || before.sourceId !== after.sourceId) {
    throw new LedgerError('bad_reterm', `re-terming ${before.id} may change its rate and parties only`);
  }
  const postings: Posting[] = [];
  let total = 0;
  for (const s of sharesOf(before, refundedMinor)) {
    total += s.amountMinor;
    postings.push({ account: accountOf(s.party, bucket), amountMinor: 0 - s.amountMinor, currency: before.currency });
  }
  for (const s of sharesOf(after, refundedMinor)) {
    total -= s.amountMinor;
    postings.push({ account: accountOf(s.party, bucket), amountMinor: s.amountMinor, currency: after.currency });
  }
  postings.push({ account: receivableOf(before.sourceId), amountMinor: total, currency: before.currency });
  return bucket === 'settled'
    ? transaction(`clawback:${before.id}:paid:${at}`, 'commission_clawed_back', at, netted(postings))
    : transaction(`retermed:${before.id}:${at}`, 'commission_retermed', at, netted(postings));
}

/** Postings to the same account summed into one (a party whose share did not change nets to nothing). */
function netted(postings: readonly Posting[]): Posting[] {
  const sums = new Map<string, Posting>();
  for (const p of postings) {
    const key = `${p.currency} ${p.account}`;
    const sum = sums.get(key);
    if (sum === undefined) sums.set(key, { ...p });
    else sum.amountMinor += p.amountMinor;
  }
  return [...sums.values()];
}

/**
 * The transactions of one unit of work (a delivery of order events, a batch of moves) as one per
 * kind: each account's postings summed, the ones that cancel out dropped. Balances after it are
 * the same to the fen; what moved per line stays on the commission rows. A combined transaction
 * takes the id of its first member, which no other unit can hold (each member's id is made from
 * its line and step, and happens once), and the latest `at`. Claw-backs charged to different
 * settlements (`ref`) stay apart.
 */
export function combined(transactions: readonly Transaction[]): Transaction[] {
  // Sums per currency, then per account: no key made per posting (a delivery sums thousands).
  const groups = new Map<string, { first: Transaction; at: string; sums: Map<string, Map<string, Posting>> }>();
  for (const t of transactions) {
    const key = t.ref === undefined ? t.kind : `${t.kind} ${JSON.stringify(t.ref)}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { first: t, at: t.at, sums: new Map() }));
    if (t.at > group.at) group.at = t.at;
    for (const p of t.postings) {
      let accounts = group.sums.get(p.currency);
      if (accounts === undefined) group.sums.set(p.currency, (accounts = new Map()));
      const sum = accounts.get(p.account);
      if (sum === undefined) accounts.set(p.account, { account: p.account, amountMinor: p.amountMinor, currency: p.currency });
      else sum.amountMinor += p.amountMinor;
    }
  }
  const out: Transaction[] = [];
  for (const { first, at, sums } of groups.values()) {
    const postings: Posting[] = [];
    for (const accounts of sums.values()) for (const p of accounts.values()) if (p.amountMinor !== 0) postings.push(p);
    if (postings.length > 0) out.push(transaction(first.id, first.kind, at, postings, first.ref));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Withdrawals

export interface Withdrawal {
  id: string;
  party: Party;
  amountMinor: number;
  currency: string;
}

function checkWithdrawal(w: Withdrawal): void {
  assertId(w.id, 'withdrawal id');
  assertMinorUnits(w.amountMinor, 'withdrawal amount');
  if (w.amountMinor <= 0) throw new LedgerError('bad_amount', 'a withdrawal must be positive');
}

function withdrawalMove(w: Withdrawal, kind: TransactionKind, suffix: string, from: Bucket, to: Bucket, at: string): Transaction {
  checkWithdrawal(w);
  return transaction(`withdrawal:${w.id}:${suffix}`, kind, at, [
    { account: accountOf(w.party, from), amountMinor: 0 - w.amountMinor, currency: w.currency },
    { account: accountOf(w.party, to), amountMinor: w.amountMinor, currency: w.currency },
  ]);
}

/** Refused (LedgerError) unless the amount is at least the minimum and at most what is available. */
export function withdrawalRequested(w: Withdrawal, available: number, minimumMinor: number, at: string): Transaction {
  checkWithdrawal(w);
  if (w.amountMinor < minimumMinor) throw new LedgerError('below_minimum', `a withdrawal must be at least ${minimumMinor}`);
  if (w.amountMinor > available) throw new LedgerError('insufficient_funds', `only ${available} is available`);
  return withdrawalMove(w, 'withdrawal_requested', 'requested', 'drawn', 'withdrawing', at);
}

export function withdrawalPaid(w: Withdrawal, at: string): Transaction {
  return withdrawalMove(w, 'withdrawal_paid', 'paid', 'withdrawing', 'paid_out', at);
}

export function withdrawalFailed(w: Withdrawal, at: string): Transaction {
  return withdrawalMove(w, 'withdrawal_failed', 'failed', 'withdrawing', 'drawn', at);
}

// ---------------------------------------------------------------------------------------------
// Balances and the earnings summary

export type Balances = Map<string, Map<string, number>>;

/** currency -> account -> sum of its postings. */
export function balancesOf(postings: Iterable<Posting>): Balances {
  const out: Balances = new Map();
  for (const p of postings) applyPosting(out, p);
  return out;
}

function applyPosting(balances: Balances, p: Posting): void {
  let accounts = balances.get(p.currency);
  if (accounts === undefined) balances.set(p.currency, (accounts = new Map()));
  accounts.set(p.account, (accounts.get(p.account) ?? 0) + p.amountMinor);
}

/** A cache of balances kept up to date transaction by transaction (refuses an unbalanced one). */
export class BalanceCache {
  readonly balances: Balances = new Map();
  apply(tx: Transaction): void {
    assertBalanced(tx.postings);
    for (const p of tx.postings) applyPosting(this.balances, p);
  }
  get(currency: string, account: string): number {
    return this.balances.get(currency)?.get(account) ?? 0;
  }
}

export interface EarningsSummary {
  currency: string;
  estimated: number;
  confirmed: number;
  settleable: number;
  settled: number;
  available: number;
  paid_out: number;
}

/** CONTRACT `GET /api/earnings/summary`, from balances (or from postings). */
export function summaryFromBalances(balances: Balances, party: Party, currency: string): EarningsSummary {
  const accounts = balances.get(currency);
  const b = (bucket: Bucket) => accounts?.get(accountOf(party, bucket)) ?? 0;
  const settled = b('settled');
  const paidOut = b('paid_out');
  return {
    currency,
    estimated: b('estimated'),
    confirmed: b('confirmed'),
    settleable: b('settleable'),
    settled,
    available: settled - paidOut - b('withdrawing'),
    paid_out: paidOut,
  };
}

export function earningsSummary(postings: Iterable<Posting>, party: Party, currency: string): EarningsSummary {
  return summaryFromBalances(balancesOf(postings), party, currency);
}

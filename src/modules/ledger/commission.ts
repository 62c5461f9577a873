/**
 * Where one commission should stand, given its order, and the transactions that take it there.
 * Pure. The order's state decides a target (status and refunded total); the commission moves
 * towards it only forward, so applying the same target twice, or an older one, posts nothing:
 *
 * - a commission is booked (estimated) the first time its order is seen paid and attributed;
 * - the refunded total only grows: the difference is reversed from the bucket the commission is
 *   in, or clawed back from `settled` once it was settled (history is never rewritten);
 * - a reversed target (refunded in full, or cancelled after payment — the sources void the
 *   commission then) reverses whatever is left;
 * - the status moves estimated -> confirmed -> settleable, skipping steps when events came late;
 *   `settled` is set by a settlement run only, never here.
 */
import { commissionClawedBack, commissionEstimated, commissionMoved, commissionReversed, commissionRetermed as retermedTransaction, COMMISSION_STATUSES, type CommissionLine, type Transaction } from './postings.ts';

export type CommissionState = 'estimated' | 'confirmed' | 'settleable' | 'settled' | 'reversed';
export type CommissionTargetStatus = 'estimated' | 'confirmed' | 'settleable' | 'reversed';

export interface CommissionPosition {
  status: CommissionState;
  refundedMinor: number;
}

export interface CommissionTarget {
  status: CommissionTargetStatus;
  /** Total refunded on the line so far (the order's running total). */
  refundedMinor: number;
}

export interface CommissionStep {
  transactions: Transaction[];
  next: CommissionPosition;
}

export function commissionStep(line: CommissionLine, current: CommissionPosition | null, target: CommissionTarget, at: string): CommissionStep {
  const refundTarget = target.status === 'reversed' ? line.paidAmountMinor : Math.min(target.refundedMinor, line.paidAmountMinor);
  if (current === null && target.status === 'reversed') {
    // Paid and voided before we ever booked it: keep the line visible, post nothing.
    return { transactions: [], next: { status: 'reversed', refundedMinor: refundTarget } };
  }
  const transactions: Transaction[] = [];
  let position: CommissionPosition = current ?? { status: 'estimated', refundedMinor: 0 };
  if (current === null) transactions.push(commissionEstimated(line, at));

  if (refundTarget > position.refundedMinor && position.status !== 'reversed') {
    transactions.push(
      position.status === 'settled'
        ? commissionClawedBack(line, position.refundedMinor, refundTarget, at)
        : commissionReversed(line, position.status, position.refundedMinor, refundTarget, at),
    );
    position = { ...position, refundedMinor: refundTarget };
  }

  if (position.status === 'settled' || position.status === 'reversed') return { transactions, next: position };
  if (target.status === 'reversed') return { transactions, next: { ...position, status: 'reversed' } };
  if (rank(target.status) > rank(position.status)) {
    transactions.push(commissionMoved(line, position.refundedMinor, position.status, target.status, at));
    position = { ...position, status: target.status };
  }
  return { transactions, next: position };
}

function rank(status: 'estimated' | 'confirmed' | 'settleable' | 'settled'): number {
  return COMMISSION_STATUSES.indexOf(status);
}

/**
 * A booked line put on the terms in force at its order's earlier paid instant, where it stands
 * (status and refunds): the transaction that moves each party's share from the old terms to the
 * new, or null when nothing changes hands (same terms, or a reversed line, which holds nothing).
 * Its later steps then follow the new terms.
 */
export function commissionRetermed(before: CommissionLine, after: CommissionLine, position: CommissionPosition, at: string): Transaction | null {
  if (position.status === 'reversed' || sameTerms(before, after)) return null;
  const moved = retermedTransaction(before, after, position.status, position.refundedMinor, at);
  return moved.postings.length === 0 ? null : moved;
}

function sameTerms(a: CommissionLine, b: CommissionLine): boolean {
  return (
    a.rateBps === b.rateBps &&
    a.platformFeeBps === b.platformFeeBps &&
    (a.colonel?.colonelId ?? null) === (b.colonel?.colonelId ?? null) &&
    (a.colonel?.shareBps ?? 0) === (b.colonel?.shareBps ?? 0) &&
    (a.organisation?.organisationId ?? null) === (b.organisation?.organisationId ?? null) &&
    (a.organisation?.shareBps ?? 0) === (b.organisation?.shareBps ?? 0)
  );
}

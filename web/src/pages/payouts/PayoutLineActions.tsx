import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { api } from '../../lib/api';
import type { Withdrawal } from '../../lib/types';
import { useAction } from '../../lib/useAction';

/** A line of a payout batch: paid, or failed with the reason (its money is available again then). */
export function PayoutLineActions({ withdrawal, onDecided }: { withdrawal: Withdrawal; onDecided: () => void }) {
  const { t } = useTranslation();
  const [failing, setFailing] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction();
  if (withdrawal.status !== 'in_batch') return null;

  const decide = (path: 'paid' | 'failed', body?: { reason: string }) =>
    void action.run(async () => {
      await api<Withdrawal>('POST', `/api/withdrawals/${encodeURIComponent(withdrawal.id)}/${path}`, body);
      onDecided();
    });

  if (failing) {
    return (
      <div className="inline-form">
        <label className="sr-only" htmlFor={`fail-${withdrawal.id}`}>
          {t('payouts.failReason')}
        </label>
        <input
          id={`fail-${withdrawal.id}`}
          className="input input-sm"
          maxLength={500}
          placeholder={t('payouts.failReason')}
          value={reason}
          data-testid="payout-fail-reason"
          onChange={(event) => setReason(event.target.value)}
        />
        <button type="button" className="btn btn-danger btn-sm" disabled={action.busy || !reason.trim()} data-testid="payout-fail-confirm" onClick={() => decide('failed', { reason: reason.trim() })}>
          {t('payouts.confirmFailed')}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setFailing(false)}>
          {t('common.cancel')}
        </button>
        <ErrorAlert error={action.error} />
      </div>
    );
  }
  return (
    <div className="inline-form">
      <button type="button" className="btn btn-primary btn-sm" disabled={action.busy} data-testid="payout-paid" onClick={() => decide('paid')}>
        {t('payouts.markPaid')}
      </button>
      <button type="button" className="btn btn-secondary btn-sm" disabled={action.busy} data-testid="payout-failed" onClick={() => setFailing(true)}>
        {t('payouts.markFailed')}
      </button>
      <ErrorAlert error={action.error} />
    </div>
  );
}

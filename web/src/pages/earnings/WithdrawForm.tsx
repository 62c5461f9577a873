import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Notice } from '../../components/Alerts';
import { Field } from '../../components/Field';
import { api, newIdempotencyKey } from '../../lib/api';
import { formatMoney, parseYuanToFen } from '../../lib/money';
import type { EarningsSummary, Withdrawal } from '../../lib/types';
import { useAction } from '../../lib/useAction';

/**
 * Asking to withdraw. One Idempotency-Key per filled-in form: sending the same form twice (a
 * double click, a retry after the network dropped) creates one withdrawal; changing any field or
 * a success starts a new key. The server's refusals (below the minimum, more than available) are
 * said in words.
 */
export function WithdrawForm({ available, onRequested }: { available: EarningsSummary | undefined; onRequested: (withdrawal: Withdrawal) => void }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState('');
  const [payeeName, setPayeeName] = useState('');
  const [payeeAccount, setPayeeAccount] = useState('');
  const [done, setDone] = useState<Withdrawal>();
  const key = useRef<string | null>(null);
  const action = useAction();
  const amountMinor = parseYuanToFen(amount);
  const amountInvalid = amount.trim() !== '' && (amountMinor === null || amountMinor === 0);

  const edit = (set: (value: string) => void, value: string) => {
    key.current = null;
    setDone(undefined);
    action.clearError();
    set(value);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!amountMinor) return;
    key.current ??= newIdempotencyKey();
    const idempotencyKey = key.current;
    void action.run(async () => {
      const body = { amount: amountMinor, currency: available?.currency, payee_name: payeeName.trim(), payee_account: payeeAccount.trim() };
      const withdrawal = await api<Withdrawal>('POST', '/api/withdrawals', body, { 'idempotency-key': idempotencyKey });
      key.current = null;
      setDone(withdrawal);
      setAmount('');
      onRequested(withdrawal);
    });
  };

  const figures = action.error?.details;
  const money = (key: string) => (typeof figures?.[key] === 'number' ? formatMoney(figures[key] as number, String(figures.currency ?? 'CNY')) : '');

  return (
    <form className="form form-grid" onSubmit={submit} data-testid="withdraw-form">
      {available && (
        <p className="muted form-grid-full" data-testid="withdraw-available">
          {t('withdraw.availableNow', { amount: formatMoney(available.available, available.currency) })}
        </p>
      )}
      <Field label={t('withdraw.amount')} htmlFor="withdraw-amount" hint={t('withdraw.amountHint')}>
        <input
          id="withdraw-amount"
          className={`input${amountInvalid ? ' input-invalid' : ''}`}
          required
          inputMode="decimal"
          placeholder="100.00"
          value={amount}
          aria-invalid={amountInvalid || undefined}
          data-testid="withdraw-amount"
          onChange={(event) => edit(setAmount, event.target.value)}
        />
      </Field>
      <Field label={t('withdraw.payeeName')} htmlFor="withdraw-payee-name">
        <input id="withdraw-payee-name" className="input" required maxLength={100} value={payeeName} data-testid="withdraw-payee-name" onChange={(event) => edit(setPayeeName, event.target.value)} />
      </Field>
      <Field label={t('withdraw.payeeAccount')} htmlFor="withdraw-payee-account" hint={t('withdraw.payeeAccountHint')}>
        <input
          id="withdraw-payee-account"
          className="input"
          required
          maxLength={100}
          value={payeeAccount}
          data-testid="withdraw-payee-account"
          onChange={(event) => edit(setPayeeAccount, event.target.value)}
        />
      </Field>
      <div className="form-grid-full">
        {amountInvalid && <p className="field-error">{t('withdraw.invalidAmount')}</p>}
        <ErrorAlert error={action.error} section="withdraw" values={{ minimum: money('minimum'), available: money('available') }} />
        {done && <Notice onDismiss={() => setDone(undefined)}>{t('withdraw.requested', { amount: formatMoney(done.amount, done.currency) })}</Notice>}
        <button type="submit" className="btn btn-primary" disabled={action.busy || !amountMinor || !payeeName.trim() || !payeeAccount.trim()} data-testid="withdraw-submit">
          {action.busy ? t('withdraw.submitting') : t('withdraw.submit')}
        </button>
      </div>
    </form>
  );
}

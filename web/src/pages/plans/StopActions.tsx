import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { todayIso } from '../../lib/dates';
import { useAction, type Action } from '../../lib/useAction';
import { planErrorText } from './planText';

/**
 * 结束 on an approved plan or a running activity: an optional day to end from (empty: now), then
 * confirm. The server never ends a window in the past, so orders paid before the end keep its rate.
 */
export function EndAction({ path, onEnded, testId }: { path: string; onEnded: () => void; testId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [endsOn, setEndsOn] = useState('');
  const action = useAction();

  if (!open) {
    return (
      <button type="button" className="btn btn-secondary btn-sm" data-testid={`${testId}-end`} onClick={() => setOpen(true)}>
        {t('plans.end')}
      </button>
    );
  }

  const confirm = () =>
    void action.run(async () => {
      await api('POST', path, endsOn ? { ends_on: endsOn } : undefined);
      setOpen(false);
      onEnded();
    });

  return (
    <div className="inline-form end-window" data-testid={`${testId}-end-form`}>
      <label className="muted small" htmlFor={id}>
        {t('plans.endFrom')}
      </label>
      <input id={id} className="input input-sm" type="date" min={todayIso()} value={endsOn} data-testid={`${testId}-end-date`} onChange={(event) => setEndsOn(event.target.value)} />
      <button type="button" className="btn btn-danger btn-sm" disabled={action.busy} data-testid={`${testId}-end-confirm`} onClick={confirm}>
        {endsOn ? t('plans.confirmEndOn', { date: endsOn }) : t('plans.confirmEndNow')}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setOpen(false)}>
        {t('plans.back')}
      </button>
      <p className="muted small">{t('plans.endHint')}</p>
      <StopError action={action} />
    </div>
  );
}

/** 撤回 a request, 取消 a proposal: one click to ask, a second to confirm. */
export function ConfirmedAction({ path, label, confirmLabel, onDone, testId }: { path: string; label: string; confirmLabel: string; onDone: () => void; testId: string }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();

  if (!confirming) {
    return (
      <button type="button" className="btn btn-secondary btn-sm" data-testid={testId} onClick={() => setConfirming(true)}>
        {label}
      </button>
    );
  }

  const confirm = () =>
    void action.run(async () => {
      await api('POST', path);
      setConfirming(false);
      onDone();
    });

  return (
    <div className="inline-form">
      <button type="button" className="btn btn-danger btn-sm" disabled={action.busy} data-testid={`${testId}-confirm`} onClick={confirm}>
        {confirmLabel}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirming(false)}>
        {t('plans.back')}
      </button>
      <StopError action={action} />
    </div>
  );
}

function StopError({ action }: { action: Action }) {
  const { t } = useTranslation();
  if (!action.error) return null;
  return (
    <div className="alert alert-error" role="alert" data-testid="error" data-code={action.error.code}>
      <span className="alert-icon" aria-hidden="true">
        !
      </span>
      <span className="alert-body">{planErrorText(t, action.error)}</span>
    </div>
  );
}

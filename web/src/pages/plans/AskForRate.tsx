import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { api } from '../../lib/api';
import { formatBps, parsePercentToBps } from '../../lib/percent';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';
import { showToast } from '../../lib/toast';
import type { PoolItem, TargetedPlan } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { planErrorText } from './planText';

/**
 * 申请定向佣金 on a product card (creator, organisation): a small dialog asking the product's owner
 * for a higher rate — a percentage sent as integer basis points, optional dates, a note.
 */
export function AskForRate({ item }: { item: Pick<PoolItem, 'id' | 'title' | 'commission_rate_bps'> }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [asked, setAsked] = useState(false);

  return (
    <span className="pool-card-action">
      <button
        type="button"
        className={`btn btn-sm btn-block ${asked ? 'btn-secondary' : 'btn-ghost'}`}
        data-testid="ask-rate"
        data-state={asked ? 'asked' : 'idle'}
        onClick={() => dialog.current?.showModal()}
      >
        {asked ? t('plans.asked') : t('plans.ask')}
      </button>
      <dialog ref={dialog} className="dialog" data-testid="ask-rate-dialog" aria-labelledby={`ask-rate-${item.id}`}>
        <AskForRateForm
          item={item}
          titleId={`ask-rate-${item.id}`}
          onClose={() => dialog.current?.close()}
          onSent={(plan) => {
            setAsked(true);
            dialog.current?.close();
            showToast({ message: t('plans.sent', { rate: formatBps(plan.rate_bps), title: item.title }), link: { href: href('plans'), text: t('plans.viewPlans') } });
          }}
        />
      </dialog>
    </span>
  );
}

function AskForRateForm({
  item,
  titleId,
  onClose,
  onSent,
}: {
  item: Pick<PoolItem, 'id' | 'title' | 'commission_rate_bps'>;
  titleId: string;
  onClose: () => void;
  onSent: (plan: TargetedPlan) => void;
}) {
  const { t } = useTranslation();
  const org = useSession().me.user.role === 'org';
  const ids = useId();
  const [rate, setRate] = useState('');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [note, setNote] = useState('');
  const [rateProblem, setRateProblem] = useState<string>();
  const action = useAction();
  const openRate = formatBps(item.commission_rate_bps);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const rateBps = parsePercentToBps(rate);
    const problem = rateBps === null ? t('plans.invalidRate') : rateBps <= item.commission_rate_bps ? t('plans.notHigher', { rate: openRate }) : undefined;
    setRateProblem(problem);
    if (problem || rateBps === null) return;
    const body = {
      product_id: item.id,
      rate_bps: rateBps,
      ...(startsOn ? { starts_on: startsOn } : {}),
      ...(endsOn ? { ends_on: endsOn } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    void action.run(async () => {
      const plan = await api<TargetedPlan>('POST', '/api/plans/targeted', body);
      setRate('');
      setStartsOn('');
      setEndsOn('');
      setNote('');
      onSent(plan);
    });
  };

  return (
    <form className="form" onSubmit={submit} data-testid="ask-rate-form">
      <div className="dialog-head">
        <h2 className="dialog-title" id={titleId}>
          {t('plans.askTitle')}
        </h2>
        <p className="dialog-subject">{item.title}</p>
        <p className="muted small">{t(org ? 'plans.askIntroOrg' : 'plans.askIntro', { rate: openRate })}</p>
      </div>
      <Field label={t('plans.rateAsked')} hint={rateProblem ? undefined : t('plans.rateHint', { rate: openRate })} htmlFor={`${ids}-rate`}>
        <div className="input-affix">
          <input
            id={`${ids}-rate`}
            className={`input${rateProblem ? ' input-invalid' : ''}`}
            required
            inputMode="decimal"
            autoComplete="off"
            value={rate}
            aria-invalid={Boolean(rateProblem)}
            data-testid="ask-rate-percent"
            onChange={(event) => {
              setRate(event.target.value);
              setRateProblem(undefined);
            }}
          />
          <span className="affix">%</span>
        </div>
        {rateProblem && <p className="field-error">{rateProblem}</p>}
      </Field>
      <div className="form-grid">
        <Field label={`${t('plans.startsOn')} (${t('common.optional')})`} hint={t('plans.startsOnHint')} htmlFor={`${ids}-starts`}>
          <input id={`${ids}-starts`} className="input" type="date" value={startsOn} data-testid="ask-rate-starts" onChange={(event) => setStartsOn(event.target.value)} />
        </Field>
        <Field label={`${t('plans.endsOn')} (${t('common.optional')})`} htmlFor={`${ids}-ends`}>
          <input id={`${ids}-ends`} className="input" type="date" min={startsOn || undefined} value={endsOn} data-testid="ask-rate-ends" onChange={(event) => setEndsOn(event.target.value)} />
        </Field>
      </div>
      <Field label={`${t('plans.note')} (${t('common.optional')})`} htmlFor={`${ids}-note`}>
        <textarea
          id={`${ids}-note`}
          className="input textarea"
          maxLength={500}
          rows={2}
          placeholder={t('plans.notePlaceholder')}
          value={note}
          data-testid="ask-rate-note"
          onChange={(event) => setNote(event.target.value)}
        />
      </Field>
      {action.error && (
        <div className="alert alert-error" role="alert" data-testid="error" data-code={action.error.code}>
          <span className="alert-icon" aria-hidden="true">
            !
          </span>
          <span className="alert-body">{planErrorText(t, action.error)}</span>
        </div>
      )}
      <div className="button-row dialog-actions">
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="ask-rate-submit">
          {action.busy ? t('plans.submitting') : t('plans.submit')}
        </button>
      </div>
    </form>
  );
}

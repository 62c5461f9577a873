import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { Field } from '../../components/Field';
import { api } from '../../lib/api';
import { todayIso } from '../../lib/dates';
import { parsePercentToBps } from '../../lib/percent';
import type { ColonelActivity } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { ProductPicker, type PickedProduct } from './ProductPicker';

/** 提报活动: a colonel's proposal — name, rate and service share (percent, sent as basis points), dates, products ticked from the pool. */
export function ActivityForm({ onProposed }: { onProposed: (activity: ColonelActivity) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [rate, setRate] = useState('');
  const [share, setShare] = useState('');
  const [startsOn, setStartsOn] = useState(todayIso());
  const [endsOn, setEndsOn] = useState('');
  const [products, setProducts] = useState<PickedProduct[]>([]);
  const [invalid, setInvalid] = useState<{ rate?: boolean; share?: boolean; products?: boolean }>({});
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const rateBps = parsePercentToBps(rate);
    const shareBps = parsePercentToBps(share);
    const problems = { rate: rateBps === null, share: shareBps === null, products: products.length === 0 };
    setInvalid(problems);
    if (rateBps === null || shareBps === null || problems.products) return;
    const body = {
      name: name.trim(),
      rate_bps: rateBps,
      share_bps: shareBps,
      product_ids: products.map((p) => p.id),
      starts_on: startsOn,
      ...(endsOn ? { ends_on: endsOn } : {}),
    };
    void action.run(async () => {
      const activity = await api<ColonelActivity>('POST', '/api/colonel/activities', body);
      setName('');
      setRate('');
      setShare('');
      setEndsOn('');
      setProducts([]);
      onProposed(activity);
    });
  };

  return (
    <form className="form form-grid" onSubmit={submit} data-testid="activity-form">
      <Field label={t('activities.name')} htmlFor="activity-name">
        <input
          id="activity-name"
          className="input"
          required
          maxLength={100}
          placeholder={t('activities.namePlaceholder')}
          value={name}
          data-testid="activity-name-input"
          onChange={(event) => setName(event.target.value)}
        />
      </Field>
      <PercentField id="activity-rate" label={t('activities.rate')} hint={t('activities.rateHint')} error={invalid.rate ? t('plans.invalidRate') : undefined} value={rate} onChange={setRate} />
      <PercentField id="activity-share" label={t('activities.share')} hint={t('activities.shareHint')} error={invalid.share ? t('activities.invalidShare') : undefined} value={share} onChange={setShare} />
      <Field label={t('activities.startsOn')} htmlFor="activity-starts">
        <input id="activity-starts" className="input" type="date" required value={startsOn} data-testid="activity-starts" onChange={(event) => setStartsOn(event.target.value)} />
      </Field>
      <Field label={`${t('activities.endsOn')} (${t('common.optional')})`} htmlFor="activity-ends">
        <input id="activity-ends" className="input" type="date" min={startsOn} value={endsOn} data-testid="activity-ends" onChange={(event) => setEndsOn(event.target.value)} />
      </Field>
      <div className="form-grid-full field">
        <span className="field-label">{t('activities.products')}</span>
        <p className="field-hint">{t('activities.productsHint')}</p>
        <ProductPicker picked={products} onChange={setProducts} />
        {invalid.products && products.length === 0 && <p className="field-error">{t('activities.pickSome')}</p>}
      </div>
      <div className="form-grid-full">
        <ErrorAlert error={action.error} />
        <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="activity-submit">
          {action.busy ? t('activities.submitting') : t('activities.submit')}
        </button>
      </div>
    </form>
  );
}

function PercentField({ id, label, hint, error, value, onChange }: { id: string; label: string; hint: string; error?: string; value: string; onChange: (value: string) => void }) {
  return (
    <Field label={label} hint={error ? undefined : hint} htmlFor={id}>
      <div className="input-affix">
        <input
          id={id}
          className={`input${error ? ' input-invalid' : ''}`}
          required
          inputMode="decimal"
          autoComplete="off"
          value={value}
          aria-invalid={Boolean(error)}
          data-testid={id}
          onChange={(event) => onChange(event.target.value)}
        />
        <span className="affix">%</span>
      </div>
      {error && <p className="field-error">{error}</p>}
    </Field>
  );
}

import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Notice } from '../../components/Alerts';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { api } from '../../lib/api';
import { bpsToPercentText, fenToYuanText, parseYuanToFen } from '../../lib/money';
import { parsePercentToBps } from '../../lib/percent';
import type { LedgerSettings } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';

/** The whole-number settings, with the bounds the server holds them to. */
const WHOLE_FIELDS = [
  { key: 'attribution_window_days', min: 1, max: 90 },
  { key: 'return_window_days', min: 0, max: 90 },
  { key: 'settlement_day_of_month', min: 1, max: 28 },
  { key: 'settlement_hour', min: 0, max: 23 },
] as const;

type Draft = Record<'platform_fee' | 'withdrawal_minimum' | (typeof WHOLE_FIELDS)[number]['key'], string>;

function draftOf(settings: LedgerSettings): Draft {
  return {
    platform_fee: bpsToPercentText(settings.platform_fee_bps),
    withdrawal_minimum: fenToYuanText(settings.withdrawal_minimum_minor),
    attribution_window_days: String(settings.attribution_window_days),
    return_window_days: String(settings.return_window_days),
    settlement_day_of_month: String(settings.settlement_day_of_month),
    settlement_hour: String(settings.settlement_hour),
  };
}

function wholeIn(text: string, min: number, max: number): number | null {
  if (!/^\d{1,3}$/.test(text.trim())) return null;
  const n = Number.parseInt(text, 10);
  return n >= min && n <= max ? n : null;
}

/** The settings as the server wants them, or null while a field cannot be read (the fee as a percentage, the minimum in yuan). */
function settingsOf(draft: Draft): LedgerSettings | null {
  const fee = parsePercentToBps(draft.platform_fee);
  const minimum = parseYuanToFen(draft.withdrawal_minimum);
  const whole = Object.fromEntries(WHOLE_FIELDS.map(({ key, min, max }) => [key, wholeIn(draft[key], min, max)]));
  if (fee === null || !minimum || Object.values(whole).some((n) => n === null)) return null;
  return {
    platform_fee_bps: fee,
    withdrawal_minimum_minor: minimum,
    attribution_window_days: whole.attribution_window_days!,
    return_window_days: whole.return_window_days!,
    settlement_day_of_month: whole.settlement_day_of_month!,
    settlement_hour: whole.settlement_hour!,
  };
}

/** 资金设置: platform service fee, attribution and return windows, minimum withdrawal, when settlement runs. */
export function LedgerSettingsForm() {
  const { t } = useTranslation();
  const loaded = useLoad<LedgerSettings>('/api/settings/ledger');
  const [draft, setDraft] = useState<Draft>();
  const [saved, setSaved] = useState(false);
  const action = useAction();

  if (loaded.error) return <ErrorAlert error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  const shown = draft ?? draftOf(loaded.data);
  const parsed = settingsOf(shown);
  const change = (key: keyof Draft, value: string) => {
    setSaved(false);
    setDraft({ ...shown, [key]: value });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!parsed) return;
    void action.run(async () => {
      const answer = await api<LedgerSettings>('PUT', '/api/settings/ledger', parsed);
      setDraft(draftOf(answer));
      setSaved(true);
    });
  };

  return (
    <form className="form form-grid" onSubmit={submit} data-testid="ledger-settings-form">
      <Field label={t('ledgerSettings.platformFee')} htmlFor="ledger-platform-fee" hint={t('ledgerSettings.platformFeeHint')}>
        <input id="ledger-platform-fee" className="input" inputMode="decimal" required value={shown.platform_fee} data-testid="ledger-platform-fee" onChange={(event) => change('platform_fee', event.target.value)} />
      </Field>
      <Field label={t('ledgerSettings.withdrawalMinimum')} htmlFor="ledger-withdrawal-minimum" hint={t('ledgerSettings.withdrawalMinimumHint')}>
        <input
          id="ledger-withdrawal-minimum"
          className="input"
          inputMode="decimal"
          required
          value={shown.withdrawal_minimum}
          data-testid="ledger-withdrawal-minimum"
          onChange={(event) => change('withdrawal_minimum', event.target.value)}
        />
      </Field>
      {WHOLE_FIELDS.map(({ key, min, max }) => (
        <Field key={key} label={t(`ledgerSettings.${key}`)} htmlFor={`ledger-${key}`} hint={t('ledgerSettings.range', { min, max })}>
          <input id={`ledger-${key}`} className="input" type="number" min={min} max={max} step={1} required value={shown[key]} data-testid={`ledger-${key}`} onChange={(event) => change(key, event.target.value)} />
        </Field>
      ))}
      <div className="form-grid-full">
        {!parsed && <p className="field-error">{t('ledgerSettings.invalid')}</p>}
        <ErrorAlert error={action.error} />
        {saved && <Notice onDismiss={() => setSaved(false)}>{t('ledgerSettings.saved')}</Notice>}
        <button type="submit" className="btn btn-primary" disabled={action.busy || !parsed} data-testid="ledger-settings-submit">
          {action.busy ? t('ledgerSettings.saving') : t('ledgerSettings.save')}
        </button>
      </div>
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { Field } from '../../components/Field';
import { api } from '../../lib/api';
import type { AdminUser, Items, Order } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';

const MAX_REASON = 500;

/** The operator credits an unattributed order to a creator by hand; the reason is kept with it. */
export function AttributionForm({ orderId, onAttributed }: { orderId: string; onAttributed: (order: Order) => void }) {
  const { t } = useTranslation();
  const creators = useLoad<Items<AdminUser>>('/api/admin/users?role=creator');
  const [creatorId, setCreatorId] = useState('');
  const [reason, setReason] = useState('');
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      onAttributed(await api<Order>('POST', `/api/orders/${encodeURIComponent(orderId)}/attribution`, { creator_id: creatorId, reason: reason.trim() }));
    });
  };

  return (
    <form className="form form-grid" onSubmit={submit} data-testid="attribute-form">
      <p className="muted form-grid-full">{t('attribute.description')}</p>
      <Field label={t('attribute.creator')} htmlFor="attribute-creator">
        <select id="attribute-creator" className="input" required value={creatorId} data-testid="attribute-creator" onChange={(event) => setCreatorId(event.target.value)}>
          <option value="">{creators.data ? t('attribute.choose') : t('common.loading')}</option>
          {creators.data?.items.map((creator) => (
            <option key={creator.id} value={creator.id}>
              {creator.name}
              {creator.handle ? ` @${creator.handle}` : ''}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('attribute.reason')} htmlFor="attribute-reason">
        <input
          id="attribute-reason"
          className="input"
          required
          maxLength={MAX_REASON}
          placeholder={t('attribute.reasonPlaceholder')}
          value={reason}
          data-testid="attribute-reason"
          onChange={(event) => setReason(event.target.value)}
        />
      </Field>
      <div className="form-grid-full">
        <ErrorAlert error={action.error ?? creators.error} />
        <button type="submit" className="btn btn-primary" disabled={action.busy || !creatorId || !reason.trim()} data-testid="attribute-submit">
          {action.busy ? t('attribute.submitting') : t('attribute.submit')}
        </button>
      </div>
    </form>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../lib/api';
import { todayIso } from '../lib/dates';
import type { Membership } from '../lib/types';
import { useAction } from '../lib/useAction';
import { ErrorAlert } from './Alerts';

/** "End membership" as an inline step: pick the last day, then confirm. */
export function EndMembership({ membership, endPath, onEnded }: { membership: Membership; endPath: string; onEnded: (ended: Membership) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [endsOn, setEndsOn] = useState(membership.ends_on ?? todayIso());
  const action = useAction();

  if (membership.status === 'ended') return null;
  if (!open) {
    return (
      <button type="button" className="btn btn-secondary btn-sm" data-testid="end-membership" onClick={() => setOpen(true)}>
        {t('membership.end')}
      </button>
    );
  }

  const confirm = () =>
    action.run(async () => {
      const ended = await api<Membership>('POST', endPath, { ends_on: endsOn });
      setOpen(false);
      onEnded(ended);
    });

  return (
    <div className="inline-form">
      <label className="sr-only" htmlFor={`end-${membership.id}`}>
        {t('membership.endOn')}
      </label>
      <input
        id={`end-${membership.id}`}
        className="input input-sm"
        type="date"
        required
        min={membership.starts_on}
        value={endsOn}
        data-testid="end-date"
        onChange={(event) => setEndsOn(event.target.value)}
      />
      <button type="button" className="btn btn-danger btn-sm" disabled={action.busy || !endsOn} data-testid="end-confirm" onClick={confirm}>
        {t('membership.confirmEnd')}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setOpen(false)}>
        {t('common.cancel')}
      </button>
      <ErrorAlert error={action.error} />
    </div>
  );
}

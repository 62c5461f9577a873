import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { Field } from '../../components/Field';
import { api } from '../../lib/api';
import { todayIso } from '../../lib/dates';
import { parsePercentToBps } from '../../lib/percent';
import type { OrgInvitation } from '../../lib/types';
import { useAction } from '../../lib/useAction';

export function InvitationForm({ onSent }: { onSent: (invitation: OrgInvitation) => void }) {
  const { t } = useTranslation();
  const [handle, setHandle] = useState('');
  const [share, setShare] = useState('');
  const [startsOn, setStartsOn] = useState(todayIso());
  const [endsOn, setEndsOn] = useState('');
  const [shareInvalid, setShareInvalid] = useState(false);
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const shareBps = parsePercentToBps(share);
    setShareInvalid(shareBps === null);
    if (shareBps === null) return;
    const body = {
      handle: handle.trim().replace(/^@/, ''),
      share_bps: shareBps,
      starts_on: startsOn,
      ...(endsOn ? { ends_on: endsOn } : {}),
    };
    void action.run(async () => {
      const invitation = await api<OrgInvitation>('POST', '/api/org/invitations', body);
      setHandle('');
      setShare('');
      setEndsOn('');
      onSent(invitation);
    });
  };

  return (
    <form className="form form-grid" onSubmit={submit} data-testid="invite-form">
      <Field label={t('orgInvitations.handle')} htmlFor="invite-handle">
        <input
          id="invite-handle"
          className="input"
          required
          autoCapitalize="none"
          spellCheck={false}
          placeholder={t('orgInvitations.handlePlaceholder')}
          value={handle}
          data-testid="invite-handle"
          onChange={(event) => setHandle(event.target.value)}
        />
      </Field>
      <Field label={t('orgInvitations.share')} hint={shareInvalid ? undefined : t('orgInvitations.shareHint')} htmlFor="invite-share">
        <div className="input-affix">
          <input
            id="invite-share"
            className={`input${shareInvalid ? ' input-invalid' : ''}`}
            required
            inputMode="decimal"
            placeholder="15"
            value={share}
            aria-invalid={shareInvalid}
            data-testid="invite-share"
            onChange={(event) => setShare(event.target.value)}
          />
          <span className="affix">%</span>
        </div>
        {shareInvalid && <p className="field-error">{t('orgInvitations.invalidShare')}</p>}
      </Field>
      <Field label={t('orgInvitations.startsOn')} htmlFor="invite-starts">
        <input id="invite-starts" className="input" type="date" required value={startsOn} data-testid="invite-starts" onChange={(event) => setStartsOn(event.target.value)} />
      </Field>
      <Field label={`${t('orgInvitations.endsOn')} (${t('common.optional')})`} htmlFor="invite-ends">
        <input id="invite-ends" className="input" type="date" min={startsOn} value={endsOn} data-testid="invite-ends" onChange={(event) => setEndsOn(event.target.value)} />
      </Field>
      <div className="form-grid-full">
        <ErrorAlert error={action.error} />
        <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="invite-submit">
          {action.busy ? t('orgInvitations.submitting') : t('orgInvitations.submit')}
        </button>
      </div>
    </form>
  );
}

import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { PageHeader } from '../../components/PageHeader';
import { Stat } from '../../components/Stat';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';
import type { Items, Membership, Organisation, OrgInvitation } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';
import { EarningsGlance } from '../earnings/EarningsGlance';

export function OrgHome() {
  const { t } = useTranslation();
  const { me } = useSession();
  const organisation = useLoad<Organisation>('/api/org');
  const creators = useLoad<Items<Membership>>('/api/org/creators');
  const invitations = useLoad<Items<OrgInvitation>>('/api/org/invitations');
  const active = creators.data?.items.filter((membership) => membership.status === 'active').length;
  const pending = invitations.data?.items.filter((invitation) => invitation.status === 'pending').length;
  return (
    <>
      <PageHeader title={t('home.greeting', { name: me.user.name })} description={t('home.orgIntro')} />
      <ErrorAlert error={organisation.error ?? creators.error ?? invitations.error} />
      <EarningsGlance />
      <div className="stats">
        <Stat label={t('home.organisationName')} value={organisation.data?.name ?? me.organisation?.name ?? '…'} testId="home-organisation" />
        <Stat label={t('home.activeCreators')} value={active ?? '…'} link={{ href: href('creators'), text: t('home.manage') }} />
        <Stat label={t('home.pendingInvitations')} value={pending ?? '…'} link={{ href: href('invitations'), text: t('home.manage') }} />
      </div>
    </>
  );
}

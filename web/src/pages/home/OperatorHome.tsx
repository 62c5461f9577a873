import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { PageHeader } from '../../components/PageHeader';
import { Stat } from '../../components/Stat';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';
import type { AdminOrganisation, AdminUser, Items, Source } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';

export function OperatorHome() {
  const { t } = useTranslation();
  const { me } = useSession();
  const users = useLoad<Items<AdminUser>>('/api/admin/users');
  const organisations = useLoad<Items<AdminOrganisation>>('/api/admin/organisations');
  const sources = useLoad<Items<Source>>('/api/sources');
  return (
    <>
      <PageHeader title={t('home.greeting', { name: me.user.name })} description={t('home.operatorIntro')} />
      <ErrorAlert error={users.error ?? organisations.error ?? sources.error} />
      <div className="stats">
        <Stat label={t('home.users')} value={users.data?.items.length ?? '…'} link={{ href: href('users'), text: t('home.manage') }} />
        <Stat
          label={t('home.organisations')}
          value={organisations.data?.items.length ?? '…'}
          link={{ href: href('organisations'), text: t('home.manage') }}
        />
        <Stat label={t('home.sources')} value={sources.data?.items.length ?? '…'} link={{ href: href('sources'), text: t('home.manage') }} />
      </div>
    </>
  );
}

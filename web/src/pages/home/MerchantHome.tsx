import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { PageHeader } from '../../components/PageHeader';
import { Stat } from '../../components/Stat';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';
import type { Items, Source } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';

export function MerchantHome() {
  const { t } = useTranslation();
  const { me } = useSession();
  const sources = useLoad<Items<Source>>('/api/sources');
  const enabled = sources.data?.items.filter((source) => source.enabled).length;
  return (
    <>
      <PageHeader title={t('home.greeting', { name: me.user.name })} description={t('home.merchantIntro')} />
      <ErrorAlert error={sources.error} />
      <div className="stats">
        <Stat label={t('home.account')} value={me.user.email} />
        <Stat label={t('home.sources')} value={sources.data?.items.length ?? '…'} link={{ href: href('sources'), text: t('home.manage') }} />
        <Stat label={t('home.enabledSources')} value={enabled ?? '…'} />
      </div>
    </>
  );
}

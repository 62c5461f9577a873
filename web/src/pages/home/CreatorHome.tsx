import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { Stat } from '../../components/Stat';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';
import { EarningsGlance } from '../earnings/EarningsGlance';

export function CreatorHome() {
  const { t } = useTranslation();
  const { me } = useSession();
  const handle = me.user.handle ?? '';
  return (
    <>
      <PageHeader title={t('home.greeting', { name: me.user.name })} description={t('home.creatorIntro')} />
      <EarningsGlance />
      <div className="stats">
        <Stat label={t('home.handle')} value={`@${handle}`} testId="home-handle" />
        <Stat label={t('home.showcaseAddress')} value={<span className="mono">/s/{handle}</span>} />
        <Stat
          label={t('home.organisation')}
          value={me.organisation ? me.organisation.name : <span className="muted">{t('home.noOrganisation')}</span>}
          testId="home-organisation"
          link={{ href: href('organisation'), text: me.organisation ? t('home.manage') : t('home.viewInvitations') }}
        />
      </div>
    </>
  );
}

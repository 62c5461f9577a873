import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { Stat } from '../../components/Stat';
import { useSession } from '../../lib/session';

/** 团长: the account exists server-side; its activities and service share get pages of their own later. */
export function ColonelHome() {
  const { t } = useTranslation();
  const { me } = useSession();
  return (
    <>
      <PageHeader title={t('home.greeting', { name: me.user.name })} description={t('home.colonelIntro')} />
      <div className="stats">
        <Stat label={t('home.account')} value={me.user.email} testId="home-account" />
        <Stat label={t('home.colonelActivities')} value={<span className="muted">{t('home.colonelSoon')}</span>} />
      </div>
    </>
  );
}

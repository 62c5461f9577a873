import { useTranslation } from 'react-i18next';
import { PageHeader } from '../components/PageHeader';
import { navLabelKey } from '../lib/nav';
import { useSession } from '../lib/session';

/** A section whose API has not landed yet: says what it will do, nothing more. */
export function ComingSoonPage({ section }: { section: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const label = t(navLabelKey(me.user.role, section));
  return (
    <>
      <PageHeader title={label} />
      <div className="coming-soon" data-testid="coming-soon">
        <div className="coming-soon-art" aria-hidden="true">
          <span />
          <span />
          <span />
        </div>
        <span className="badge badge-info">{t('placeholder.badge')}</span>
        <h2>{t('placeholder.title', { section: label })}</h2>
        <p>{t(`placeholder.${section}`, { defaultValue: t('placeholder.body') })}</p>
      </div>
    </>
  );
}

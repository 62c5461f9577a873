import { useTranslation } from 'react-i18next';

export function Brand({ withTagline = false }: { withTagline?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className="brand">
      <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="8" />
        <path d="M9 10l7 13 7-13" />
      </svg>
      <span className="brand-text">
        <span className="brand-name">{t('app.name')}</span>
        {withTagline && <span className="brand-tagline">{t('app.tagline')}</span>}
      </span>
    </span>
  );
}

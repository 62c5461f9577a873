import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../i18n';

export function LangToggle({ className = '' }: { className?: string }) {
  const { t } = useTranslation();
  const next = currentLanguage() === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      className={`lang-toggle ${className}`}
      data-testid="lang-toggle"
      aria-label={t('lang.switchLabel')}
      title={t('lang.switchLabel')}
      onClick={() => setLanguage(next)}
    >
      <svg viewBox="0 0 20 20" aria-hidden="true" width="16" height="16">
        <circle cx="10" cy="10" r="7.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path d="M2.5 10h15M10 2.5c2.2 2.2 2.2 12.8 0 15M10 2.5c-2.2 2.2-2.2 12.8 0 15" fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      <span>{t('lang.switchTo')}</span>
    </button>
  );
}

import { useTranslation } from 'react-i18next';
import type { SourceRef } from '../lib/types';

/** Where an offer comes from, in its platform's colour; a merchant's own source (no platform) in a neutral one. */
export function PlatformBadge({ source, className = '', testId }: { source: SourceRef; className?: string; testId?: string }) {
  const { t } = useTranslation();
  const platform = source.platform ?? 'merchant';
  const label = source.platform ? t(`sources.platforms.${source.platform}`, { defaultValue: source.platform }) : t('pool.merchantSource');
  return (
    <span className={`platform-badge platform-${platform} ${className}`} data-platform={platform} data-testid={testId} title={source.name}>
      {label}
    </span>
  );
}

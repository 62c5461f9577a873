import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../lib/api';
import { apiErrorText } from '../lib/errors';

/**
 * An API failure in words (`apiErrorText`): the page's own words for its code (`section`), the
 * console's, or the server's message; ours when the server could not be reached.
 */
export function ErrorAlert({ error, onRetry, section, values }: { error: ApiError | undefined; onRetry?: () => void; section?: string; values?: Record<string, unknown> }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message = apiErrorText(t, error, section, values);
  return (
    <div className="alert alert-error" role="alert" data-testid="error" data-code={error.code}>
      <span className="alert-icon" aria-hidden="true">!</span>
      <span className="alert-body">{message}</span>
      {onRetry && (
        <button type="button" className="btn btn-ghost btn-sm" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Notice({ children, onDismiss }: { children: ReactNode; onDismiss?: () => void }) {
  return (
    <div className="alert alert-success" role="status" data-testid="notice">
      <span className="alert-icon" aria-hidden="true">✓</span>
      <span className="alert-body">{children}</span>
      {onDismiss && (
        <button type="button" className="alert-close" aria-label="×" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}

import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../lib/api';

/** An API failure in words: the server's own message, or ours when the server could not be reached. */
export function ErrorAlert({ error, onRetry }: { error: ApiError | undefined; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message = error.status === 0 ? t('common.networkError') : error.message || t('common.unknownError');
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

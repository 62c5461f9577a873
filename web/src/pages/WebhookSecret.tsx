import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedSource } from '../lib/types';

/** The one moment a source's signing secret is visible: the server never shows it again. */
export function WebhookSecret({ source, onDismiss }: { source: CreatedSource; onDismiss: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(source.webhook_secret).then(() => setCopied(true));
  };
  return (
    <section className="secret" role="status" data-testid="source-created">
      <p className="secret-title">
        {t('sources.created', { name: source.name })} · {t('sources.secretTitle')}
      </p>
      <p className="secret-note">{t('sources.secretNote')}</p>
      <div className="secret-row">
        <code className="secret-value" data-testid="webhook-secret">
          {source.webhook_secret}
        </code>
        <button type="button" className="btn btn-secondary btn-sm" onClick={copy}>
          {copied ? t('common.copied') : t('common.copy')}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={onDismiss}>
          {t('sources.secretDismiss')}
        </button>
      </div>
    </section>
  );
}

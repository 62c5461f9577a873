import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

const COPIED_MS = 2_000;

/** Copies `text` to the clipboard and says so for a moment. */
export function CopyButton({ text, className = 'btn btn-secondary btn-sm', testId }: { text: string; className?: string; testId?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), COPIED_MS);
    return () => window.clearTimeout(timer);
  }, [copied]);

  const copy = () => {
    const done = () => setCopied(true);
    if (navigator.clipboard) void navigator.clipboard.writeText(text).then(done, () => copyByHand(text) && done());
    else if (copyByHand(text)) done();
  };

  return (
    <button type="button" className={className} data-testid={testId} data-copied={copied || undefined} onClick={copy}>
      {copied ? `${t('common.copied')} ✓` : t('common.copy')}
    </button>
  );
}

/** The clipboard API is only there on secure origins (a console opened over plain http on a LAN has none). */
function copyByHand(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

import type { ReactNode } from 'react';

export function Stat({ label, value, link, testId }: { label: string; value: ReactNode; link?: { href: string; text: string }; testId?: string }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value" data-testid={testId}>
        {value}
      </span>
      {link && (
        <a className="stat-link" href={link.href}>
          {link.text} →
        </a>
      )}
    </div>
  );
}

import type { CSSProperties, ReactNode } from 'react';

/**
 * A labelled figure. Given `fitChars` (the longest value of its row, for figures of one size), a
 * text value such as an amount is never broken across lines: in a narrow card its type shrinks
 * to fit that length (`--chars`, read by `.stat-value-fit` in styles.css), so ¥15,553.27 stays one
 * number. Only for figures of digits and Latin signs: the shrinking reckons with their width.
 */
export function Stat({ label, value, link, testId, fitChars }: { label: string; value: ReactNode; link?: { href: string; text: string }; testId?: string; fitChars?: number }) {
  const fit = fitChars !== undefined && typeof value === 'string' ? ({ '--chars': Math.max(fitChars, value.length, 1) } as CSSProperties) : undefined;
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className={fit ? 'stat-value stat-value-fit' : 'stat-value'} style={fit} data-testid={testId}>
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

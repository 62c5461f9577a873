import type { ReactNode } from 'react';

/** One labelled value of a `<dl className="facts">` strip; a `wide` one (a sentence) spans two columns. */
export function Fact({ label, children, wide = false, testId }: { label: string; children: ReactNode; wide?: boolean; testId?: string }) {
  return (
    <div className={wide ? 'fact fact-wide' : 'fact'} data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

import type { ReactNode } from 'react';

/** One labelled value of a `<dl className="facts">` strip. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

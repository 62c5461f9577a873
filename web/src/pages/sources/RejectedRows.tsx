import { useTranslation } from 'react-i18next';
import type { Rejection } from '../../lib/types';

/** The rows an import refused: where in the file, and why. */
export function RejectedRows({ rows, testId }: { rows: Rejection[]; testId: string }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="muted small">{t('imports.noRejections')}</p>;
  return (
    <div className="rejected">
      <table className="rejected-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t('imports.row')}</th>
            <th scope="col">{t('imports.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((rejection, index) => (
            <tr key={`${rejection.row}-${index}`} data-row={rejection.row}>
              <td className="rejected-row">{rejection.row}</td>
              <td className="rejected-reason">{rejection.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

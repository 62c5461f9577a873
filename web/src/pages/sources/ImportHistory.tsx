import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Async } from '../../components/Async';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTimeOf } from '../../lib/dates';
import type { ImportRun, Items, Rejection } from '../../lib/types';
import type { Loaded } from '../../lib/useLoad';
import { useLoad } from '../../lib/useLoad';
import { RejectedRows } from './RejectedRows';

const NUMBERS = ['imported', 'updated', 'offline'] as const;

/** Every import into the source, newest first, each run's refused rows one click away. */
export function ImportHistory({ runs }: { runs: Loaded<Items<ImportRun>> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string>();
  return (
    <Async loaded={runs}>
      {(data) =>
        data.items.length === 0 ? (
          <div className="empty" data-testid="import-history-empty">
            {t('imports.historyEmpty')}
          </div>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="import-history">
              <thead>
                <tr>
                  <th scope="col">{t('imports.time')}</th>
                  <th scope="col">{t('imports.format')}</th>
                  <th scope="col">{t('imports.mode')}</th>
                  <th scope="col">{t('columns.status')}</th>
                  {NUMBERS.map((key) => (
                    <th key={key} scope="col" className="num">
                      {t(`imports.counts.${key}`)}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    {t('imports.counts.rejected')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((run) => (
                  <Fragment key={run.id}>
                    <tr data-row-id={run.id} data-testid="import-run">
                      <td data-label={t('imports.time')} className="nowrap">
                        {dateTimeOf(run.started_at)}
                      </td>
                      <td data-label={t('imports.format')}>{t(`imports.formats.${run.format}`, { defaultValue: run.format })}</td>
                      <td data-label={t('imports.mode')}>{t(`imports.modes.${run.mode}`, { defaultValue: run.mode })}</td>
                      <td data-label={t('columns.status')}>
                        <span className="status-cell">
                          <StatusBadge status={run.status} />
                          {run.error && <span className="run-error">{run.error}</span>}
                        </span>
                      </td>
                      {NUMBERS.map((key) => (
                        <td key={key} className="num" data-label={t(`imports.counts.${key}`)}>
                          {run[key].toLocaleString('en-US')}
                        </td>
                      ))}
                      <td className="num" data-label={t('imports.counts.rejected')}>
                        {run.rejected > 0 ? (
                          <button
                            type="button"
                            className="link-button"
                            aria-expanded={open === run.id}
                            data-testid="import-rejections-toggle"
                            onClick={() => setOpen(open === run.id ? undefined : run.id)}
                          >
                            {run.rejected.toLocaleString('en-US')} {open === run.id ? '▴' : '▾'}
                          </button>
                        ) : (
                          0
                        )}
                      </td>
                    </tr>
                    {open === run.id && (
                      <tr className="expansion">
                        <td colSpan={8}>
                          <RunRejections importId={run.id} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Async>
  );
}

function RunRejections({ importId }: { importId: string }) {
  const rejections = useLoad<Items<Rejection>>(`/api/imports/${encodeURIComponent(importId)}/rejections`);
  return <Async loaded={rejections}>{(data) => <RejectedRows rows={data.items} testId="import-run-rejected" />}</Async>;
}

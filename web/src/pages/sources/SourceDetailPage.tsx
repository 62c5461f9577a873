import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Async } from '../../components/Async';
import { Fact } from '../../components/Fact';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { PlatformBadge } from '../../components/PlatformBadge';
import { StatusBadge } from '../../components/StatusBadge';
import { dateOf } from '../../lib/dates';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';
import type { ImportRun, Items, Role, Source } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';
import { CONNECTED_PLATFORMS, ConnectionPanel } from './ConnectionPanel';
import { ImportHistory } from './ImportHistory';
import { ImportPanel } from './ImportPanel';
import { SourceProducts } from './SourceProducts';

/** Where a source page was opened from: the operator's 货源, a merchant's 商品, a creator's stores (the own shop). */
const BACK_BY_ROLE: Record<Role, { route: string; label: string }> = {
  operator: { route: 'sources', label: 'nav.sources' },
  org: { route: 'home', label: 'nav.home' },
  merchant: { route: 'products', label: 'nav.products' },
  creator: { route: 'showcase/stores', label: 'showcase.tabs.stores' },
  colonel: { route: 'home', label: 'nav.home' },
};

/** #/sources/<id>: what the source is, importing a file into it, its past imports and its products. */
export function SourceDetailPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const operator = me.user.role === 'operator';
  const source = useLoad<Source>(`/api/sources/${encodeURIComponent(id)}`);
  const runs = useLoad<Items<ImportRun>>(`/api/sources/${encodeURIComponent(id)}/imports`);
  const [generation, setGeneration] = useState(0);
  const back = BACK_BY_ROLE[me.user.role];

  return (
    <>
      <a className="back-link" href={href(back.route)} data-testid="source-back">
        ← {t(back.label)}
      </a>
      <Async loaded={source}>
        {(data) => (
          <>
            <PageHeader
              title={data.name}
              description={t('sourceDetail.description')}
              actions={
                operator && data.enabled ? (
                  <a className="btn btn-secondary" href={`${href('pool')}?source=${encodeURIComponent(data.id)}`} data-testid="source-in-pool">
                    {t('sourceDetail.viewInPool')}
                  </a>
                ) : undefined
              }
            />
            <dl className="facts" data-testid="source-info">
              <Fact label={t('columns.kind')}>{t(`sources.kinds.${data.kind}`)}</Fact>
              <Fact label={t('columns.platform')}>{data.platform ? <PlatformBadge source={data} /> : t('common.none')}</Fact>
              <Fact label={t('columns.enabled')}>
                <StatusBadge status={data.enabled ? 'enabled' : 'disabled'} />
              </Fact>
              <Fact label={t('columns.createdAt')}>{dateOf(data.created_at)}</Fact>
              <Fact label="ID">
                <span className="mono small">{data.id}</span>
              </Fact>
            </dl>
            {operator && data.kind === 'platform' && CONNECTED_PLATFORMS.includes(data.platform ?? '') && (
              <ConnectionPanel
                source={data}
                onSynced={() => {
                  runs.reload();
                  setGeneration((n) => n + 1);
                }}
              />
            )}
            <Panel title={t('imports.title')} testId="import-panel">
              <ImportPanel
                source={data}
                withPlatformFormats={operator}
                onImported={() => {
                  runs.reload();
                  setGeneration((n) => n + 1);
                }}
              />
            </Panel>
            <Panel title={t('imports.history')} testId="import-history-panel">
              <ImportHistory runs={runs} />
            </Panel>
            <SourceProducts sourceId={data.id} generation={generation} />
          </>
        )}
      </Async>
    </>
  );
}

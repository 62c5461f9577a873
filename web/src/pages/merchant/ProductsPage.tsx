import { useTranslation } from 'react-i18next';
import { Async } from '../../components/Async';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { dateOf } from '../../lib/dates';
import { href } from '../../lib/router';
import type { Items, Source } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';
import { BindingRequests } from '../showcase/BindingRequests';

/** 商品: a merchant's products live in its sources; each source leads to its import and product list. Below, creators asking to bind the stores. */
export function ProductsPage() {
  const { t } = useTranslation();
  const sources = useLoad<Items<Source>>('/api/sources');
  return (
    <>
      <PageHeader title={t('products.pageTitle')} description={t('products.pageDescription')} />
      <Async loaded={sources}>
        {(data) =>
          data.items.length === 0 ? (
            <div className="coming-soon" data-testid="products-no-sources">
              <h2>{t('products.noSources')}</h2>
              <p>{t('products.noSourcesBody')}</p>
              <a className="btn btn-primary" href={href('sources')}>
                {t('products.connectSource')}
              </a>
            </div>
          ) : (
            <div className="source-cards" data-testid="products-sources">
              {data.items.map((source) => (
                <a key={source.id} className="source-card" href={href(`sources/${source.id}`)} data-testid="source-link" data-source-id={source.id}>
                  <span className="source-card-head">
                    <strong className="source-card-name">{source.name}</strong>
                    <StatusBadge status={source.enabled ? 'enabled' : 'disabled'} />
                  </span>
                  <span className="muted small">
                    {t(`sources.kinds.${source.kind}`)} · {t('products.connectedOn', { date: dateOf(source.created_at) })}
                  </span>
                  <span className="source-card-cta">{t('products.manage')} →</span>
                </a>
              ))}
            </div>
          )
        }
      </Async>
      <BindingRequests title={t('bindings.merchantTitle')} description={t('bindings.merchantDescription')} />
    </>
  );
}

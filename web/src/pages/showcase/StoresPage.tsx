import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadMore } from '../../components/LoadMore';
import { ErrorAlert } from '../../components/Alerts';
import { Async } from '../../components/Async';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { PlatformBadge } from '../../components/PlatformBadge';
import { api } from '../../lib/api';
import { href, setHashQuery, useHashQuery } from '../../lib/router';
import type { Binding, CreatedSource, Items, Page, PoolItem, Store } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { useCursorPages } from '../../lib/useCursorPages';
import { useLoad } from '../../lib/useLoad';
import { WebhookSecret } from '../WebhookSecret';
import { PoolCard } from '../pool/PoolCard';
import { AddToShowcase, useShowcaseProductIds } from './AddToShowcase';
import { BindingBadge, BindingRequests } from './BindingRequests';
import { ShowcaseTabs } from './ShowcaseTabs';

const PAGE_SIZE = 40;

/** A store's catalogue is open to a creator when it is a merchant's, the creator's own, or bound to the creator. */
function browsable(store: Store): boolean {
  return store.kind === 'merchant' || store.mine || store.binding === 'approved';
}

/**
 * #/showcase/stores: the creator's own shop (or opening one), merchants' stores and other
 * creators' shops to browse and ask to bind, and who asks to bind the own shop. The store being
 * browsed is in the hash (?store=…), so a reload keeps it.
 */
export function StoresPage() {
  const { t } = useTranslation();
  const stores = useLoad<Items<Store>>('/api/stores');
  const query = new URLSearchParams(useHashQuery());
  const browsing = query.get('store') ?? '';
  const browse = (id: string) => setHashQuery(new URLSearchParams(id ? { store: id } : {}));

  return (
    <>
      <PageHeader title={t('showcase.title')} description={t('stores.description')} />
      <ShowcaseTabs active="stores" />
      <Async loaded={stores}>
        {(data) => {
          const ownShop = data.items.find((store) => store.mine && store.kind === 'own_shop');
          const others = data.items.filter((store) => !store.mine);
          const shown = data.items.find((store) => store.id === browsing && browsable(store));
          return (
            <>
              <OwnShop shop={ownShop} onOpened={stores.reload} onBrowse={browse} />
              <Panel title={t('stores.others')} testId="stores">
                {others.length === 0 ? (
                  <div className="empty">{t('stores.empty')}</div>
                ) : (
                  <div className="store-cards">
                    {others.map((store) => (
                      <StoreCard key={store.id} store={store} browsing={store.id === browsing} onBrowse={browse} onBound={stores.reload} />
                    ))}
                  </div>
                )}
              </Panel>
              {shown && <StoreProducts key={shown.id} store={shown} onClose={() => browse('')} />}
              {ownShop && <BindingRequests title={t('stores.requestsTitle')} description={t('stores.requestsDescription')} showStore={false} />}
            </>
          );
        }}
      </Async>
    </>
  );
}

/** The creator's own shop: where to upload its feed and browse it; or the form that opens one. */
function OwnShop({ shop, onOpened, onBrowse }: { shop: Store | undefined; onOpened: () => void; onBrowse: (id: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedSource>();
  const action = useAction();

  const open = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const source = await api<CreatedSource>('POST', '/api/sources', { kind: 'own_shop', name: name.trim() });
      setCreated(source);
      setName('');
      onOpened();
    });
  };

  return (
    <Panel title={t('stores.ownShop')} testId="own-shop">
      {created && <WebhookSecret source={created} onDismiss={() => setCreated(undefined)} />}
      {shop ? (
        <div className="own-shop" data-testid="own-shop-card" data-store-id={shop.id}>
          <span className="own-shop-mark" aria-hidden="true">
            {Array.from(shop.name)[0] ?? '店'}
          </span>
          <span className="own-shop-text">
            <strong className="own-shop-name">{shop.name}</strong>
            <span className="muted small">{t('stores.productsOnSale', { count: shop.products })}</span>
          </span>
          <span className="button-row own-shop-actions">
            <a className="btn btn-primary btn-sm" href={href(`sources/${encodeURIComponent(shop.id)}`)} data-testid="own-shop-manage">
              {t('stores.uploadFeed')}
            </a>
            <button type="button" className="btn btn-secondary btn-sm" disabled={shop.products === 0} data-testid="own-shop-browse" onClick={() => onBrowse(shop.id)}>
              {t('stores.browse')}
            </button>
          </span>
        </div>
      ) : (
        <form className="form own-shop-form" onSubmit={open} data-testid="own-shop-form">
          <p className="muted">{t('stores.ownShopPitch')}</p>
          <div className="inline-form">
            <Field label={t('stores.shopName')} htmlFor="own-shop-name">
              <input
                id="own-shop-name"
                className="input"
                required
                maxLength={100}
                placeholder={t('stores.shopNamePlaceholder')}
                value={name}
                data-testid="own-shop-name"
                onChange={(event) => setName(event.target.value)}
              />
            </Field>
            <button type="submit" className="btn btn-primary own-shop-submit" disabled={action.busy || !name.trim()} data-testid="own-shop-submit">
              {action.busy ? t('stores.opening') : t('stores.open')}
            </button>
          </div>
          <ErrorAlert error={action.error} />
        </form>
      )}
    </Panel>
  );
}

function StoreCard({ store, browsing, onBrowse, onBound }: { store: Store; browsing: boolean; onBrowse: (id: string) => void; onBound: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [asked, setAsked] = useState<Binding>();
  const binding = asked?.status ?? store.binding;

  const bind = () =>
    void action.run(async () => {
      setAsked(await api<Binding>('POST', '/api/showcase/bindings', { source_id: store.id }));
      onBound();
    });

  return (
    <article className={`store-card${browsing ? ' store-card-active' : ''}`} data-testid="store-card" data-store-id={store.id} data-binding={binding ?? ''}>
      <div className="store-card-head">
        <strong className="store-card-name">{store.name}</strong>
        {binding && <BindingBadge status={binding} testId="store-binding" />}
      </div>
      <div className="store-card-meta">
        {store.platform ? <PlatformBadge source={{ id: store.id, name: store.name, platform: store.platform }} /> : null}
        <span className="muted small">{t(`stores.kinds.${store.kind}`)}</span>
        {store.owner_name && <span className="muted small">· {store.owner_name}</span>}
      </div>
      <p className="small">{t('stores.productsOnSale', { count: store.products })}</p>
      <p className="muted small store-card-note">{t(binding === 'approved' ? 'stores.boundNote' : store.kind === 'merchant' ? 'stores.merchantNote' : 'stores.shopNote')}</p>
      <div className="button-row store-card-actions">
        {browsable(store) && (
          <button type="button" className="btn btn-secondary btn-sm" aria-pressed={browsing} data-testid="store-browse" onClick={() => onBrowse(browsing ? '' : store.id)}>
            {browsing ? t('stores.hide') : t('stores.browse')}
          </button>
        )}
        {binding === null && (
          <button type="button" className="btn btn-primary btn-sm" disabled={action.busy} data-testid="store-bind" onClick={bind}>
            {action.busy ? t('stores.asking') : t('stores.askToBind')}
          </button>
        )}
      </div>
      <ErrorAlert error={action.error} />
    </article>
  );
}

/** A store's products on sale, forty at a time, each ready to add to the showcase. */
function StoreProducts({ store, onClose }: { store: Store; onClose: () => void }) {
  const { t } = useTranslation();
  const pages = useCursorPages<PoolItem, Page<PoolItem>>(`/api/stores/${encodeURIComponent(store.id)}/products?limit=${PAGE_SIZE}`);
  const inShowcase = useShowcaseProductIds(true);
  const top = useRef<HTMLDivElement>(null);
  // Opened from a card far up the page: bring the products into view.
  useEffect(() => {
    top.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, []);
  return (
    <div ref={top} className="scroll-anchor">
      <Panel
        title={t('stores.productsOf', { name: store.name })}
        testId="store-products"
        actions={
          <button type="button" className="btn btn-ghost btn-sm" onClick={onClose}>
            {t('stores.hide')}
          </button>
        }
      >
        <ErrorAlert error={pages.error} onRetry={pages.reload} />
        {pages.loading && pages.first === undefined ? (
          <Loading />
        ) : pages.items.length === 0 ? (
          <div className="empty">{t('stores.noProducts')}</div>
        ) : (
          <div className="pool-grid store-grid">
            {pages.items.map((item) => (
              <PoolCard key={item.id} item={item} action={<AddToShowcase productId={item.id} title={item.title} inShowcase={inShowcase?.has(item.id)} />} />
            ))}
          </div>
        )}
        <LoadMore pages={pages} testId="store-products-more" />
      </Panel>
    </div>
  );
}


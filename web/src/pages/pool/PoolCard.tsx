import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PlatformBadge } from '../../components/PlatformBadge';
import { ProductImage } from '../../components/ProductImage';
import { currentLanguage } from '../../i18n';
import { formatBpsShort, formatCount, formatMoney, formatShopScore } from '../../lib/money';
import type { PoolItem } from '../../lib/types';

const ALSO_ON_SHOWN = 2;

/** One product of the pool: what it costs the buyer, what the creator earns, and where else it is sold; `action` at its foot (加入橱窗). */
export function PoolCard({ item, action }: { item: PoolItem; action?: ReactNode }) {
  const { t } = useTranslation();
  const money = (minor: number, trim = false) => formatMoney(minor, item.currency, trim);
  const couponApplies = item.coupon !== null && item.final_price < item.price;
  const [yuan, cents] = money(item.final_price).split('.');
  const category = item.category_path[item.category_path.length - 1];

  return (
    <article
      className="pool-card"
      data-testid="pool-card"
      data-product-id={item.id}
      data-commission={item.commission_amount}
      data-rate={item.commission_rate_bps}
      data-price={item.final_price}
      data-sales={item.sales_30d ?? 0}
      data-platform={item.source.platform ?? 'merchant'}
    >
      <div className="pool-card-media">
        <ProductImage src={item.image} />
        <PlatformBadge source={item.source} className="pool-card-source" testId="pool-card-source" />
      </div>
      <div className="pool-card-body">
        <h3 className="pool-card-title" title={item.title} data-testid="pool-card-title">
          {item.product_url ? (
            <a href={item.product_url} target="_blank" rel="noopener noreferrer">
              {item.title}
            </a>
          ) : (
            item.title
          )}
        </h3>
        <p className="pool-card-brand">{[item.brand, category].filter(Boolean).join(' · ') || '\u00a0'}</p>

        <div className="pool-card-price">
          <span className="price-final" data-testid="pool-card-price">
            {couponApplies && <span className="price-label">{t('pool.afterCoupon')}</span>}
            <span className="price-yuan">{yuan}</span>
            <span className="price-cents">.{cents}</span>
          </span>
          {couponApplies && <s className="price-list">{money(item.price, true)}</s>}
        </div>
        {item.coupon && (
          <span className="coupon" data-testid="pool-card-coupon">
            <span className="coupon-tag">{t('pool.coupon')}</span>
            <span className="coupon-text">
              {money(item.coupon.amount, true)}
              {item.coupon.threshold > 0 ? ` ${t('pool.couponThreshold', { amount: money(item.coupon.threshold, true) })}` : ` ${t('pool.couponNoThreshold')}`}
            </span>
          </span>
        )}

        <div className="pool-card-earn" data-testid="pool-card-commission">
          <span className="earn-amount">
            {t('pool.earn')} <strong>{money(item.commission_amount)}</strong>
          </span>
          <span className="earn-rate">{t('pool.rate', { rate: formatBpsShort(item.commission_rate_bps) })}</span>
        </div>

        <div className="pool-card-meta">
          <span>{item.sales_30d === null ? t('pool.salesUnknown') : t('pool.sales', { count: formatCount(item.sales_30d, currentLanguage()) })}</span>
          {(item.shop.name || item.shop.score !== null) && (
            <span className="pool-card-shop" title={item.shop.name ?? undefined}>
              <span className="shop-name">{item.shop.name ?? item.source.name}</span>
              {item.shop.score !== null && <span className="shop-score">★{formatShopScore(item.shop.score)}</span>}
            </span>
          )}
        </div>

        {item.also_on.length > 0 && (
          <ul className="also-on" data-testid="pool-card-also-on">
            {item.also_on.slice(0, ALSO_ON_SHOWN).map((offer) => (
              <li key={offer.product_id}>
                <span className="muted">{t('pool.alsoOn')}</span>{' '}
                <strong>{offer.source.platform ? t(`sources.platforms.${offer.source.platform}`, { defaultValue: offer.source.platform }) : offer.source.name}</strong>{' '}
                {money(offer.final_price)} · {formatBpsShort(offer.commission_rate_bps)}
              </li>
            ))}
            {item.also_on.length > ALSO_ON_SHOWN && <li className="muted">{t('pool.alsoOnMore', { count: item.also_on.length - ALSO_ON_SHOWN })}</li>}
          </ul>
        )}

        {action}
      </div>
    </article>
  );
}

import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { bpsToPercentText, fenToYuanText, parseYuanToFen } from '../../lib/money';
import { parsePercentToBps } from '../../lib/percent';
import { PLATFORMS } from '../../lib/platforms';
import type { PoolFacets } from '../../lib/types';
import type { PoolQuery } from './poolQuery';

const CATEGORIES_FOLDED = 12;

/** Chips for platform and category (with their counts), price and rate ranges, the coupon switch. */
export function PoolFilters({ query, facets, onChange }: { query: PoolQuery; facets: PoolFacets | undefined; onChange: (next: PoolQuery) => void }) {
  const { t } = useTranslation();
  const [allCategories, setAllCategories] = useState(false);
  const platformCounts = facets?.platform ?? {};
  const categories = Object.entries(facets?.category ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (query.category && !categories.some(([name]) => name === query.category)) categories.unshift([query.category, 0]);
  const shownCategories = allCategories ? categories : categories.slice(0, CATEGORIES_FOLDED);
  const couponCount = facets?.has_coupon?.true;

  const togglePlatform = (platform: string) =>
    onChange({ ...query, platforms: query.platforms.includes(platform) ? query.platforms.filter((p) => p !== platform) : [...query.platforms, platform] });

  return (
    <div className="pool-filters" data-testid="pool-filters">
      <div className="filter-row">
        <span className="filter-label">{t('pool.platform')}</span>
        <div className="chips">
          <Chip active={query.platforms.length === 0} onClick={() => onChange({ ...query, platforms: [] })} testId="pool-facet-platform-all">
            {t('pool.all')}
          </Chip>
          {PLATFORMS.map((platform) => (
            <Chip
              key={platform}
              active={query.platforms.includes(platform)}
              count={platformCounts[platform] ?? 0}
              dot={platform}
              onClick={() => togglePlatform(platform)}
              testId={`pool-facet-platform-${platform}`}
            >
              {t(`sources.platforms.${platform}`)}
            </Chip>
          ))}
        </div>
      </div>
      {categories.length > 0 && (
        <div className="filter-row">
          <span className="filter-label">{t('pool.category')}</span>
          <div className="chips">
            <Chip active={!query.category} onClick={() => onChange({ ...query, category: '' })} testId="pool-facet-category-all">
              {t('pool.all')}
            </Chip>
            {shownCategories.map(([name, count]) => (
              <Chip
                key={name}
                active={query.category === name}
                count={count}
                onClick={() => onChange({ ...query, category: query.category === name ? '' : name })}
                testId="pool-facet-category"
              >
                {name}
              </Chip>
            ))}
            {categories.length > CATEGORIES_FOLDED && (
              <button type="button" className="chip-more" onClick={() => setAllCategories((all) => !all)}>
                {allCategories ? t('pool.fewer') : t('pool.more', { count: categories.length - CATEGORIES_FOLDED })}
              </button>
            )}
          </div>
        </div>
      )}
      <RangeRow query={query} couponCount={couponCount} onChange={onChange} />
    </div>
  );
}

function Chip({
  active,
  count,
  dot,
  onClick,
  testId,
  children,
}: {
  active: boolean;
  count?: number;
  dot?: string;
  onClick: () => void;
  testId: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={`chip${active ? ' chip-active' : ''}${count === 0 && !active ? ' chip-empty' : ''}`}
      aria-pressed={active}
      data-testid={testId}
      data-count={count}
      onClick={onClick}
    >
      {dot && <span className={`chip-dot platform-${dot}`} aria-hidden="true" />}
      {children}
      {count !== undefined && <span className="chip-count">{count.toLocaleString('en-US')}</span>}
    </button>
  );
}

/** Price (yuan) and rate (%) typed as text, turned into fen and bps on apply; the coupon switch applies at once. */
function RangeRow({ query, couponCount, onChange }: { query: PoolQuery; couponCount: number | undefined; onChange: (next: PoolQuery) => void }) {
  const { t } = useTranslation();
  const shown = (fen: number | null) => (fen === null ? '' : fenToYuanText(fen, true));
  const [priceMin, setPriceMin] = useState(shown(query.priceMin));
  const [priceMax, setPriceMax] = useState(shown(query.priceMax));
  const [rateMin, setRateMin] = useState(query.rateMin === null ? '' : bpsToPercentText(query.rateMin));
  const [invalid, setInvalid] = useState<string>();

  useEffect(() => {
    setPriceMin(query.priceMin === null ? '' : fenToYuanText(query.priceMin, true));
    setPriceMax(query.priceMax === null ? '' : fenToYuanText(query.priceMax, true));
    setRateMin(query.rateMin === null ? '' : bpsToPercentText(query.rateMin));
    setInvalid(undefined);
  }, [query.priceMin, query.priceMax, query.rateMin]);

  const apply = (event?: FormEvent) => {
    event?.preventDefault();
    const min = priceMin.trim() ? parseYuanToFen(priceMin) : null;
    const max = priceMax.trim() ? parseYuanToFen(priceMax) : null;
    const rate = rateMin.trim() ? parsePercentToBps(rateMin) : null;
    if ((priceMin.trim() && min === null) || (priceMax.trim() && max === null)) return setInvalid(t('pool.invalidPrice'));
    if (min !== null && max !== null && min > max) return setInvalid(t('pool.invalidPriceRange'));
    if (rateMin.trim() && rate === null) return setInvalid(t('pool.invalidRate'));
    setInvalid(undefined);
    if (min === query.priceMin && max === query.priceMax && rate === query.rateMin) return;
    onChange({ ...query, priceMin: min, priceMax: max, rateMin: rate });
  };

  return (
    <form className="filter-row filter-ranges" onSubmit={apply} noValidate>
      <span className="filter-label">{t('pool.price')}</span>
      <div className="ranges">
        <span className="range">
          <span className="range-affix">¥</span>
          <input
            className="input input-sm range-input"
            inputMode="decimal"
            placeholder={t('pool.min')}
            aria-label={t('pool.priceMin')}
            value={priceMin}
            data-testid="pool-price-min"
            onChange={(event) => setPriceMin(event.target.value)}
          />
          <span className="range-dash">–</span>
          <input
            className="input input-sm range-input"
            inputMode="decimal"
            placeholder={t('pool.max')}
            aria-label={t('pool.priceMax')}
            value={priceMax}
            data-testid="pool-price-max"
            onChange={(event) => setPriceMax(event.target.value)}
          />
        </span>
        <span className="range">
          <span className="range-caption">{t('pool.rateMin')}</span>
          <input
            className="input input-sm range-input range-input-rate"
            inputMode="decimal"
            placeholder="0"
            aria-label={t('pool.rateMin')}
            value={rateMin}
            data-testid="pool-rate-min"
            onChange={(event) => setRateMin(event.target.value)}
          />
          <span className="range-affix">%</span>
        </span>
        <button type="submit" className="btn btn-secondary btn-sm" data-testid="pool-apply">
          {t('pool.apply')}
        </button>
        <label className={`switch${query.hasCoupon ? ' switch-on' : ''}`} data-testid="pool-has-coupon">
          <input type="checkbox" checked={query.hasCoupon} onChange={(event) => onChange({ ...query, hasCoupon: event.target.checked })} />
          <span className="switch-track" aria-hidden="true" />
          {t('pool.hasCoupon')}
          {couponCount !== undefined && <span className="chip-count">{couponCount.toLocaleString('en-US')}</span>}
        </label>
        {invalid && (
          <span className="field-error" role="alert" data-testid="pool-range-error">
            {invalid}
          </span>
        )}
      </div>
    </form>
  );
}

import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { ProductImage } from '../../components/ProductImage';
import { api } from '../../lib/api';
import { formatBpsShort, formatMoney } from '../../lib/money';
import type { PoolItem, PoolSearch } from '../../lib/types';
import { useAction } from '../../lib/useAction';

const RESULTS = 20;

export type PickedProduct = Pick<PoolItem, 'id' | 'title' | 'commission_rate_bps'>;

/**
 * Products for an activity, found by searching the pool and ticked; the ticked ones stay listed
 * (and can be unticked) whatever is searched next. Lives inside the activity's form, so it
 * searches on its button or Enter without submitting that form.
 */
export function ProductPicker({ picked, onChange }: { picked: PickedProduct[]; onChange: (picked: PickedProduct[]) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<PoolItem[]>();
  const search = useAction();
  const pickedIds = new Set(picked.map((p) => p.id));

  const run = () =>
    void search.run(async () => {
      const params = new URLSearchParams({ limit: String(RESULTS) });
      if (q.trim()) params.set('q', q.trim());
      setResults((await api<PoolSearch>('GET', `/api/pool/search?${params.toString()}`)).items);
    });

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    event.preventDefault();
    run();
  };

  const toggle = (product: PickedProduct, on: boolean) =>
    onChange(on ? [...picked, { id: product.id, title: product.title, commission_rate_bps: product.commission_rate_bps }] : picked.filter((p) => p.id !== product.id));

  return (
    <div className="product-picker" data-testid="product-picker">
      <div className="inline-form">
        <input
          type="search"
          className="input product-picker-search"
          placeholder={t('activities.searchPlaceholder')}
          aria-label={t('activities.searchPlaceholder')}
          value={q}
          data-testid="picker-search"
          onChange={(event) => setQ(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="button" className="btn btn-secondary" disabled={search.busy} data-testid="picker-search-submit" onClick={run}>
          {t('activities.search')}
        </button>
      </div>
      <ErrorAlert error={search.error} />

      {picked.length > 0 && (
        <ul className="picked-products" data-testid="picked-products" data-count={picked.length}>
          {picked.map((product) => (
            <li key={product.id} className="picked-chip">
              <span>{product.title}</span>
              <button type="button" className="picked-remove" aria-label={t('activities.remove', { title: product.title })} onClick={() => toggle(product, false)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small" data-testid="picked-count">
        {t('activities.picked', { count: picked.length })}
      </p>

      {results && results.length === 0 && <p className="empty">{t('activities.noResults')}</p>}
      {results && results.length > 0 && (
        <ul className="picker-results" data-testid="picker-results" data-state={search.busy ? 'loading' : 'ready'}>
          {results.map((item) => (
            <li key={item.id}>
              <label className="picker-result" data-testid="picker-result" data-product-id={item.id}>
                <input type="checkbox" checked={pickedIds.has(item.id)} data-testid="picker-tick" onChange={(event) => toggle(item, event.target.checked)} />
                <ProductImage src={item.image} />
                <span className="picker-result-title" title={item.title}>
                  {item.title}
                </span>
                <span className="picker-result-figures muted">
                  {formatMoney(item.final_price, item.currency)} · {formatBpsShort(item.commission_rate_bps)}
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

import { describe, expect, it } from 'vitest';
import { EMPTY_QUERY, effectiveSort, facetContextPath, hasFilters, parsePoolQuery, poolQueryParams, searchPath } from './poolQuery';

describe('the pool query in the hash', () => {
  it('round-trips through the hash text', () => {
    const text = 'q=%E6%89%8B%E6%9C%BA&platform=pdd&platform=jd&category=%E6%95%B0%E7%A0%81&price_min=1000&price_max=59990&rate_min=1250&has_coupon=true&sort=sales';
    const query = parsePoolQuery(text);
    expect(query).toEqual({ q: '手机', platforms: ['pdd', 'jd'], source: '', category: '数码', priceMin: 1000, priceMax: 59990, rateMin: 1250, hasCoupon: true, sort: 'sales' });
    expect(poolQueryParams(query).toString()).toBe(text);
  });

  it('drops what it cannot read', () => {
    expect(parsePoolQuery('price_min=12.5&rate_min=-3&sort=cheapest&has_coupon=yes')).toEqual(EMPTY_QUERY);
  });

  it('sorts by relevance with words to match, else by commission', () => {
    expect(effectiveSort(EMPTY_QUERY)).toBe('commission');
    expect(effectiveSort({ ...EMPTY_QUERY, q: '充电宝' })).toBe('relevance');
    expect(effectiveSort({ ...EMPTY_QUERY, q: '充电宝', sort: 'price_asc' })).toBe('price_asc');
  });

  it('asks the API with the effective sort, a page size and the cursor', () => {
    expect(searchPath({ ...EMPTY_QUERY, platforms: ['jd'] }, 'abc')).toBe('/api/pool/search?platform=jd&sort=commission&limit=24&cursor=abc');
    expect(hasFilters(EMPTY_QUERY)).toBe(false);
    expect(hasFilters({ ...EMPTY_QUERY, sort: 'sales' })).toBe(false);
    expect(hasFilters({ ...EMPTY_QUERY, hasCoupon: true })).toBe(true);
  });

  it('asks for platform and category counts without their own filter, only when it is set', () => {
    const query = { ...EMPTY_QUERY, q: '手机', platforms: ['jd'], category: '数码' };
    expect(facetContextPath(query, 'platform')).toBe('/api/pool/search?q=%E6%89%8B%E6%9C%BA&category=%E6%95%B0%E7%A0%81&sort=commission&limit=1');
    expect(facetContextPath(query, 'category')).toBe('/api/pool/search?q=%E6%89%8B%E6%9C%BA&platform=jd&sort=commission&limit=1');
    expect(facetContextPath(EMPTY_QUERY, 'platform')).toBeNull();
    expect(facetContextPath(EMPTY_QUERY, 'category')).toBeNull();
  });
});

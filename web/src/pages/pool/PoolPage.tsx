import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { PageHeader } from '../../components/PageHeader';
import { setHashQuery, useHashQuery } from '../../lib/router';
import { useSession } from '../../lib/session';
import { api } from '../../lib/api';
import type { PoolFacets, PoolItem, PoolSearch } from '../../lib/types';
import { useCursorPages } from '../../lib/useCursorPages';
import { AskForRate } from '../plans/AskForRate';
import { AddToShowcase, useShowcaseProductIds } from '../showcase/AddToShowcase';
import { PoolCard } from './PoolCard';
import { PoolFilters } from './PoolFilters';
import { EMPTY_QUERY, SORTS, effectiveSort, facetContextPath, hasFilters, parsePoolQuery, poolQueryParams, searchPath, type PoolQuery, type Sort } from './poolQuery';

const TYPING_PAUSE_MS = 350;
const SKELETONS = 8;

/** 选品池: the whole pool, searched and filtered, newest state in the hash, read page by page as one scrolls. */
export function PoolPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const creator = me.user.role === 'creator';
  // Creators and organisations ask a product's owner for a higher rate (定向计划) from its card.
  const asksForRates = creator || me.user.role === 'org';
  const inShowcase = useShowcaseProductIds(creator);
  const hashQuery = useHashQuery();
  const query = useMemo(() => parsePoolQuery(hashQuery), [hashQuery]);
  const path = searchPath(query);
  const pages = useCursorPages<PoolItem, PoolSearch>(path);
  const platformCounts = useFacetContext(facetContextPath(query, 'platform'));
  const categoryCounts = useFacetContext(facetContextPath(query, 'category'));
  const facets: PoolFacets | undefined = pages.first && {
    ...pages.first.facets,
    ...(platformCounts && { platform: platformCounts.platform }),
    ...(categoryCounts && { category: categoryCounts.category }),
  };
  // 'ready' once the list on screen answers the query in the hash (tests wait for it).
  const state = pages.error ? 'error' : pages.loading || pages.loadedPath !== path ? 'loading' : 'ready';
  const sort = effectiveSort(query);

  const change = (next: PoolQuery, replace = false) => setHashQuery(poolQueryParams(next), { replace });

  // A new search deep down the list starts over at the top of the results, not somewhere in them.
  const resultsTop = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const anchor = resultsTop.current;
    if (anchor && anchor.getBoundingClientRect().top < 0) anchor.scrollIntoView({ block: 'start' });
  }, [path]);

  return (
    <>
      <PageHeader title={t('pool.title')} description={t('pool.description')} />
      <section className="panel pool-search-panel">
        <SearchBox value={query.q} onSearch={(q, replace) => change({ ...query, q }, replace)} />
        <PoolFilters query={query} facets={facets} onChange={(next) => change(next)} />
      </section>

      <div className="pool-results-top" ref={resultsTop} />
      <div className="pool-bar">
        <p className="pool-total" data-testid="pool-total" data-total={pages.first?.total ?? ''} data-state={state}>
          {pages.first ? t('pool.total', { count: pages.first.total, total: pages.first.total.toLocaleString('en-US') }) : '\u00a0'}
          {query.source && (
            <button type="button" className="filter-tag" onClick={() => change({ ...query, source: '' })} data-testid="pool-source-filter">
              {t('pool.sourceFilter', { source: sourceName(pages.items, query.source) })} ×
            </button>
          )}
          {hasFilters(query) && (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => change({ ...EMPTY_QUERY, sort: query.sort })} data-testid="pool-reset">
              {t('pool.reset')}
            </button>
          )}
        </p>
        <label className="pool-sort">
          <span>{t('pool.sortBy')}</span>
          <select className="input input-sm" value={sort} data-testid="pool-sort" onChange={(event) => change({ ...query, sort: event.target.value as Sort })}>
            {SORTS.map((option) => (
              <option key={option} value={option}>
                {t(`pool.sorts.${option}`)}
              </option>
            ))}
          </select>
        </label>
      </div>

      <ErrorAlert error={pages.error} onRetry={pages.reload} />
      {pages.first === undefined && pages.loading ? (
        <div className="pool-grid" aria-busy="true">
          {Array.from({ length: SKELETONS }, (_, i) => (
            <div key={i} className="pool-card pool-card-skeleton" aria-hidden="true">
              <span className="skeleton skeleton-media" />
              <span className="skeleton skeleton-line" />
              <span className="skeleton skeleton-line short" />
              <span className="skeleton skeleton-block" />
            </div>
          ))}
        </div>
      ) : pages.items.length === 0 && !pages.loading && !pages.error ? (
        <div className="empty pool-empty" data-testid="pool-empty">
          <p>{t('pool.empty')}</p>
          {hasFilters(query) && (
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => change(EMPTY_QUERY)}>
              {t('pool.reset')}
            </button>
          )}
        </div>
      ) : (
        <div className={`pool-grid${state === 'loading' ? ' pool-grid-stale' : ''}`} data-testid="pool-grid" aria-busy={state === 'loading'}>
          {pages.items.map((item) => (
            <PoolCard
              key={item.id}
              item={item}
              action={
                asksForRates ? (
                  <>
                    {creator && <AddToShowcase productId={item.id} title={item.title} inShowcase={inShowcase?.has(item.id)} />}
                    <AskForRate item={item} />
                  </>
                ) : undefined
              }
            />
          ))}
        </div>
      )}
      <MoreOnScroll pages={pages} />
    </>
  );
}

/** Loads the next page when the end of the grid comes near; says so when there is nothing more. */
function MoreOnScroll({ pages }: { pages: ReturnType<typeof useCursorPages<PoolItem, PoolSearch>> }) {
  const { t } = useTranslation();
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasMore, loading, loadingMore, moreError, loadMore, items } = pages;

  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasMore || loading || moreError) return;
    // Re-created after every page: if the end is still in sight, the observer's first report asks for one more.
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && loadMore(), { rootMargin: '0px 0px 600px 0px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasMore, loading, loadingMore, moreError, loadMore, items.length]);

  return (
    <div ref={sentinel} className="pool-more" data-testid="pool-more">
      {moreError ? (
        <ErrorAlert error={moreError} onRetry={loadMore} />
      ) : loadingMore ? (
        <span className="loading-inline">
          <span className="spinner" aria-hidden="true" />
          {t('common.loading')}
        </span>
      ) : !hasMore && items.length > 0 && !loading ? (
        <span className="pool-end" data-testid="pool-end">
          {t('pool.end')}
        </span>
      ) : null}
    </div>
  );
}

/** The search box: a pause in typing searches (replacing the history entry), Enter searches at once. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string, replace: boolean) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  const [composing, setComposing] = useState(false);
  const latest = useRef(onSearch);
  latest.current = onSearch;

  // Back, forward or a reset changed the query: show it, unless it is what is typed (give or take spaces).
  useEffect(() => setText((typed) => (typed.trim() === value.trim() ? typed : value)), [value]);

  useEffect(() => {
    if (text.trim() === value.trim() || composing) return;
    const timer = window.setTimeout(() => latest.current(text, true), TYPING_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [text, value, composing]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() !== value.trim()) onSearch(text, false);
  };

  return (
    <form className="pool-search" role="search" onSubmit={submit}>
      <span className="pool-search-field">
        <svg className="pool-search-icon" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <circle cx="9" cy="9" r="6" fill="none" stroke="currentColor" strokeWidth="1.8" />
          <path d="M13.5 13.5L17 17" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
        <input
          type="search"
          className="input pool-search-input"
          placeholder={t('pool.searchPlaceholder')}
          aria-label={t('pool.searchPlaceholder')}
          enterKeyHint="search"
          value={text}
          data-testid="pool-search"
          onChange={(event) => setText(event.target.value)}
          onCompositionStart={() => setComposing(true)}
          onCompositionEnd={(event) => {
            setComposing(false);
            setText(event.currentTarget.value);
          }}
        />
      </span>
      <button type="submit" className="btn btn-primary" data-testid="pool-search-submit">
        {t('pool.search')}
      </button>
    </form>
  );
}

/** The facets of a companion search (see facetContextPath); the last answer stays until the next one comes. */
function useFacetContext(path: string | null): PoolFacets | undefined {
  const [answer, setAnswer] = useState<{ path: string; facets: PoolFacets }>();
  useEffect(() => {
    if (path === null) return;
    let current = true;
    // Counts are a help, not the result: when they cannot be had, the main search's stand.
    api<PoolSearch>('GET', path).then(
      (search) => current && setAnswer({ path, facets: search.facets }),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [path]);
  return path === null ? undefined : answer?.facets;
}

function sourceName(items: PoolItem[], sourceId: string): string {
  return items.find((item) => item.source.id === sourceId)?.source.name ?? sourceId;
}

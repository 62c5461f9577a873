import { useTranslation } from 'react-i18next';
import type { CursorPages } from '../lib/useCursorPages';
import { ErrorAlert } from './Alerts';

/** Below a list read page by page (`useCursorPages`): why the next page failed, and the button that asks for it while there is one. */
export function LoadMore({ pages, testId }: { pages: Pick<CursorPages<unknown, unknown>, 'moreError' | 'loadMore' | 'hasMore' | 'loading' | 'loadingMore'>; testId: string }) {
  const { t } = useTranslation();
  return (
    <>
      <ErrorAlert error={pages.moreError} onRetry={pages.loadMore} />
      {pages.hasMore && !pages.loading && (
        <div className="load-more">
          <button type="button" className="btn btn-secondary" disabled={pages.loadingMore} data-testid={testId} onClick={pages.loadMore}>
            {pages.loadingMore ? t('common.loading') : t('products.loadMore')}
          </button>
        </div>
      )}
    </>
  );
}

import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../lib/api';
import { href } from '../../lib/router';
import { showToast } from '../../lib/toast';
import type { Items, ShowcaseItem } from '../../lib/types';
import { apiErrorText } from '../../lib/errors';
import { asApiError } from '../../lib/useLoad';

type State = 'idle' | 'busy' | 'added' | 'already' | 'failed';

/**
 * 加入橱窗 on a product card: adds it, then says "已加入 ✓" (with a toast leading to the showcase),
 * "已在橱窗" when it was there already, or why it cannot be added (full showcase, product offline).
 */
export function AddToShowcase({ productId, title, inShowcase = false }: { productId: string; title: string; inShowcase?: boolean }) {
  const { t } = useTranslation();
  const [state, setState] = useState<State>(inShowcase ? 'already' : 'idle');
  const [error, setError] = useState<ApiError>();

  // The showcase's contents arrive after the cards: a card still untouched learns it is in there.
  useEffect(() => {
    if (inShowcase) setState((current) => (current === 'idle' ? 'already' : current));
  }, [inShowcase]);

  const add = async () => {
    setState('busy');
    setError(undefined);
    try {
      await api<ShowcaseItem>('POST', '/api/showcase/items', { product_id: productId });
      setState('added');
      showToast({ message: t('showcase.addedToast', { title }), link: { href: href('showcase'), text: t('showcase.viewShowcase') } });
    } catch (failure) {
      const apiError = asApiError(failure);
      if (apiError.code === 'already_in_showcase') {
        setState('already');
      } else {
        setState('failed');
        setError(apiError);
      }
    }
  };

  const done = state === 'added' || state === 'already';
  return (
    <span className="pool-card-action">
      <button
        type="button"
        className={`btn btn-sm btn-block ${state === 'added' ? 'btn-added' : done ? 'btn-secondary' : 'btn-primary-soft'}`}
        disabled={done || state === 'busy'}
        data-testid="add-to-showcase"
        data-state={state}
        onClick={() => void add()}
      >
        {state === 'added' ? t('showcase.added') : state === 'already' ? t('showcase.alreadyIn') : state === 'busy' ? t('showcase.adding') : t('pool.addToShowcase')}
      </button>
      {error && (
        <span className="add-error" role="alert" data-testid="add-error" data-code={error.code}>
          {errorText(t, error)}
        </span>
      )}
    </span>
  );
}

/** The server's known refusals in the reader's language; anything else in the server's words. */
export function errorText(t: TFunction, error: ApiError): string {
  return apiErrorText(t, error, 'showcase');
}

/**
 * The products already in the creator's showcase, so the cards can say so before anyone clicks;
 * undefined until known (or when it cannot be known: the cards then learn it on click).
 */
export function useShowcaseProductIds(enabled: boolean): ReadonlySet<string> | undefined {
  const [ids, setIds] = useState<ReadonlySet<string>>();
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    api<Items<ShowcaseItem>>('GET', '/api/showcase/items').then(
      (answer) => current && setIds(new Set(answer.items.map((item) => item.product_id))),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [enabled]);
  return ids;
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { CopyButton } from '../../components/CopyButton';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { api, type ApiError } from '../../lib/api';
import { absoluteUrl, publicShowcasePath, publicShowcaseQrPath } from '../../lib/links';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';
import type { Items, ShowcaseItem } from '../../lib/types';
import { asApiError } from '../../lib/useLoad';
import { canMove, compareItems, dropped, moved, renumbered } from './order';
import { ShowcaseItemCard, type ItemPatch } from './ShowcaseItemCard';
import { ShowcaseTabs } from './ShowcaseTabs';

interface Drag {
  id: string;
  overId?: string;
  after?: boolean;
}

/**
 * 橱窗: the creator's products in the order shoppers see them. Reordering (drag, or the arrows on a
 * phone or keyboard) shows at once and is saved as the whole new order; the server's answer wins.
 */
export function ShowcasePage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<ShowcaseItem[]>();
  const [loadError, setLoadError] = useState<ApiError>();
  const [actionError, setActionError] = useState<ApiError>();
  const [announcement, setAnnouncement] = useState('');
  const [drag, setDrag] = useState<Drag>();
  const [focusAfterMove, setFocusAfterMove] = useState<{ id: string; delta: -1 | 1 }>();
  const orderSaving = useRef<{ busy: boolean; wanted?: string[] }>({ busy: false });
  const [orderBusy, setOrderBusy] = useState(false);
  const list = useRef<HTMLOListElement>(null);

  const load = useCallback(() => {
    setLoadError(undefined);
    api<Items<ShowcaseItem>>('GET', '/api/showcase/items').then(
      (answer) => setItems(answer.items),
      (failure: unknown) => setLoadError(asApiError(failure)),
    );
  }, []);
  useEffect(load, [load]);

  // The arrow pressed keeps the focus as its item moves (or the other arrow, at the end of the line).
  useEffect(() => {
    if (!focusAfterMove || !list.current) return;
    const row = list.current.querySelector(`[data-item-id="${CSS.escape(focusAfterMove.id)}"]`);
    const wanted = row?.querySelector<HTMLButtonElement>(`[data-testid="showcase-${focusAfterMove.delta < 0 ? 'up' : 'down'}"]`);
    const other = row?.querySelector<HTMLButtonElement>(`[data-testid="showcase-${focusAfterMove.delta < 0 ? 'down' : 'up'}"]`);
    (wanted && !wanted.disabled ? wanted : other)?.focus();
    setFocusAfterMove(undefined);
  }, [focusAfterMove, items]);

  /**
   * Shows `next` at once and saves it. One save at a time, in order: a move made while one is on
   * its way waits, and only the newest order is sent after it. After a failure the list is read again from the server.
   */
  const saveOrder = (next: ShowcaseItem[]) => {
    setItems(renumbered(next));
    setActionError(undefined);
    const saving = orderSaving.current;
    saving.wanted = next.map((item) => item.id);
    if (saving.busy) return;
    saving.busy = true;
    setOrderBusy(true);
    void (async () => {
      while (saving.wanted) {
        const ids = saving.wanted;
        saving.wanted = undefined;
        try {
          const answer = await api<Items<ShowcaseItem>>('PUT', '/api/showcase/order', { item_ids: ids });
          if (!saving.wanted) setItems(answer.items);
        } catch (failure) {
          saving.wanted = undefined;
          setActionError(asApiError(failure));
          load();
        }
      }
      saving.busy = false;
      setOrderBusy(false);
    })();
  };

  const move = (index: number, delta: -1 | 1) => {
    if (!items || !canMove(items, index, delta)) return;
    const item = items[index]!;
    void saveOrder(moved(items, index, delta));
    setFocusAfterMove({ id: item.id, delta });
    setAnnouncement(t('showcase.movedTo', { title: item.product.title, position: index + delta + 1 }));
  };

  const patch = async (id: string, changes: ItemPatch) => {
    setActionError(undefined);
    const updated = await api<ShowcaseItem>('PATCH', `/api/showcase/items/${encodeURIComponent(id)}`, changes);
    setItems((shown) => shown?.map((item) => (item.id === id ? updated : item)).sort(compareItems));
  };

  const remove = async (id: string) => {
    setActionError(undefined);
    await api('DELETE', `/api/showcase/items/${encodeURIComponent(id)}`);
    setItems((shown) => shown?.filter((item) => item.id !== id));
  };

  const drop = (targetId: string) => {
    if (!items || !drag) return;
    const after = drag.after ?? false;
    setDrag(undefined);
    const next = dropped(items, drag.id, targetId, after);
    if (next.some((item, i) => item.id !== items[i]?.id)) void saveOrder(next);
  };

  return (
    <>
      <PageHeader title={t('showcase.title')} description={t('showcase.description')} />
      <ShowcaseTabs active="items" />
      <PublicPage items={items} />
      <ErrorAlert error={actionError} />
      <p className="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>
      {loadError ? (
        <ErrorAlert error={loadError} onRetry={load} />
      ) : items === undefined ? (
        <Loading />
      ) : items.length === 0 ? (
        <div className="empty showcase-empty" data-testid="showcase-empty">
          <p>{t('showcase.empty')}</p>
          <div className="button-row">
            <a className="btn btn-primary" href={href('pool')}>
              {t('showcase.goToPool')}
            </a>
            <a className="btn btn-secondary" href={href('showcase/stores')}>
              {t('showcase.goToStores')}
            </a>
          </div>
        </div>
      ) : (
        <>
          <p className="showcase-hint muted small">{t('showcase.orderHint')}</p>
          <ol className="showcase-list" ref={list} data-testid="showcase-list" data-saving={orderBusy || undefined}>
            {items.map((item, index) => (
              <ShowcaseItemCard
                key={item.id}
                item={item}
                index={index}
                canUp={canMove(items, index, -1)}
                canDown={canMove(items, index, 1)}
                onMove={(delta) => move(index, delta)}
                onPatch={(changes) => patch(item.id, changes)}
                onRemove={() => remove(item.id)}
                drag={{
                  dragging: drag?.id === item.id,
                  dropMark: drag && drag.id !== item.id && drag.overId === item.id ? (drag.after ? 'after' : 'before') : undefined,
                  onStart: () => setDrag({ id: item.id }),
                  onOver: (after) => setDrag((current) => (current && (current.overId !== item.id || current.after !== after) ? { ...current, overId: item.id, after } : current)),
                  onDrop: () => drop(item.id),
                  onEnd: () => setDrag(undefined),
                }}
              />
            ))}
          </ol>
        </>
      )}
    </>
  );
}

/** The public page's address (to open, copy or scan) and how many products it shows. */
function PublicPage({ items }: { items: ShowcaseItem[] | undefined }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const handle = me.user.handle;
  if (!handle) return null;
  const url = absoluteUrl(publicShowcasePath(handle));
  const shown = items?.filter((item) => item.visible && !item.changes.offline).length;
  return (
    <section className="public-card" data-testid="showcase-public">
      <a className="public-card-qr" href={publicShowcaseQrPath(handle)} target="_blank" rel="noopener noreferrer" title={t('showcase.qrOpen')}>
        <img src={publicShowcaseQrPath(handle)} alt={t('showcase.publicQr')} width={88} height={88} data-testid="showcase-public-qr" />
      </a>
      <div className="public-card-body">
        <span className="public-card-label">{t('showcase.publicPage')}</span>
        <span className="public-card-url">
          <a href={url} target="_blank" rel="noopener noreferrer" className="mono" data-testid="showcase-public-link">
            {url}
          </a>
          <CopyButton text={url} testId="showcase-public-copy" />
        </span>
        <span className="muted small" data-testid="showcase-count" data-count={items?.length ?? ''} data-public={shown ?? ''}>
          {items === undefined ? '\u00a0' : t('showcase.count', { count: items.length, shown })}
        </span>
      </div>
      <a className="btn btn-secondary public-card-open" href={url} target="_blank" rel="noopener noreferrer">
        {t('showcase.openPublic')} ↗
      </a>
    </section>
  );
}

import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { CopyButton } from '../../components/CopyButton';
import { PlatformBadge } from '../../components/PlatformBadge';
import { ProductImage } from '../../components/ProductImage';
import type { ApiError } from '../../lib/api';
import { absoluteUrl, linkQrPath } from '../../lib/links';
import { formatBpsShort, formatMoney } from '../../lib/money';
import type { ShowcaseItem } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { asApiError } from '../../lib/useLoad';
import { errorText } from './AddToShowcase';
import { ItemLinks } from './ItemLinks';

export const MAX_RECOMMENDATION = 120;

export interface ItemPatch {
  recommendation?: string | null;
  visible?: boolean;
  pinned?: boolean;
  acknowledge_changes?: boolean;
}

export interface DragHandlers {
  dragging: boolean;
  dropMark: 'before' | 'after' | undefined;
  onStart: () => void;
  onOver: (after: boolean) => void;
  onDrop: () => void;
  onEnd: () => void;
}

/** One product of the showcase: what it earns, what changed since it was added, its tracked link, and everything one can do to it. */
export function ShowcaseItemCard({
  item,
  index,
  canUp,
  canDown,
  onMove,
  onPatch,
  onRemove,
  drag,
}: {
  item: ShowcaseItem;
  index: number;
  canUp: boolean;
  canDown: boolean;
  onMove: (delta: -1 | 1) => void;
  onPatch: (changes: ItemPatch) => Promise<void>;
  onRemove: () => Promise<void>;
  drag: DragHandlers;
}) {
  const { t } = useTranslation();
  const { product, changes } = item;
  const money = (minor: number) => formatMoney(minor, product.currency);
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const [linksOpen, setLinksOpen] = useState(false);
  const linkUrl = item.link ? absoluteUrl(item.link.url) : null;
  const changed = changes.price_changed || changes.rate_changed;

  const run = (work: () => Promise<void>) => void action.run(work);

  const dragOver = (event: DragEvent<HTMLLIElement>) => {
    if (drag.dragging) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    const box = event.currentTarget.getBoundingClientRect();
    drag.onOver(event.clientY > box.top + box.height / 2);
  };

  return (
    <li
      className={`showcase-item${item.pinned ? ' is-pinned' : ''}${!item.visible || changes.offline ? ' is-hidden' : ''}${drag.dragging ? ' is-dragging' : ''}${drag.dropMark ? ` drop-${drag.dropMark}` : ''}`}
      data-testid="showcase-item"
      data-item-id={item.id}
      data-product-id={item.product_id}
      data-via={item.via}
      data-pinned={item.pinned}
      data-visible={item.visible}
      onDragOver={dragOver}
      onDrop={(event) => {
        event.preventDefault();
        drag.onDrop();
      }}
    >
      {/* Only the handle drags (the fields stay selectable); the whole card is what one sees moving. */}
      <span
        className="showcase-grip"
        title={t('showcase.dragHint')}
        aria-hidden="true"
        draggable
        onDragStart={(event) => {
          const card = event.currentTarget.closest('li');
          event.dataTransfer.effectAllowed = 'move';
          event.dataTransfer.setData('text/plain', item.id);
          if (card) event.dataTransfer.setDragImage(card, 24, 24);
          drag.onStart();
        }}
        onDragEnd={drag.onEnd}
      >
        <span className="showcase-rank">{index + 1}</span>
        <svg viewBox="0 0 10 16" width="10" height="16">
          {[3, 8, 13].flatMap((y) => [2, 8].map((x) => <circle key={`${x}-${y}`} cx={x} cy={y} r="1.4" />))}
        </svg>
      </span>

      <ProductImage src={product.image} className="showcase-item-image" />

      <div className="showcase-item-main">
        <div className="showcase-item-head">
          <div className="showcase-item-badges">
            <PlatformBadge source={product.source} />
            <span className={`via-badge via-${item.via}`} data-testid="showcase-via" data-via={item.via}>
              {t(`showcase.via.${item.via}`)}
            </span>
            {item.pinned && <span className="badge badge-info">{t('showcase.pinned')}</span>}
            {!item.visible && <span className="badge badge-muted">{t('showcase.hidden')}</span>}
          </div>
          <h3 className="showcase-item-title" title={product.title}>
            {product.product_url ? (
              <a href={product.product_url} target="_blank" rel="noopener noreferrer">
                {product.title}
              </a>
            ) : (
              product.title
            )}
          </h3>
          <p className="showcase-item-money">
            <span className="showcase-price">{money(product.final_price)}</span>
            <span className="showcase-earn">
              {t('pool.earn')} <strong>{money(product.commission_amount)}</strong>
            </span>
            <span className="muted">{t('pool.rate', { rate: formatBpsShort(product.commission_rate_bps) })}</span>
          </p>
        </div>

        <div className="showcase-item-body">
          {(changes.offline || changed) && (
            <div className="showcase-flags">
              {changes.offline && (
                <span className="flag flag-danger" data-testid="showcase-flag-offline">
                  {t('showcase.flags.offline')}
                </span>
              )}
              {changes.price_changed && (
                <span className="flag flag-warn" data-testid="showcase-flag-price">
                  {t('showcase.flags.price', { was: money(item.added.final_price), now: money(product.final_price) })}
                </span>
              )}
              {changes.rate_changed && (
                <span className="flag flag-warn" data-testid="showcase-flag-rate">
                  {t('showcase.flags.rate', { was: formatBpsShort(item.added.commission_rate_bps), now: formatBpsShort(product.commission_rate_bps) })}
                </span>
              )}
              {changed && (
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  disabled={action.busy}
                  data-testid="showcase-acknowledge"
                  onClick={() => run(() => onPatch({ acknowledge_changes: true }))}
                >
                  {t('showcase.acknowledge')}
                </button>
              )}
            </div>
          )}

          <Recommendation item={item} onSave={(recommendation) => onPatch({ recommendation })} />

          <div className="showcase-link">
            {item.link && linkUrl ? (
              <>
                <a className="showcase-link-qr" href={linkQrPath(item.link.code)} target="_blank" rel="noopener noreferrer" title={t('showcase.qrOpen')}>
                  <img src={linkQrPath(item.link.code)} alt={t('showcase.linkQr')} width={48} height={48} loading="lazy" />
                </a>
                <span className="showcase-link-text">
                  <span className="muted small">{t('showcase.trackedLink')}</span>
                  <a href={linkUrl} target="_blank" rel="noopener noreferrer" className="mono" data-testid="showcase-link" data-code={item.link.code}>
                    {linkUrl}
                  </a>
                </span>
                <CopyButton text={linkUrl} testId="showcase-link-copy" />
              </>
            ) : (
              <span className="muted small">{t('showcase.noLink')}</span>
            )}
            <button
              type="button"
              className="btn btn-ghost btn-sm showcase-links-toggle"
              aria-expanded={linksOpen}
              data-testid="showcase-links-toggle"
              onClick={() => setLinksOpen((open) => !open)}
            >
              {t('showcase.links')} {linksOpen ? '▴' : '▾'}
            </button>
          </div>
          {linksOpen && <ItemLinks itemId={item.id} />}
          <ErrorAlert error={action.error} />
        </div>
      </div>

      <div className="showcase-item-side">
        <label className={`switch${item.visible ? ' switch-on' : ''}`} title={t('showcase.visibleHint')}>
          <input
            type="checkbox"
            checked={item.visible}
            disabled={action.busy}
            data-testid="showcase-visible"
            onChange={(event) => {
              const visible = event.target.checked;
              run(() => onPatch({ visible }));
            }}
          />
          <span className="switch-track" aria-hidden="true" />
          {t('showcase.visible')}
        </label>
        <button
          type="button"
          className={`btn btn-sm ${item.pinned ? 'btn-pinned' : 'btn-secondary'}`}
          aria-pressed={item.pinned}
          disabled={action.busy}
          data-testid="showcase-pin"
          onClick={() => run(() => onPatch({ pinned: !item.pinned }))}
        >
          {item.pinned ? t('showcase.unpin') : t('showcase.pin')}
        </button>
        <span className="showcase-arrows">
          <button type="button" className="btn btn-secondary btn-sm btn-icon" disabled={!canUp} aria-label={t('showcase.moveUp')} title={t('showcase.moveUp')} data-testid="showcase-up" onClick={() => onMove(-1)}>
            ↑
          </button>
          <button type="button" className="btn btn-secondary btn-sm btn-icon" disabled={!canDown} aria-label={t('showcase.moveDown')} title={t('showcase.moveDown')} data-testid="showcase-down" onClick={() => onMove(1)}>
            ↓
          </button>
        </span>
        {confirming ? (
          <span className="showcase-confirm">
            <button type="button" className="btn btn-danger btn-sm" disabled={action.busy} data-testid="showcase-remove-confirm" onClick={() => run(onRemove)}>
              {t('showcase.confirmRemove')}
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </span>
        ) : (
          <button type="button" className="btn btn-ghost btn-sm btn-remove" data-testid="showcase-remove" onClick={() => setConfirming(true)}>
            {t('showcase.remove')}
          </button>
        )}
      </div>
    </li>
  );
}

type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

/** The one-line recommendation, edited in place: Enter or leaving the field saves, Escape puts it back. */
function Recommendation({ item, onSave }: { item: ShowcaseItem; onSave: (text: string | null) => Promise<void> }) {
  const { t } = useTranslation();
  const saved = item.recommendation ?? '';
  const [text, setText] = useState(saved);
  const [state, setState] = useState<SaveState>('idle');
  const [error, setError] = useState<ApiError>();
  const [focused, setFocused] = useState(false);

  // The saved text changed (this field's save, or another tab's and a reload): show it unless one is typing.
  const typing = useRef(false);
  typing.current = focused;
  useEffect(() => {
    if (!typing.current) setText(saved);
  }, [saved]);

  const save = async () => {
    const next = text.trim();
    if (next === saved || state === 'saving') return;
    setState('saving');
    setError(undefined);
    try {
      await onSave(next || null);
      setState('saved');
    } catch (failure) {
      setError(asApiError(failure));
      setState('failed');
    }
  };

  const keyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void save();
    } else if (event.key === 'Escape') {
      setText(saved);
      setState('idle');
      event.currentTarget.blur();
    }
  };

  return (
    <div className="recommendation">
      <span className="recommendation-quote" aria-hidden="true">
        “
      </span>
      <input
        className="recommendation-input"
        value={text}
        maxLength={MAX_RECOMMENDATION}
        placeholder={t('showcase.recommendationPlaceholder')}
        aria-label={t('showcase.recommendation')}
        data-testid="showcase-recommendation"
        data-state={state}
        enterKeyHint="done"
        onChange={(event) => {
          setText(event.target.value.replace(/[\r\n]+/g, ' '));
          if (state !== 'saving') setState('idle');
        }}
        onFocus={() => setFocused(true)}
        onBlur={() => {
          setFocused(false);
          void save();
        }}
        onKeyDown={keyDown}
      />
      <span className="recommendation-status small" aria-live="polite">
        {state === 'saving' ? t('showcase.saving') : state === 'saved' ? t('showcase.saved') : focused ? `${[...text].length}/${MAX_RECOMMENDATION}` : ''}
      </span>
      {error && (
        <span className="add-error recommendation-error" role="alert">
          {errorText(t, error)}
        </span>
      )}
    </div>
  );
}

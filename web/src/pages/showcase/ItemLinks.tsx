import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { CopyButton } from '../../components/CopyButton';
import { Loading } from '../../components/Loading';
import { api } from '../../lib/api';
import { dateOf } from '../../lib/dates';
import { NEW_LINK_CHANNELS, absoluteUrl, linkQrPath } from '../../lib/links';
import type { Items, LinkChannel, TrackedLink } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';

/** An item's links, one per channel it was shared on, with their clicks; and a form to make one more. */
export function ItemLinks({ itemId }: { itemId: string }) {
  const { t } = useTranslation();
  const links = useLoad<Items<TrackedLink>>(`/api/links?item_id=${encodeURIComponent(itemId)}`);
  const [channel, setChannel] = useState<LinkChannel>('video');
  const action = useAction();

  const create = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await api<TrackedLink>('POST', '/api/links', { item_id: itemId, channel });
      links.reload();
    });
  };

  return (
    <div className="item-links" data-testid="showcase-links">
      {links.error ? (
        <ErrorAlert error={links.error} onRetry={links.reload} />
      ) : links.data === undefined ? (
        <Loading />
      ) : (
        <ul className="link-list">
          {links.data.items.map((link) => (
            <LinkRow key={link.code} link={link} />
          ))}
        </ul>
      )}
      <form className="inline-form item-links-form" onSubmit={create}>
        <label className="muted small" htmlFor={`channel-${itemId}`}>
          {t('links.newFor')}
        </label>
        <select id={`channel-${itemId}`} className="input input-sm" value={channel} data-testid="link-channel" onChange={(event) => setChannel(event.target.value as LinkChannel)}>
          {NEW_LINK_CHANNELS.map((option) => (
            <option key={option} value={option}>
              {t(`links.channels.${option}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-secondary btn-sm" disabled={action.busy} data-testid="link-create">
          {action.busy ? t('links.creating') : t('links.create')}
        </button>
        <ErrorAlert error={action.error} />
      </form>
    </div>
  );
}

function LinkRow({ link }: { link: TrackedLink }) {
  const { t } = useTranslation();
  const url = absoluteUrl(link.url);
  return (
    <li className="link-row" data-testid="link-row" data-code={link.code} data-channel={link.channel}>
      <span className={`channel-badge channel-${link.channel}`}>{t(`links.channels.${link.channel}`, { defaultValue: link.channel })}</span>
      <a className="mono link-row-url" href={url} target="_blank" rel="noopener noreferrer">
        {url}
      </a>
      <span className="link-row-stats muted small">
        {t('links.clicksShort', { clicks: link.clicks, unique: link.unique_clicks })} · {dateOf(link.created_at)}
      </span>
      <span className="link-row-actions">
        <a className="btn btn-ghost btn-sm" href={linkQrPath(link.code)} target="_blank" rel="noopener noreferrer">
          {t('links.qr')}
        </a>
        <CopyButton text={url} className="btn btn-ghost btn-sm" />
      </span>
    </li>
  );
}

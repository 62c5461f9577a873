import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Async } from '../../components/Async';
import { CopyButton } from '../../components/CopyButton';
import { DataTable, type Column } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { api } from '../../lib/api';
import { dateOf } from '../../lib/dates';
import { absoluteUrl, linkQrPath } from '../../lib/links';
import { href } from '../../lib/router';
import type { Items, LinkChannel, ShowcaseItem, TrackedLink } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';
import { PositionsPanel } from './PositionsPanel';

type Row = TrackedLink & { id: string };
const CHANNELS: readonly LinkChannel[] = ['showcase', 'video', 'live', 'group', 'other'];

/** 推广链接: every tracked link the creator made, across items and channels, with its clicks. */
export function LinksPage() {
  const { t } = useTranslation();
  const links = useLoad<Items<TrackedLink>>('/api/links');
  const titles = useProductTitles();
  const [channel, setChannel] = useState<LinkChannel | ''>('');

  const columns: Column<Row>[] = [
    {
      key: 'product',
      header: t('links.product'),
      className: 'product-cell',
      cell: (row) => (
        <span className="product-line-text">
          <span className="product-line-title" title={titleOf(row, titles)}>
            {titleOf(row, titles) ?? <span className="muted">{t('links.removedItem')}</span>}
          </span>
          <span className="muted small mono" data-testid="link-code">
            {row.code}
          </span>
        </span>
      ),
    },
    { key: 'channel', header: t('links.channel'), cell: (row) => <span className={`channel-badge channel-${row.channel}`}>{t(`links.channels.${row.channel}`, { defaultValue: row.channel })}</span> },
    { key: 'clicks', header: t('links.clicks'), className: 'num', cell: (row) => row.clicks.toLocaleString('en-US') },
    { key: 'unique', header: t('links.uniqueClicks'), className: 'num', cell: (row) => row.unique_clicks.toLocaleString('en-US') },
    { key: 'created', header: t('columns.createdAt'), className: 'nowrap', cell: (row) => dateOf(row.created_at) },
    {
      key: 'actions',
      header: t('links.link'),
      className: 'actions',
      cell: (row) => {
        const url = absoluteUrl(row.url);
        return (
          <span className="link-actions">
            <a className="link-qr" href={linkQrPath(row.code)} target="_blank" rel="noopener noreferrer" title={t('showcase.qrOpen')}>
              <img src={linkQrPath(row.code)} alt={t('showcase.linkQr')} width={36} height={36} loading="lazy" />
            </a>
            <CopyButton text={url} className="btn btn-secondary btn-sm" testId="link-copy" />
          </span>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader title={t('links.title')} description={t('links.description')} />
      <Panel
        actions={
          <label className="pool-sort">
            <span>{t('links.channel')}</span>
            <select className="input input-sm" value={channel} data-testid="links-channel-filter" onChange={(event) => setChannel(event.target.value as LinkChannel | '')}>
              <option value="">{t('pool.all')}</option>
              {CHANNELS.map((option) => (
                <option key={option} value={option}>
                  {t(`links.channels.${option}`)}
                </option>
              ))}
            </select>
          </label>
        }
        title={t('links.all')}
      >
        <Async loaded={links}>
          {(data) => {
            const rows = data.items.filter((link) => !channel || link.channel === channel).map((link) => ({ ...link, id: link.code }));
            return data.items.length === 0 ? (
              <div className="empty" data-testid="links-table-empty">
                <p>{t('links.empty')}</p>
                <a className="btn btn-primary btn-sm" href={href('pool')}>
                  {t('showcase.goToPool')}
                </a>
              </div>
            ) : (
              <>
                <LinkTotals links={data.items} />
                <DataTable columns={columns} rows={rows} empty={t('links.emptyChannel')} testId="links-table" />
              </>
            );
          }}
        </Async>
      </Panel>
      <PositionsPanel />
    </>
  );
}

function LinkTotals({ links }: { links: TrackedLink[] }) {
  const { t } = useTranslation();
  const clicks = links.reduce((sum, link) => sum + link.clicks, 0);
  const unique = links.reduce((sum, link) => sum + link.unique_clicks, 0);
  return (
    <p className="muted small" data-testid="links-totals">
      {t('links.totals', { count: links.length, clicks: clicks.toLocaleString('en-US'), unique: unique.toLocaleString('en-US') })}
    </p>
  );
}

function titleOf(row: TrackedLink, titles: ReadonlyMap<string, string>): string | undefined {
  return row.product_id ? titles.get(row.product_id) : undefined;
}

/** Product titles of the showcase, to name each link's product (links answer only its id). */
function useProductTitles(): ReadonlyMap<string, string> {
  const [titles, setTitles] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    let current = true;
    api<Items<ShowcaseItem>>('GET', '/api/showcase/items').then(
      (answer) => current && setTitles(new Map(answer.items.map((item) => [item.product_id, item.product.title]))),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);
  return titles;
}

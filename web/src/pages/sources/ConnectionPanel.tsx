import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { Fact } from '../../components/Fact';
import { Field } from '../../components/Field';
import { Panel } from '../../components/Panel';
import { api } from '../../lib/api';
import { dateTimeOf } from '../../lib/dates';
import type { Source, SourceConnection, SyncReport } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';

/** The platforms Vitrine has an API connector for (the server's CONNECTED_PLATFORMS). */
export const CONNECTED_PLATFORMS = ['pdd', 'jd', 'taobao'];

/**
 * 平台接口 (operator): a 拼多多 / 京东 / 淘宝 source's API credentials, 推广位, keywords and schedule;
 * how its last product sync and order poll went; and a sync now. The secret is never shown: left
 * empty on a change, the stored one is kept.
 */
export function ConnectionPanel({ source, onSynced }: { source: Source; onSynced: () => void }) {
  const { t } = useTranslation();
  const path = `/api/sources/${encodeURIComponent(source.id)}/connection`;
  const loaded = useLoad<SourceConnection>(path);
  const notConnected = loaded.error?.status === 404;
  const connection = loaded.data;
  const sync = useAction();
  const [report, setReport] = useState<SyncReport>();

  const syncNow = () =>
    void sync.run(async () => {
      setReport(undefined);
      try {
        setReport(await api<SyncReport>('POST', `/api/sources/${encodeURIComponent(source.id)}/sync`));
        onSynced();
      } finally {
        loaded.reload(); // the outcome is recorded on the connection either way
      }
    });

  return (
    <Panel title={t('connection.title')} testId="connection-panel">
      <p className="muted small">{t('connection.description')}</p>
      {loaded.error && !notConnected && <ErrorAlert error={loaded.error} onRetry={loaded.reload} />}
      {connection && (
        <dl className="facts" data-testid="connection-status">
          <Fact label={t('connection.lastSync')}>
            {connection.last_sync_at ? dateTimeOf(connection.last_sync_at) : t('connection.never')}
            {connection.last_sync_error && (
              <span className="field-error" data-testid="connection-sync-error">
                {' '}
                {connection.last_sync_error}
              </span>
            )}
          </Fact>
          <Fact label={t('connection.nextSync')}>{dateTimeOf(connection.next_sync_at)}</Fact>
          <Fact label={t('connection.ordersUntil')}>
            {connection.orders_polled_until ? dateTimeOf(connection.orders_polled_until) : t('connection.never')}
            {connection.orders_poll_error && <span className="field-error"> {connection.orders_poll_error}</span>}
          </Fact>
        </dl>
      )}
      {(connection || notConnected) && <ConnectionForm key={connection?.app_key ?? 'new'} path={path} connection={connection ?? null} taobao={source.platform === 'taobao'} onSaved={loaded.reload} />}
      {connection && (
        <div className="button-row">
          <button type="button" className="btn btn-secondary" disabled={sync.busy} data-testid="connection-sync" onClick={syncNow}>
            {sync.busy ? t('connection.syncing') : t('connection.syncNow')}
          </button>
          {report && (
            <span className="muted small" data-testid="connection-sync-report">
              {t('connection.synced', { imported: report.imported, updated: report.updated, rejected: report.rejected.length })}
            </span>
          )}
          <ErrorAlert error={sync.error} />
        </div>
      )}
    </Panel>
  );
}

function ConnectionForm({ path, connection, taobao, onSaved }: { path: string; connection: SourceConnection | null; taobao: boolean; onSaved: () => void }) {
  const { t } = useTranslation();
  const [appKey, setAppKey] = useState(connection?.app_key ?? '');
  const [appSecret, setAppSecret] = useState('');
  const [baseUrl, setBaseUrl] = useState(connection?.base_url ?? '');
  const [positionId, setPositionId] = useState(connection?.position_id ?? '');
  const [inviterCode, setInviterCode] = useState(connection?.inviter_code ?? '');
  const [keywords, setKeywords] = useState((connection?.keywords ?? []).join('\n'));
  const [every, setEvery] = useState(String(connection?.sync_every_minutes ?? 60));
  const [saved, setSaved] = useState(false);
  const action = useAction();
  // A change after a save takes its 已保存 away (the secret, emptied by the save itself, in its onChange).
  useEffect(() => setSaved(false), [appKey, baseUrl, positionId, inviterCode, keywords, every]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = {
      app_key: appKey.trim(),
      ...(appSecret.trim() ? { app_secret: appSecret.trim() } : {}),
      base_url: baseUrl.trim() || null,
      position_id: positionId.trim() || null,
      ...(taobao ? { inviter_code: inviterCode.trim() || null } : {}),
      keywords: keywords
        .split(/[\n,，]/)
        .map((k) => k.trim())
        .filter(Boolean),
      sync_every_minutes: Number(every),
    };
    void action.run(async () => {
      await api('PUT', path, body);
      setAppSecret('');
      onSaved();
      setSaved(true);
    });
  };

  return (
    <form className="form form-grid" onSubmit={submit} data-testid="connection-form">
      <Field label={t('connection.appKey')} htmlFor="connection-app-key">
        <input id="connection-app-key" className="input mono" required autoCapitalize="none" spellCheck={false} value={appKey} data-testid="connection-app-key" onChange={(event) => setAppKey(event.target.value)} />
      </Field>
      <Field label={t('connection.appSecret')} hint={connection ? t('connection.secretKept') : undefined} htmlFor="connection-app-secret">
        <input id="connection-app-secret" className="input mono" type="password" autoComplete="new-password" required={!connection} value={appSecret} data-testid="connection-app-secret" onChange={(event) => {
            setAppSecret(event.target.value);
            setSaved(false);
          }} />
      </Field>
      <Field label={t('connection.positionId')} hint={t('connection.positionIdHint')} htmlFor="connection-position">
        <input id="connection-position" className="input mono" spellCheck={false} value={positionId} data-testid="connection-position" onChange={(event) => setPositionId(event.target.value)} />
      </Field>
      {taobao && (
        <Field label={`${t('connection.inviterCode')} (${t('common.optional')})`} hint={t('connection.inviterCodeHint')} htmlFor="connection-inviter-code">
          <input id="connection-inviter-code" className="input mono" spellCheck={false} autoCapitalize="characters" maxLength={32} value={inviterCode} data-testid="connection-inviter-code" onChange={(event) => setInviterCode(event.target.value)} />
        </Field>
      )}
      <Field label={`${t('connection.baseUrl')} (${t('common.optional')})`} hint={t('connection.baseUrlHint')} htmlFor="connection-base-url">
        <input id="connection-base-url" className="input mono" type="url" spellCheck={false} value={baseUrl} data-testid="connection-base-url" onChange={(event) => setBaseUrl(event.target.value)} />
      </Field>
      <Field label={t('connection.keywords')} hint={t('connection.keywordsHint')} htmlFor="connection-keywords">
        <textarea id="connection-keywords" className="input" rows={3} value={keywords} data-testid="connection-keywords" onChange={(event) => setKeywords(event.target.value)} />
      </Field>
      <Field label={t('connection.every')} htmlFor="connection-every">
        <input id="connection-every" className="input" type="number" min={5} max={10080} required value={every} data-testid="connection-every" onChange={(event) => setEvery(event.target.value)} />
      </Field>
      <div className="form-grid-full">
        <ErrorAlert error={action.error} />
        <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="connection-save">
          {action.busy ? t('connection.saving') : connection ? t('connection.save') : t('connection.connect')}
        </button>
        {saved && (
          <span className="muted small" data-testid="connection-saved">
            {' '}
            {t('connection.saved')}
          </span>
        )}
      </div>
    </form>
  );
}

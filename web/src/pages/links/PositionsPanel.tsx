import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Notice } from '../../components/Alerts';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { Field } from '../../components/Field';
import { Panel } from '../../components/Panel';
import { api, ApiError } from '../../lib/api';
import { dateOf } from '../../lib/dates';
import type { Position, Positions } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { setHashQuery, useHashQuery } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';

type Row = Position & { id: string };

/**
 * 推广位: the position ids the platforms issued to the creator. A PDD or JD link is made for the
 * one recorded for its source, a Taobao link carries the creator's 渠道关系 id (a `relation`), and
 * an order that comes back without our click id is credited through them.
 */
export function PositionsPanel() {
  const { t } = useTranslation();
  const positions = useLoad<Positions>('/api/positions');
  const removal = useAction();

  const remove = (subId: string) =>
    void removal.run(async () => {
      await api('DELETE', `/api/positions/${encodeURIComponent(subId)}`);
      positions.reload();
    });

  const outcome = useChannelOutcome(positions.reload);
  // Back from Taobao the page opens at its top, and this panel is below the links: brought into view.
  const said = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) said.current?.scrollIntoView({ block: 'center' });
  }, [outcome]);

  return (
    <Panel title={t('positions.title')}>
      <p className="muted small">{t('positions.description')}</p>
      <div ref={said}>
        {outcome?.kind === 'done' && (
          <Notice onDismiss={outcome.dismiss}>
            <span data-testid="channel-outcome">{t(`positions.channel.${outcome.already ? 'already' : 'registered'}`, { relationId: outcome.relationId })}</span>
          </Notice>
        )}
        {outcome?.kind === 'failed' && <ErrorAlert error={outcome.error} section="positions.channel" />}
      </div>
      <Async loaded={positions}>
        {(data) => {
          const sourceName = (id: string | null) => (id === null ? t('positions.anySource') : (data.sources.find((s) => s.id === id)?.name ?? id));
          const columns: Column<Row>[] = [
            { key: 'sub_id', header: t('positions.subId'), className: 'mono', cell: (row) => row.sub_id },
            { key: 'source', header: t('positions.source'), cell: (row) => sourceName(row.source_id) },
            { key: 'kind', header: t('positions.kind'), cell: (row) => t(`positions.kinds.${row.kind}`) },
            { key: 'label', header: t('positions.label'), cell: (row) => row.label ?? <span className="muted">—</span> },
            { key: 'created', header: t('columns.createdAt'), className: 'nowrap', cell: (row) => dateOf(row.created_at) },
            {
              key: 'actions',
              header: '',
              className: 'actions',
              cell: (row) => (
                <button type="button" className="btn btn-secondary btn-sm" disabled={removal.busy} data-testid="position-remove" onClick={() => remove(row.sub_id)}>
                  {t('positions.remove')}
                </button>
              ),
            },
          ];
          return (
            <>
              <DataTable columns={columns} rows={data.items.map((p) => ({ ...p, id: p.sub_id }))} empty={t('positions.empty')} testId="positions-table" />
              <ErrorAlert error={removal.error} />
              <PositionForm sources={data.sources} onAdded={positions.reload} />
              <ChannelRegistration sources={data.sources.filter((source) => source.channel_registration)} />
            </>
          );
        }}
      </Async>
    </Panel>
  );
}

function PositionForm({ sources, onAdded }: { sources: Positions['sources']; onAdded: () => void }) {
  const { t } = useTranslation();
  const [subId, setSubId] = useState('');
  const [sourceId, setSourceId] = useState(sources[0]?.id ?? '');
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState<Position['kind']>('relation');
  const action = useAction();
  // Only Taobao issues relation ids (渠道关系 id); every other source records a 推广位.
  const isTaobao = sources.find((s) => s.id === sourceId)?.platform === 'taobao';
  const chosenKind = isTaobao ? kind : 'position';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await api('POST', '/api/positions', { sub_id: subId.trim(), source_id: sourceId || null, label: label.trim() || null, kind: chosenKind });
      setSubId('');
      setLabel('');
      onAdded();
    });
  };

  return (
    <form className="form form-grid" onSubmit={submit} data-testid="position-form">
      <Field label={t('positions.source')} htmlFor="position-source">
        <select id="position-source" className="input" value={sourceId} data-testid="position-source" onChange={(event) => setSourceId(event.target.value)}>
          <SourceOptions sources={sources} />
          <option value="">{t('positions.anySource')}</option>
        </select>
      </Field>
      {isTaobao && (
        <Field label={t('positions.kind')} htmlFor="position-kind">
          <select id="position-kind" className="input" value={kind} data-testid="position-kind" onChange={(event) => setKind(event.target.value as Position['kind'])}>
            <option value="relation">{t('positions.kinds.relation')}</option>
            <option value="position">{t('positions.kinds.position')}</option>
          </select>
        </Field>
      )}
      <Field label={chosenKind === 'relation' ? t('positions.kinds.relation') : t('positions.subId')} hint={chosenKind === 'relation' ? t('positions.relationHint') : t('positions.subIdHint')} htmlFor="position-sub-id">
        <input id="position-sub-id" className="input mono" required autoCapitalize="none" spellCheck={false} placeholder={chosenKind === 'relation' ? '2712345678' : '1000001_2000001'} inputMode={chosenKind === 'relation' ? 'numeric' : undefined} value={subId} data-testid="position-sub-id" onChange={(event) => setSubId(event.target.value)} />
      </Field>
      <Field label={`${t('positions.label')} (${t('common.optional')})`} htmlFor="position-label">
        <input id="position-label" className="input" maxLength={100} placeholder={t('positions.labelPlaceholder')} value={label} data-testid="position-label" onChange={(event) => setLabel(event.target.value)} />
      </Field>
      <div className="form-grid-full">
        <ErrorAlert error={action.error} />
        <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="position-submit">
          {action.busy ? t('positions.adding') : t('positions.add')}
        </button>
      </div>
    </form>
  );
}

type ChannelOutcome = { kind: 'done'; relationId: string; already: boolean; dismiss: () => void } | { kind: 'failed'; error: ApiError };

/**
 * What Taobao's authorisation ended in: the server's callback sends the creator back here with
 * `taobao_channel=registered|already&relation_id=…` or `taobao_channel_error=<code>`. Kept once
 * read, and taken out of the address, so a reload does not say it again.
 */
function useChannelOutcome(onRegistered: () => void): ChannelOutcome | null {
  const query = new URLSearchParams(useHashQuery());
  const [outcome, setOutcome] = useState<ChannelOutcome | null>(null);
  const registered = query.get('taobao_channel');
  const relationId = query.get('relation_id');
  const failed = query.get('taobao_channel_error');
  const reason = query.get('taobao_channel_reason');
  useEffect(() => {
    if (!registered && !failed) return;
    const dismiss = () => setOutcome(null);
    if (registered && relationId) {
      setOutcome({ kind: 'done', relationId, already: registered === 'already', dismiss });
      onRegistered();
    } else if (failed) {
      setOutcome({ kind: 'failed', error: new ApiError(400, failed, reason ?? failed, reason ? { reason } : undefined) });
    }
    const rest = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
    for (const key of ['taobao_channel', 'relation_id', 'taobao_channel_error', 'taobao_channel_reason']) rest.delete(key);
    setHashQuery(rest, { replace: true });
  }, [registered, relationId, failed, reason, onRegistered]);
  return outcome;
}

/**
 * 渠道备案: the creator registers their Taobao account as a channel of a Taobao source by
 * authorising on Taobao; the server records the relation id Taobao issues (no copying by hand).
 */
function ChannelRegistration({ sources }: { sources: Positions['sources'] }) {
  const { t } = useTranslation();
  const [sourceId, setSourceId] = useState(sources[0]?.id ?? '');
  const action = useAction();
  if (sources.length === 0) return null;

  const start = () =>
    void action.run(async () => {
      const { authorize_url } = await api<{ authorize_url: string }>('POST', '/api/positions/taobao-channel', { source_id: sourceId });
      window.location.assign(authorize_url);
    });

  return (
    <section className="panel-section" data-testid="channel-registration">
      <h3 className="panel-subtitle">{t('positions.channel.title')}</h3>
      <p className="muted small">{t('positions.channel.description')}</p>
      {sources.length > 1 && (
        <Field label={t('positions.channel.source')} htmlFor="channel-source">
          <select id="channel-source" className="input" value={sourceId} data-testid="channel-source" onChange={(event) => setSourceId(event.target.value)}>
            <SourceOptions sources={sources} />
          </select>
        </Field>
      )}
      <ErrorAlert error={action.error} />
      <button type="button" className="btn btn-secondary" disabled={action.busy || !sourceId} data-testid="channel-start" onClick={start}>
        {action.busy ? t('positions.channel.starting') : t('positions.channel.start')}
      </button>
    </section>
  );
}

function SourceOptions({ sources }: { sources: Positions['sources'] }) {
  return (
    <>
      {sources.map((source) => (
        <option key={source.id} value={source.id}>
          {source.name}
        </option>
      ))}
    </>
  );
}

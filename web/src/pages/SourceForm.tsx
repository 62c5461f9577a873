import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/Alerts';
import { Field } from '../components/Field';
import { api } from '../lib/api';
import { PLATFORMS } from '../lib/platforms';
import type { CreatedSource, SourceKind } from '../lib/types';
import { useAction } from '../lib/useAction';

/** The operator connects any kind of source; a merchant connects its own stores. */
export function SourceForm({ kinds, onCreated }: { kinds: readonly SourceKind[]; onCreated: (source: CreatedSource) => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<SourceKind>(kinds[0] ?? 'merchant');
  const [name, setName] = useState('');
  const [platform, setPlatform] = useState<string>(PLATFORMS[0]);
  const action = useAction();
  const needsPlatform = kind === 'platform';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = { kind, name: name.trim(), ...(needsPlatform ? { platform } : {}) };
    void action.run(async () => {
      const created = await api<CreatedSource>('POST', '/api/sources', body);
      setName('');
      onCreated(created);
    });
  };

  return (
    <form className="form form-grid" onSubmit={submit} data-testid="source-form">
      <Field label={t('sources.kind')} htmlFor="source-kind">
        <select id="source-kind" className="input" value={kind} data-testid="source-kind" onChange={(event) => setKind(event.target.value as SourceKind)}>
          {kinds.map((option) => (
            <option key={option} value={option}>
              {t(`sources.kinds.${option}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('sources.name')} htmlFor="source-name">
        <input
          id="source-name"
          className="input"
          required
          placeholder={t('sources.namePlaceholder')}
          value={name}
          data-testid="source-name"
          onChange={(event) => setName(event.target.value)}
        />
      </Field>
      <Field label={t('sources.platform')} htmlFor="source-platform">
        <select
          id="source-platform"
          className="input"
          disabled={!needsPlatform}
          value={needsPlatform ? platform : ''}
          data-testid="source-platform"
          onChange={(event) => setPlatform(event.target.value)}
        >
          {!needsPlatform && <option value="">{t('sources.platformNone')}</option>}
          {PLATFORMS.map((option) => (
            <option key={option} value={option}>
              {t(`sources.platforms.${option}`)}
            </option>
          ))}
        </select>
      </Field>
      <div className="form-grid-full">
        <ErrorAlert error={action.error} />
        <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="source-submit">
          {action.busy ? t('sources.submitting') : t('sources.submit')}
        </button>
      </div>
    </form>
  );
}

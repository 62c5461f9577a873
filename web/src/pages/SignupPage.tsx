import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/Alerts';
import { AuthFrame } from '../components/AuthFrame';
import { Field } from '../components/Field';
import { api } from '../lib/api';
import { href } from '../lib/router';
import { useAction } from '../lib/useAction';

type SignupRole = 'creator' | 'org' | 'colonel';

const NAME_LABEL: Record<SignupRole, string> = { creator: 'signup.creatorName', org: 'signup.contactName', colonel: 'signup.colonelName' };

export function SignupPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const { t } = useTranslation();
  const [role, setRole] = useState<SignupRole>('creator');
  const [name, setName] = useState('');
  const [handle, setHandle] = useState('');
  const [organisationName, setOrganisationName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();

  useEffect(() => {
    document.title = `${t('signup.title')} · ${t('app.name')}`;
  }, [t]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const common = { role, email: email.trim(), password, name: name.trim() };
    const body = role === 'creator' ? { ...common, handle: handle.trim() } : role === 'org' ? { ...common, organisation_name: organisationName.trim() } : common;
    void action.run(async () => {
      await api('POST', '/api/auth/signup', body);
      await onSignedIn();
    });
  };

  return (
    <AuthFrame>
      <h1 className="auth-title">{t('signup.title')}</h1>
      <p className="auth-subtitle">{t('signup.subtitle')}</p>
      <form className="form" onSubmit={submit}>
        <fieldset className="role-choice">
          <legend className="sr-only">{t('columns.role')}</legend>
          <RoleOption value="creator" current={role} onChange={setRole} title={t('signup.asCreator')} hint={t('signup.asCreatorHint')} />
          <RoleOption value="org" current={role} onChange={setRole} title={t('signup.asOrg')} hint={t('signup.asOrgHint')} />
          <RoleOption value="colonel" current={role} onChange={setRole} title={t('signup.asColonel')} hint={t('signup.asColonelHint')} />
        </fieldset>
        {role === 'org' && (
          <Field label={t('signup.orgName')} htmlFor="signup-org-name">
            <input
              id="signup-org-name"
              className="input"
              required
              value={organisationName}
              data-testid="signup-org-name"
              onChange={(event) => setOrganisationName(event.target.value)}
            />
          </Field>
        )}
        <Field label={t(NAME_LABEL[role])} htmlFor="signup-name">
          <input
            id="signup-name"
            className="input"
            autoComplete="name"
            required
            value={name}
            data-testid="signup-name"
            onChange={(event) => setName(event.target.value)}
          />
        </Field>
        {role === 'creator' && (
          <Field label={t('signup.handle')} hint={t('signup.handleHint')} htmlFor="signup-handle">
            <input
              id="signup-handle"
              className="input"
              autoCapitalize="none"
              spellCheck={false}
              required
              pattern="[a-z0-9_]{3,30}"
              value={handle}
              data-testid="signup-handle"
              onChange={(event) => setHandle(event.target.value)}
            />
          </Field>
        )}
        <Field label={t('signup.email')} htmlFor="signup-email">
          <input
            id="signup-email"
            className="input"
            type="email"
            autoComplete="email"
            required
            value={email}
            data-testid="signup-email"
            onChange={(event) => setEmail(event.target.value)}
          />
        </Field>
        <Field label={t('signup.password')} hint={t('signup.passwordHint')} htmlFor="signup-password">
          <input
            id="signup-password"
            className="input"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            value={password}
            data-testid="signup-password"
            onChange={(event) => setPassword(event.target.value)}
          />
        </Field>
        <ErrorAlert error={action.error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={action.busy} data-testid="signup-submit">
          {action.busy ? t('signup.submitting') : t('signup.submit')}
        </button>
      </form>
      <p className="auth-switch">
        {t('signup.haveAccount')} <a href={href('login')}>{t('signup.loginLink')}</a>
      </p>
    </AuthFrame>
  );
}

function RoleOption({
  value,
  current,
  onChange,
  title,
  hint,
}: {
  value: SignupRole;
  current: SignupRole;
  onChange: (role: SignupRole) => void;
  title: string;
  hint: string;
}) {
  return (
    <label className={`role-option${current === value ? ' selected' : ''}`} data-testid={`signup-role-${value}`}>
      <input type="radio" name="signup-role" value={value} checked={current === value} onChange={() => onChange(value)} />
      <span className="role-option-title">{title}</span>
      <span className="role-option-hint">{hint}</span>
    </label>
  );
}

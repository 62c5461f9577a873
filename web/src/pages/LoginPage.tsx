import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/Alerts';
import { AuthFrame } from '../components/AuthFrame';
import { Field } from '../components/Field';
import { api } from '../lib/api';
import { href } from '../lib/router';
import { useAction } from '../lib/useAction';

export function LoginPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.name')}`;
  }, [t]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await api('POST', '/api/auth/login', { email: email.trim(), password });
      await onSignedIn();
    });
  };

  return (
    <AuthFrame>
      <h1 className="auth-title">{t('login.title')}</h1>
      <p className="auth-subtitle">{t('login.subtitle')}</p>
      <form className="form" onSubmit={submit}>
        <Field label={t('login.email')} htmlFor="login-email">
          <input
            id="login-email"
            className="input"
            type="email"
            autoComplete="username"
            required
            value={email}
            data-testid="login-email"
            onChange={(event) => setEmail(event.target.value)}
          />
        </Field>
        <Field label={t('login.password')} htmlFor="login-password">
          <input
            id="login-password"
            className="input"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            data-testid="login-password"
            onChange={(event) => setPassword(event.target.value)}
          />
        </Field>
        <ErrorAlert error={action.error} section="login" />
        <button type="submit" className="btn btn-primary btn-block" disabled={action.busy} data-testid="login-submit">
          {action.busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
      <p className="auth-switch">
        {t('login.noAccount')} <a href={href('signup')} data-testid="to-signup">{t('login.signupLink')}</a>
      </p>
    </AuthFrame>
  );
}

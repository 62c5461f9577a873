import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Brand } from './Brand';
import { LangToggle } from './LangToggle';

/** Sign-in and sign-up: the form on the right, what Vitrine is on the left (hidden on a phone). */
export function AuthFrame({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="auth">
      <section className="auth-hero">
        <Brand withTagline />
        <div className="auth-hero-copy">
          <h2>{t('auth.heroTitle')}</h2>
          <p>{t('auth.heroBody')}</p>
          <ul className="auth-features">
            {(['feature1', 'feature2', 'feature3', 'feature4'] as const).map((key) => (
              <li key={key}>{t(`auth.${key}`)}</li>
            ))}
          </ul>
        </div>
        <p className="auth-hero-foot">© Vitrine · MIT</p>
      </section>
      <section className="auth-main">
        <div className="auth-top">
          <span className="auth-brand-mobile">
            <Brand />
          </span>
          <LangToggle />
        </div>
        <div className="auth-card">{children}</div>
      </section>
    </div>
  );
}

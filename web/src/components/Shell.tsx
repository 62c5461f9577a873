import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NAV_BY_ROLE, navLabelKey } from '../lib/nav';
import { href } from '../lib/router';
import { useSession } from '../lib/session';
import { Brand } from './Brand';
import { LangToggle } from './LangToggle';
import { Toasts } from './Toasts';

/** The signed-in frame: a sidebar on a desktop, a top bar with a folding menu on a phone. */
export function Shell({ active, children }: { active: string; children: ReactNode }) {
  const { t } = useTranslation();
  const { me, signOut } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const role = me.user.role;

  useEffect(() => setMenuOpen(false), [active]);
  useEffect(() => {
    document.title = `${t(navLabelKey(role, active))} · ${t('app.name')}`;
  }, [t, role, active]);

  return (
    <div className={`shell${menuOpen ? ' menu-open' : ''}`}>
      <aside className="sidebar">
        <div className="sidebar-inner">
          <div className="sidebar-head">
            <a className="brand-link" href={href('home')}>
              <Brand />
            </a>
            <LangToggle className="sidebar-lang" />
            <button
              type="button"
              className="menu-toggle"
              data-testid="nav-toggle"
              aria-controls="main-nav"
              aria-expanded={menuOpen}
              aria-label={t('nav.menu')}
              onClick={() => setMenuOpen((open) => !open)}
            >
              <span className="menu-bars" aria-hidden="true" />
            </button>
          </div>
          <div className="sidebar-menu">
            <p className="nav-caption">{t('nav.console', { role: t(`roles.${role}`) })}</p>
            <nav id="main-nav" className="nav" data-testid="nav" aria-label={t('nav.menu')}>
              {NAV_BY_ROLE[role].map((key) => (
                <a
                  key={key}
                  href={href(key)}
                  data-nav={key}
                  className={`nav-link${key === active ? ' active' : ''}`}
                  aria-current={key === active ? 'page' : undefined}
                >
                  <span className={`nav-icon nav-icon-${key}`} aria-hidden="true" />
                  {t(navLabelKey(role, key))}
                </a>
              ))}
            </nav>
            <div className="sidebar-foot">
              <div className="user-card">
                <span className="avatar" aria-hidden="true">
                  {initialOf(me.user.name)}
                </span>
                <span className="user-meta">
                  <span className="user-name">{me.user.name}</span>
                  <span className="user-email">{me.user.email}</span>
                </span>
              </div>
              <div className="user-actions">
                <span className={`role-pill role-${role}`} data-testid="user-role" data-role={role}>
                  {t(`roles.${role}`)}
                </span>
                <button type="button" className="btn btn-ghost btn-sm" data-testid="logout" onClick={() => void signOut()}>
                  {t('nav.logout')}
                </button>
              </div>
            </div>
          </div>
        </div>
      </aside>
      <main className="main" id="main">
        {children}
      </main>
      <Toasts />
    </div>
  );
}

function initialOf(name: string): string {
  return Array.from(name.trim())[0]?.toUpperCase() ?? '?';
}

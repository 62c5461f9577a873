import { useTranslation } from 'react-i18next';
import { href } from '../../lib/router';

/** 橱窗 has two pages: the showcase itself and the stores its products can also come from. */
export function ShowcaseTabs({ active }: { active: 'items' | 'stores' }) {
  const { t } = useTranslation();
  const tabs = [
    { key: 'items', route: 'showcase', label: t('showcase.tabs.items') },
    { key: 'stores', route: 'showcase/stores', label: t('showcase.tabs.stores') },
  ] as const;
  return (
    <nav className="tabs" aria-label={t('nav.showcase')}>
      {tabs.map((tab) => (
        <a
          key={tab.key}
          href={href(tab.route)}
          className={`tab${tab.key === active ? ' tab-active' : ''}`}
          aria-current={tab.key === active ? 'page' : undefined}
          data-testid={`showcase-tab-${tab.key}`}
        >
          {tab.label}
        </a>
      ))}
    </nav>
  );
}

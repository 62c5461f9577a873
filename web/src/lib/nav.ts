import type { Role } from './types';

/** What each role sees in its console, in menu order; each key is also the route. */
export const NAV_BY_ROLE: Record<Role, readonly string[]> = {
  operator: ['home', 'pool', 'sources', 'users', 'organisations', 'orders', 'settlement', 'payouts'],
  creator: ['home', 'pool', 'showcase', 'links', 'orders', 'earnings', 'organisation'],
  org: ['home', 'pool', 'creators', 'invitations', 'orders', 'earnings'],
  merchant: ['home', 'sources', 'products', 'orders'],
  colonel: ['home'],
};

/** The i18n key of a menu entry: a merchant's sources are its own. */
export function navLabelKey(role: Role, key: string): string {
  return role === 'merchant' && key === 'sources' ? 'nav.mySources' : `nav.${key}`;
}

/**
 * Whether a role may open a route ("pool", "showcase/stores", "sources/src_…"): its menu's
 * sections, and a creator the page of a single source (the own shop, whose feed is uploaded there;
 * the server answers only for the creator's own).
 */
export function mayOpen(role: Role, route: string): boolean {
  const [key = '', id] = route.split('/');
  if (NAV_BY_ROLE[role].includes(key)) return true;
  return role === 'creator' && key === 'sources' && Boolean(id);
}

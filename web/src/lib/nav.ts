import type { Role } from './types';

/** What each role sees in its console, in menu order; each key is also the route. */
export const NAV_BY_ROLE: Record<Role, readonly string[]> = {
  operator: ['home', 'pool', 'sources', 'users', 'organisations', 'orders', 'settlement', 'payouts'],
  creator: ['home', 'pool', 'showcase', 'links', 'orders', 'earnings', 'organisation'],
  org: ['home', 'pool', 'creators', 'invitations', 'orders', 'earnings'],
  merchant: ['home', 'sources', 'products', 'orders'],
};

/** The i18n key of a menu entry: a merchant's sources are its own. */
export function navLabelKey(role: Role, key: string): string {
  return role === 'merchant' && key === 'sources' ? 'nav.mySources' : `nav.${key}`;
}

import type { Role } from './types';

/** What each role sees in its console, in menu order; each key is also the route. */
export const NAV_BY_ROLE: Record<Role, readonly string[]> = {
  operator: ['home', 'pool', 'sources', 'plans', 'users', 'organisations', 'orders', 'settlement', 'payouts'],
  creator: ['home', 'pool', 'plans', 'showcase', 'links', 'orders', 'earnings', 'organisation'],
  org: ['home', 'pool', 'plans', 'creators', 'invitations', 'orders', 'earnings'],
  merchant: ['home', 'sources', 'products', 'plans', 'orders'],
  // A colonel's home is its activities (团长活动).
  colonel: ['home', 'earnings'],
};

/** The i18n key of a menu entry: a merchant's sources are its own; plans are asked for by creators and organisations, decided by merchants and the operator. */
export function navLabelKey(role: Role, key: string): string {
  if (role === 'merchant' && key === 'sources') return 'nav.mySources';
  if ((role === 'merchant' || role === 'operator') && key === 'plans') return 'nav.planApprovals';
  return `nav.${key}`;
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

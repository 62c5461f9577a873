import type { ReactNode } from 'react';
import type { Role } from './lib/types';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { MyOrganisationPage } from './pages/creator/MyOrganisationPage';
import { CreatorHome } from './pages/home/CreatorHome';
import { MerchantHome } from './pages/home/MerchantHome';
import { OperatorHome } from './pages/home/OperatorHome';
import { OrgHome } from './pages/home/OrgHome';
import { OrganisationsPage } from './pages/operator/OrganisationsPage';
import { UsersPage } from './pages/operator/UsersPage';
import { CreatorsPage } from './pages/org/CreatorsPage';
import { InvitationsPage } from './pages/org/InvitationsPage';
import { SourcesPage } from './pages/SourcesPage';

const HOME: Record<Role, () => ReactNode> = {
  operator: () => <OperatorHome />,
  creator: () => <CreatorHome />,
  org: () => <OrgHome />,
  merchant: () => <MerchantHome />,
};

/** Sections backed by an API today; every other menu entry is a placeholder until its issue lands. */
const PAGES: Record<string, () => ReactNode> = {
  organisation: () => <MyOrganisationPage />,
  creators: () => <CreatorsPage />,
  invitations: () => <InvitationsPage />,
  users: () => <UsersPage />,
  organisations: () => <OrganisationsPage />,
  sources: () => <SourcesPage />,
};

/** The page for a menu key the role is known to have (see NAV_BY_ROLE). */
export function pageFor(role: Role, key: string): ReactNode {
  if (key === 'home') return HOME[role]();
  const page = PAGES[key];
  return page ? page() : <ComingSoonPage section={key} />;
}

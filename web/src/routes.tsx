import type { ReactNode } from 'react';
import type { Role } from './lib/types';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { MyOrganisationPage } from './pages/creator/MyOrganisationPage';
import { EarningsPage } from './pages/earnings/EarningsPage';
import { StatementPage } from './pages/earnings/StatementPage';
import { ColonelHome } from './pages/home/ColonelHome';
import { CreatorHome } from './pages/home/CreatorHome';
import { MerchantHome } from './pages/home/MerchantHome';
import { OperatorHome } from './pages/home/OperatorHome';
import { OrderDetailPage } from './pages/orders/OrderDetailPage';
import { OrdersPage } from './pages/orders/OrdersPage';
import { OrgHome } from './pages/home/OrgHome';
import { ProductsPage } from './pages/merchant/ProductsPage';
import { OrganisationsPage } from './pages/operator/OrganisationsPage';
import { PayoutsPage } from './pages/payouts/PayoutsPage';
import { PlansPage } from './pages/plans/PlansPage';
import { UsersPage } from './pages/operator/UsersPage';
import { CreatorsPage } from './pages/org/CreatorsPage';
import { InvitationsPage } from './pages/org/InvitationsPage';
import { LinksPage } from './pages/links/LinksPage';
import { PoolPage } from './pages/pool/PoolPage';
import { ShowcasePage } from './pages/showcase/ShowcasePage';
import { StoresPage } from './pages/showcase/StoresPage';
import { SettlementPage } from './pages/settlement/SettlementPage';
import { SourceDetailPage } from './pages/sources/SourceDetailPage';
import { SourcesPage } from './pages/SourcesPage';

const HOME: Record<Role, () => ReactNode> = {
  operator: () => <OperatorHome />,
  creator: () => <CreatorHome />,
  org: () => <OrgHome />,
  merchant: () => <MerchantHome />,
  colonel: () => <ColonelHome />,
};

/** Sections backed by an API today; every other menu entry is a placeholder until its issue lands. */
const PAGES: Record<string, () => ReactNode> = {
  organisation: () => <MyOrganisationPage />,
  creators: () => <CreatorsPage />,
  invitations: () => <InvitationsPage />,
  users: () => <UsersPage />,
  organisations: () => <OrganisationsPage />,
  sources: () => <SourcesPage />,
  pool: () => <PoolPage />,
  plans: () => <PlansPage />,
  products: () => <ProductsPage />,
  showcase: () => <ShowcasePage />,
  links: () => <LinksPage />,
  orders: () => <OrdersPage />,
  earnings: () => <EarningsPage />,
  settlement: () => <SettlementPage />,
  payouts: () => <PayoutsPage />,
};

/** Pages one level down a section, e.g. sources/<id>; the section decides who may open them. */
const DETAIL_PAGES: Record<string, (id: string) => ReactNode> = {
  sources: (id) => <SourceDetailPage key={id} id={id} />,
  orders: (id) => <OrderDetailPage key={id} id={id} />,
  earnings: (id) => <StatementPage key={id} id={id} section="earnings" />,
  settlement: (id) => <StatementPage key={id} id={id} section="settlement" />,
  showcase: (tab) => (tab === 'stores' ? <StoresPage /> : <ShowcasePage />),
};

/** The page for a route ("pool", "sources/src_…") whose first segment the role is known to have (see NAV_BY_ROLE). */
export function pageFor(role: Role, route: string): ReactNode {
  const [key = '', id] = route.split('/');
  if (key === 'home') return HOME[role]();
  if (id) {
    const detail = DETAIL_PAGES[key];
    if (detail) return detail(decodeURIComponent(id));
  }
  const page = PAGES[key];
  return page ? page() : <ComingSoonPage section={key} />;
}

import { useSession } from '../../lib/session';
import { MyPlansPage } from './MyPlansPage';
import { PlanApprovalsPage } from './PlanApprovalsPage';

/** "plans": asked for by creators and organisations, decided by merchants and the operator (see NAV_BY_ROLE). */
export function PlansPage() {
  const role = useSession().me.user.role;
  return role === 'merchant' || role === 'operator' ? <PlanApprovalsPage /> : <MyPlansPage />;
}

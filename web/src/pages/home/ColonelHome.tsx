import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../components/Alerts';
import { Async } from '../../components/Async';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { Stat } from '../../components/Stat';
import { useSession } from '../../lib/session';
import type { ColonelActivity, Items } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';
import { ActivitiesTable } from '../colonel/ActivitiesTable';
import { ActivityForm } from '../colonel/ActivityForm';
import { EarningsGlance } from '../earnings/EarningsGlance';
import { ConfirmedAction, EndAction } from '../plans/StopActions';

/** 团长's home: their activities (what runs, what awaits the products' owners; 取消 a proposal, 结束 a running one) and a form to propose another. */
export function ColonelHome() {
  const { t } = useTranslation();
  const { me } = useSession();
  const activities = useLoad<Items<ColonelActivity>>('/api/colonel/activities');
  const [notice, setNotice] = useState<string>();
  // An ended activity stays `active` (orders paid while it ran keep its rate) but no longer runs.
  const count = (status: ColonelActivity['status']) => (activities.data ? String(activities.data.items.filter((a) => a.status === status && !a.ended).length) : '…');
  const actions = (activity: ColonelActivity) => {
    const path = `/api/colonel/activities/${encodeURIComponent(activity.id)}/cancel`;
    if (activity.may_cancel) return <ConfirmedAction path={path} label={t('activities.cancel')} confirmLabel={t('activities.confirmCancel')} onDone={activities.reload} testId="activity-cancel" />;
    return activity.may_end && <EndAction path={path} onEnded={activities.reload} testId="activity" />;
  };

  return (
    <>
      <PageHeader title={t('home.greeting', { name: me.user.name })} description={t('home.colonelIntro')} />
      <EarningsGlance />
      <div className="stats colonel-stats">
        <Stat label={t('home.account')} value={me.user.email} testId="home-account" />
        <Stat label={t('home.colonelRunning')} value={count('active')} testId="activities-running" />
        <Stat label={t('home.colonelAwaiting')} value={count('proposed')} testId="activities-awaiting" />
      </div>
      {notice && <Notice onDismiss={() => setNotice(undefined)}>{notice}</Notice>}
      <Panel title={t('activities.list')} testId="my-activities">
        <Async loaded={activities}>{(data) => <ActivitiesTable activities={data.items} empty={t('activities.empty')} testId="activities-table" actions={actions} />}</Async>
      </Panel>
      <Panel title={t('activities.formTitle')} testId="activity-form-panel">
        <p className="muted small">{t('activities.intro')}</p>
        <ActivityForm
          onProposed={(activity) => {
            setNotice(t('activities.proposed', { name: activity.name }));
            activities.reload();
          }}
        />
      </Panel>
    </>
  );
}

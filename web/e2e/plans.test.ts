import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../src/lib/money';
import type { ColonelActivity, EarningsSummary, Items, TargetedPlan } from '../src/lib/types';
import { todayIso } from '../src/lib/dates';
import { ARTIFACTS, DEMO, TEST_TIMEOUT, baseUrl, futureDate, newPage, pageErrors, setUpConsole, signIn } from './harness';

/**
 * Commission plans in the console, over products of a merchant shop made through the API: lin asks
 * for a higher rate from the pool (定向计划), the merchant approves it under 佣金审批, lin sees it
 * approved; a colonel (团长) signs up, proposes an activity over two of the shop's products, the
 * merchant approves it and the colonel sees it running. Then the demo's plans are stopped: the
 * merchant ends lin's approved plan, lin withdraws the one still waiting, and the demo colonel
 * cancels its proposal and ends its running activity from a later day.
 */

setUpConsole();

const TOKEN = 'plnx';
const PRODUCTS = [
  { id: 'e2e-plan-1', title: `${TOKEN.toUpperCase()} 羊绒围巾`, price: '299.00' },
  { id: 'e2e-plan-2', title: `${TOKEN.toUpperCase()} 真皮手套`, price: '159.00' },
  { id: 'e2e-plan-3', title: `${TOKEN.toUpperCase()} 加厚毛线帽`, price: '69.90' },
];
const LIN = '林小鱼';
/** The demo's plans (src/modules/demo/plans.ts), by their notes and names. */
const DEMO_APPROVED_NOTE = '直播间专场，预计单场 300 单';
const DEMO_REQUESTED_NOTE = '双十二短视频种草';
const DEMO_RUNNING = '年货节 · 数码家电专场';
const DEMO_PROPOSED = '双十二 · 好物优选狂欢周';

let shopMade = false;

describe('targeted plans and colonel activities', () => {
  it(
    'lets lin ask for a higher rate from the pool, the merchant approve it, and lin see it approved',
    async () => {
      await merchantShop();
      const creator = await newPage();
      await signIn(creator, DEMO.creator);
      const card = await poolCard(creator, PRODUCTS[0]!.title);
      expect(await card.getAttribute('data-rate')).toBe('1000');

      // The dialog refuses a rate not above the open one, then sends 25.5% as 2550 basis points.
      await card.getByTestId('ask-rate').click();
      const dialog = card.getByTestId('ask-rate-dialog');
      await dialog.getByTestId('ask-rate-percent').fill('8');
      await dialog.getByTestId('ask-rate-submit').click();
      expect(await dialog.locator('.field-error').innerText()).toContain('10.00%');
      await dialog.getByTestId('ask-rate-percent').fill('25.5');
      await dialog.getByTestId('ask-rate-ends').fill(futureDate(40));
      await dialog.getByTestId('ask-rate-note').fill('E2E 直播专场');
      await creator.screenshot({ path: join(ARTIFACTS, 'plans-ask-creator.png') });
      await dialog.getByTestId('ask-rate-submit').click();
      await creator.getByTestId('toast').filter({ hasText: PRODUCTS[0]!.title }).waitFor();
      expect(await card.getByTestId('ask-rate').getAttribute('data-state')).toBe('asked');
      const sent = await onlyPlan(creator, PRODUCTS[0]!.title);
      expect(sent).toMatchObject({ rate_bps: 2550, status: 'requested', ends_on: futureDate(40), note: 'E2E 直播专场' });

      // 定向计划: the request, awaiting the merchant.
      await creator.locator('[data-nav="plans"]').click();
      const mine = creator.getByTestId('my-plans').locator('tbody tr').filter({ hasText: PRODUCTS[0]!.title });
      await mine.waitFor();
      expect(await mine.getByTestId('plan-rate').innerText()).toBe('25.50%');
      expect(await mine.getByTestId('plan-status').innerText()).toBe('待审核');
      expect(await mine.innerText()).toContain('E2E 直播专场');
      expect(await mine.innerText()).toContain(futureDate(40));

      // 佣金审批: the merchant sees who asked and approves.
      const merchant = await newPage();
      await signIn(merchant, DEMO.merchant);
      await merchant.locator('[data-nav="plans"]').click();
      const request = merchant.getByTestId('plan-requests').locator('tbody tr').filter({ hasText: PRODUCTS[0]!.title });
      await request.waitFor();
      expect(await request.getByTestId('plan-target').innerText()).toBe(LIN);
      expect(await request.getByTestId('plan-status').innerText()).toBe('待审核');
      await request.getByTestId('plan-approve').click();
      await expect.poll(() => request.getByTestId('plan-status').innerText()).toBe('已通过');
      expect(await request.getByTestId('plan-approve').count()).toBe(0);
      await merchant.screenshot({ path: join(ARTIFACTS, 'plans-approvals-merchant.png'), fullPage: true });

      // lin sees it approved.
      await creator.reload();
      await expect.poll(() => mine.getByTestId('plan-status').innerText()).toBe('已通过');
      expect((await onlyPlan(creator, PRODUCTS[0]!.title)).status).toBe('approved');
      await creator.screenshot({ path: join(ARTIFACTS, 'plans-creator.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT * 2,
  );

  it(
    'lets a colonel sign up, propose an activity over two products picked from the pool, and see it running once the merchant approves',
    async () => {
      await merchantShop();
      const email = `tuan-${Date.now()}@e2e.vitrine.dev`;
      const colonel = await newPage();
      await colonel.goto(`${baseUrl()}/#/signup`);
      await colonel.getByTestId('signup-role-colonel').click();
      expect(await colonel.getByTestId('signup-org-name').count()).toBe(0);
      expect(await colonel.getByTestId('signup-handle').count()).toBe(0);
      await colonel.getByTestId('signup-name').fill('E2E 孙团长');
      await colonel.getByTestId('signup-email').fill(email);
      await colonel.getByTestId('signup-password').fill('password-e2e');
      await colonel.getByTestId('signup-submit').click();
      await colonel.getByTestId('nav').waitFor();
      await expect.poll(() => colonel.getByTestId('user-role').getAttribute('data-role')).toBe('colonel');
      await colonel.getByTestId('activities-table-empty').waitFor();

      // The proposal: two of the shop's products found by searching the pool and ticked.
      const form = colonel.getByTestId('activity-form');
      await form.getByTestId('activity-name-input').fill('E2E 冬季保暖专场');
      await form.getByTestId('activity-rate').fill('20');
      await form.getByTestId('activity-share').fill('12.5');
      await form.getByTestId('activity-ends').fill(futureDate(30));
      await form.getByTestId('picker-search').fill(TOKEN);
      await form.getByTestId('picker-search').press('Enter');
      const results = form.getByTestId('picker-result');
      await expect.poll(() => results.count()).toBe(PRODUCTS.length);
      for (const product of PRODUCTS.slice(0, 2)) await results.filter({ hasText: product.title }).getByTestId('picker-tick').check();
      expect(await form.getByTestId('picked-products').getAttribute('data-count')).toBe('2');
      await colonel.screenshot({ path: join(ARTIFACTS, 'colonel-propose.png'), fullPage: true });
      await form.getByTestId('activity-submit').click();
      await colonel.getByTestId('notice').waitFor();

      const row = colonel.getByTestId('activities-table').locator('tbody tr').filter({ hasText: 'E2E 冬季保暖专场' });
      await row.waitFor();
      expect(await row.getByTestId('activity-rate').innerText()).toBe('20.00%');
      expect(await row.getByTestId('activity-share').innerText()).toBe('12.50%');
      expect(await row.getByTestId('activity-status').innerText()).toBe('待审核');
      expect(await row.getByTestId('activity-products').getAttribute('data-count')).toBe('2');
      for (const product of PRODUCTS.slice(0, 2)) expect(await row.getByTestId('activity-products').innerText()).toContain(product.title);
      expect(await row.innerText()).toContain(futureDate(30));
      const proposed = await onlyActivity(colonel, 'E2E 冬季保暖专场');
      expect(proposed).toMatchObject({ rate_bps: 2000, share_bps: 1250, status: 'proposed' });

      // The merchant owns both products: it approves under 佣金审批.
      const merchant = await newPage();
      await signIn(merchant, DEMO.merchant);
      await merchant.locator('[data-nav="plans"]').click();
      const request = merchant.getByTestId('activity-requests-table').locator('tbody tr').filter({ hasText: 'E2E 冬季保暖专场' });
      await request.waitFor();
      expect(await request.innerText()).toContain('E2E 孙团长');
      await request.getByTestId('activity-approve').click();
      await expect.poll(() => request.getByTestId('activity-status').innerText()).toBe('进行中');

      // The colonel sees it running.
      await colonel.reload();
      await expect.poll(() => row.getByTestId('activity-status').innerText()).toBe('进行中');
      expect(await colonel.getByTestId('activities-running').innerText()).toBe('1');
      expect((await onlyActivity(colonel, 'E2E 冬季保暖专场')).status).toBe('active');
      await colonel.screenshot({ path: join(ARTIFACTS, 'colonel-home.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT * 2,
  );

  it(
    'lets the merchant end lin’s approved plan and lin see it ended with the date, lin withdraw a request, and a colonel cancel a proposal and end a running activity',
    async () => {
      // 佣金审批: the merchant ends lin's approved plan now (no date).
      const merchant = await newPage();
      await signIn(merchant, DEMO.merchant);
      await merchant.locator('[data-nav="plans"]').click();
      const approved = merchant.getByTestId('plan-requests').locator('tbody tr').filter({ hasText: DEMO_APPROVED_NOTE });
      await approved.waitFor();
      expect(await approved.getByTestId('plan-status').innerText()).toBe('已通过');
      await approved.getByTestId('plan-end').click();
      await approved.getByTestId('plan-end-form').waitFor();
      await merchant.screenshot({ path: join(ARTIFACTS, 'plans-end-merchant.png'), fullPage: true });
      await approved.getByTestId('plan-end-confirm').click();
      await expect.poll(() => approved.getByTestId('plan-status').innerText()).toBe('已结束');
      expect(await approved.getByTestId('plan-ends').innerText()).toContain(todayIso());
      expect(await approved.getByTestId('plan-end').count()).toBe(0);

      // lin sees it ended, with the day, and withdraws the request still awaiting the merchant.
      const creator = await newPage();
      await signIn(creator, DEMO.creator);
      await creator.locator('[data-nav="plans"]').click();
      const ended = creator.getByTestId('my-plans').locator('tbody tr').filter({ hasText: DEMO_APPROVED_NOTE });
      await ended.waitFor();
      expect(await ended.getByTestId('plan-status').innerText()).toBe('已结束');
      expect(await ended.getByTestId('plan-ends').innerText()).toBe(`${todayIso()} 已结束`);
      expect(await planByNote(creator, DEMO_APPROVED_NOTE)).toMatchObject({ status: 'approved', ended: true, ends_on: todayIso() });
      const waiting = creator.getByTestId('my-plans').locator('tbody tr').filter({ hasText: DEMO_REQUESTED_NOTE });
      expect(await ended.getByTestId('plan-withdraw').count()).toBe(0);
      await waiting.getByTestId('plan-withdraw').click();
      await waiting.getByTestId('plan-withdraw-confirm').click();
      await expect.poll(() => waiting.getByTestId('plan-status').innerText()).toBe('已撤回');
      expect((await planByNote(creator, DEMO_REQUESTED_NOTE)).status).toBe('withdrawn');
      await creator.screenshot({ path: join(ARTIFACTS, 'plans-ended-creator.png'), fullPage: true });

      // The colonel cancels its proposal and ends its running activity from a later day.
      const colonel = await newPage();
      await signIn(colonel, DEMO.colonel);
      // Its home opens on its earnings: the demo's activity of last month earned it some, part settled.
      const summary = (await (await colonel.request.get(`${baseUrl()}/api/earnings/summary`)).json()) as EarningsSummary;
      expect(summary.settled).toBeGreaterThan(0);
      await expect.poll(() => colonel.getByTestId('home-available').innerText()).toBe(formatMoney(summary.available));
      expect(await colonel.getByTestId('home-earnings').getByRole('link', { name: /查看订单/ }).count()).toBe(0);
      const table = colonel.getByTestId('activities-table');
      const proposal = table.locator('tbody tr').filter({ hasText: DEMO_PROPOSED });
      await proposal.waitFor();
      expect(await colonel.getByTestId('activities-awaiting').innerText()).toBe('1');
      await proposal.getByTestId('activity-cancel').click();
      await proposal.getByTestId('activity-cancel-confirm').click();
      await expect.poll(() => proposal.getByTestId('activity-status').innerText()).toBe('已取消');
      expect(await colonel.getByTestId('activities-awaiting').innerText()).toBe('0');
      expect((await onlyActivity(colonel, DEMO_PROPOSED)).status).toBe('cancelled');

      const running = table.locator('tbody tr').filter({ hasText: DEMO_RUNNING });
      expect(await proposal.getByTestId('activity-end').count()).toBe(0);
      await running.getByTestId('activity-end').click();
      await running.getByTestId('activity-end-date').fill(futureDate(3));
      await running.getByTestId('activity-end-confirm').click();
      await expect.poll(() => running.getByTestId('plan-ends').innerText()).toContain(futureDate(3));
      expect(await running.getByTestId('activity-status').innerText()).toBe('进行中');
      expect(await onlyActivity(colonel, DEMO_RUNNING)).toMatchObject({ status: 'active', ends_on: futureDate(3), ended: false });
      await colonel.screenshot({ path: join(ARTIFACTS, 'colonel-stopped.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT * 2,
  );
});

/** A merchant source of the demo merchant with the test's products at a 10% open rate, made once per file through the API. */
async function merchantShop(): Promise<void> {
  if (shopMade) return;
  const merchant = await newPage();
  await signIn(merchant, DEMO.merchant);
  const created = await merchant.request.post(`${baseUrl()}/api/sources`, { data: { kind: 'merchant', name: `E2E 冬季小店 ${Date.now()}` } });
  expect(created.status()).toBe(201);
  const source = (await created.json()) as { id: string };
  const csv = ['id,title,price,commission_rate,url', ...PRODUCTS.map((p) => `${p.id},${p.title},${p.price},10%,https://shop.example.invalid/${p.id}`)].join('\n');
  const imported = await merchant.request.post(`${baseUrl()}/api/sources/${source.id}/imports?format=csv&mode=full`, {
    headers: { 'content-type': 'application/octet-stream' },
    data: Buffer.from(`${csv}\n`),
  });
  expect(((await imported.json()) as { imported: number }).imported).toBe(PRODUCTS.length);
  await merchant.close();
  shopMade = true;
}

/** The pool searched for `title`'s word, once its card is there. */
async function poolCard(page: Page, title: string) {
  await page.goto(`${baseUrl()}/#/pool?q=${TOKEN}`);
  const card = page.getByTestId('pool-card').filter({ has: page.getByTestId('pool-card-title').getByText(title, { exact: true }) });
  await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
  return card;
}

async function onlyPlan(page: Page, title: string): Promise<TargetedPlan> {
  const { items } = (await (await page.request.get(`${baseUrl()}/api/plans/targeted`)).json()) as Items<TargetedPlan>;
  const found = items.filter((plan) => plan.product_title === title);
  expect(found).toHaveLength(1);
  return found[0]!;
}

async function planByNote(page: Page, note: string): Promise<TargetedPlan> {
  const { items } = (await (await page.request.get(`${baseUrl()}/api/plans/targeted`)).json()) as Items<TargetedPlan>;
  const found = items.filter((plan) => plan.note === note);
  expect(found).toHaveLength(1);
  return found[0]!;
}

async function onlyActivity(page: Page, name: string): Promise<ColonelActivity> {
  const { items } = (await (await page.request.get(`${baseUrl()}/api/colonel/activities`)).json()) as Items<ColonelActivity>;
  const found = items.filter((activity) => activity.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

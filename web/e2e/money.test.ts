import { join } from 'node:path';
import type { APIRequestContext, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../src/lib/money';
import type { DailySales, EarningsSummary, Order } from '../src/lib/types';
import { ARTIFACTS, DEMO, TEST_TIMEOUT, baseUrl, futureDate, newPage, pageErrors, setUpConsole, signIn, withServerDatabase } from './harness';

/**
 * Orders and money in the console, over a merchant source made through the API: its signed order
 * webhook (Standard Webhooks, as a real source sends it) brings an order paid through lin's tracked
 * link; lin sees it and the commission; the operator settles; lin withdraws; the operator pays the
 * withdrawal out in a batch. And an order without a click, attributed by hand by the operator.
 */

setUpConsole();

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40';
const PRODUCT = { id: 'e2e-money-1', title: 'E2E 真丝睡衣套装', price: '599.00' };
const WANG = { email: 'wang@demo.vitrine.dev', name: '王一' };

interface ProductRow {
  source: { id: string };
  source_product_id: string;
  product: { title: string } | null;
  orders: number;
  paid_amount: number;
  share: number;
}

interface Shop {
  sourceId: string;
  secret: string;
}

let shop: Shop | undefined;
let deliveries = 0;

describe('orders and money', () => {
  it(
    'shows lin the order and her commission, settles it, and pays out her withdrawal through a batch',
    async () => {
      const { sourceId } = await merchantShop();
      const creator = await newPage();
      await signIn(creator, DEMO.creator);
      // The demo gives lin orders, a settlement and withdrawals of her own: figures are checked against what was there.
      const before = await summaryOf(creator.request);
      const chartBefore = await dailyTotalOf(creator.request);
      const todayBefore = await todayOf(creator.request);
      const merchant = await newPage();
      await signIn(merchant, DEMO.merchant);
      const salesBefore = (await salesOf(merchant.request, 1))[0]!;
      const clickId = await clickThroughShowcase(creator.request, sourceId);
      const orderId = `E2E-PAID-${Date.now()}`;
      await deliver(orderId, 'paid', { clickId });

      // 订单: the order with its product, source, amount and lin's commission, estimated, by click.
      await creator.goto(`${baseUrl()}/#/orders`);
      const row = creator.getByTestId('orders-table').locator('tbody tr').filter({ hasText: orderId });
      await row.waitFor();
      const order = await only<Order>(creator.request, `/api/orders?limit=100`, (o) => o.source_order_id === orderId);
      expect(order.commission).toBeGreaterThan(0);
      expect(order.commission).toBeLessThan(59_900);
      const commission = formatMoney(order.commission);
      expect(await row.getByTestId('order-link').innerText()).toContain(PRODUCT.title);
      expect(await row.getByTestId('order-paid').innerText()).toBe('¥599.00');
      expect(await row.getByTestId('order-commission').innerText()).toBe(commission);
      expect(await row.getByTestId('commission-status').innerText()).toBe('预估');
      expect(await row.getByTestId('order-attribution').getAttribute('data-attribution')).toBe('click');
      // Her list starts at payment, so it offers no filter for orders not paid yet.
      expect(await creator.getByTestId('orders-status').locator('option[value="created"]').count()).toBe(0);
      await creator.screenshot({ path: join(ARTIFACTS, 'orders-creator.png'), fullPage: true });
      // Found by its platform order number: that order alone; a number she has no order under finds none.
      await creator.getByTestId('orders-number').fill(orderId);
      await creator.getByTestId('orders-number-go').click();
      const rows = creator.getByTestId('orders-table').locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().innerText()).toContain(orderId);
      expect(await creator.getByTestId('orders-more').count()).toBe(0);
      await creator.getByTestId('orders-number').fill('E2E-NO-SUCH-ORDER');
      await creator.getByTestId('orders-number').press('Enter');
      await expect.poll(() => creator.getByTestId('orders-table-empty').innerText()).toContain('没有订单号为 E2E-NO-SUCH-ORDER 的订单');
      await creator.getByTestId('orders-number').fill('');
      await expect.poll(() => rows.count()).toBeGreaterThan(1);

      // Her organisation sees the same order with its own share of the commission.
      const org = await newPage();
      await signIn(org, DEMO.org);
      await org.goto(`${baseUrl()}/#/orders`);
      const orgRow = org.getByTestId('orders-table').locator('tbody tr').filter({ hasText: orderId });
      await orgRow.waitFor();
      const orgShare = await only<Order>(org.request, `/api/orders?limit=100`, (o) => o.source_order_id === orderId);
      expect(orgShare.commission).toBeGreaterThan(0);
      expect(orgShare.commission).toBeLessThan(order.commission);
      expect(await orgRow.getByTestId('order-commission').innerText()).toBe(formatMoney(orgShare.commission));
      expect(await orgRow.innerText()).toContain('林小鱼');
      // 旗下达人: lin's last 30 days, this order's share included, as the API sums them.
      await org.locator('[data-nav="creators"]').click();
      const performance = org.getByTestId('creator-performance-table').locator('tbody tr').filter({ hasText: '林小鱼' });
      await performance.waitFor();
      const { items } = (await (await org.request.get(`${baseUrl()}/api/earnings/by-creator?days=30`)).json()) as { items: { creator: { name: string }; share: number }[] };
      const linShare = items.find((i) => i.creator.name === '林小鱼')!.share;
      expect(linShare).toBeGreaterThanOrEqual(orgShare.commission);
      expect(await performance.getByTestId('performance-share').innerText()).toBe(formatMoney(linShare));

      // 首页: today's commission and lines count it at once.
      await creator.locator('[data-nav="home"]').click();
      await expect.poll(() => creator.getByTestId('home-earnings-today').innerText()).toBe(formatMoney(todayBefore.amount + order.commission));
      expect(await creator.getByTestId('home-earnings').innerText()).toContain(`今日预估佣金（${todayBefore.lines + 1} 笔）`);
      expect(await creator.getByTestId('home-available').innerText()).toBe(formatMoney(before.available));

      // The merchant's home: today's sales count the order at once, and the week's commission the
      // whole of the order's commission (the merchant pays it all: the creator's share and the rest).
      const merchantView = await only<Order>(merchant.request, `/api/orders?limit=100`, (o) => o.source_order_id === orderId);
      expect(merchantView.commission).toBeGreaterThan(order.commission);
      const salesAfter = (await salesOf(merchant.request, 1))[0]!;
      expect(salesAfter).toMatchObject({ orders: salesBefore.orders + 1, net_amount: salesBefore.net_amount + 59_900, commission: salesBefore.commission + merchantView.commission });
      await merchant.reload(); // its home was open since it signed in, before the order came
      await expect.poll(() => merchant.getByTestId('home-sales-today').innerText()).toBe(formatMoney(salesAfter.net_amount));
      expect(await merchant.getByTestId('home-sales').innerText()).toContain(`今日成交（${salesAfter.orders} 单）`);
      const week = await salesOf(merchant.request, 7);
      expect(await merchant.getByTestId('home-commission-week').innerText()).toBe(formatMoney(week.reduce((sum, d) => sum + d.commission, 0)));
      const month = await salesOf(merchant.request, 30);
      expect(Number(await merchant.getByTestId('home-sales-total').getAttribute('data-total'))).toBe(month.reduce((sum, d) => sum + d.net_amount, 0));
      expect(await merchant.getByTestId('home-sales-chart').locator('[data-key]').count()).toBe(30);
      await merchant.screenshot({ path: join(ARTIFACTS, 'home-merchant.png'), fullPage: true });

      // 收益: the commission is added to the estimated figure only; the chart holds it.
      await creator.locator('[data-nav="earnings"]').click();
      await expect.poll(() => figure(creator, 'estimated')).toBe(formatMoney(before.estimated + order.commission));
      expect(await figure(creator, 'settled')).toBe(formatMoney(before.settled));
      expect(await figure(creator, 'available')).toBe(formatMoney(before.available));
      expect(Number(await creator.getByTestId('earnings-chart-total').getAttribute('data-total'))).toBe(chartBefore + order.commission);
      expect(await creator.getByTestId('earnings-chart').locator('rect.bar-chart-bar').count()).toBe(30);
      // 商品效果: the test's own shop's product, with lin's commission on this order alone; the table
      // lists the products that earned her most, the API's first one first.
      const sold = await only<ProductRow>(creator.request, '/api/earnings/by-product?days=30&limit=200', (p) => p.source.id === sourceId);
      expect(sold).toMatchObject({ source_product_id: PRODUCT.id, product: { title: PRODUCT.title }, orders: 1, paid_amount: 59_900, share: order.commission });
      const top = ((await (await creator.request.get(`${baseUrl()}/api/earnings/by-product?days=30&limit=20`)).json()) as { items: ProductRow[] }).items;
      const products = creator.getByTestId('product-performance-table');
      await expect.poll(() => products.getByTestId('product-performance-share').count()).toBe(top.length);
      expect(await products.getByTestId('product-performance-share').first().innerText()).toBe(formatMoney(top[0]!.share));

      // The order completes; the operator settles as of a day past the return window.
      await deliver(orderId, 'completed');
      const operator = await newPage();
      await signIn(operator, DEMO.operator);
      await operator.locator('[data-nav="settlement"]').click();
      // Today's date asks nothing; a later one is allowed, with a warning of what it settles early.
      await operator.getByTestId('settle-as-of').fill(futureDate(0));
      expect(await operator.getByTestId('settle-future').count()).toBe(0);
      await operator.getByTestId('settle-as-of').fill(futureDate(9));
      expect(await operator.getByTestId('settle-future').innerText()).toContain(futureDate(9));
      // The server answers 202 once the run is recorded and settles it in the background; the page
      // follows the run at its own address. Those reads are held back on their way to the page, as
      // a long run's "still going" would be: meanwhile the new run is in the table, the button busy.
      const runRows = operator.getByTestId('settlement-runs').locator('tbody tr');
      await runRows.first().waitFor();
      const runsBefore = await runRows.count();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      await operator.route('**/api/settlements/*', async (route) => {
        const response = await route.fetch();
        await released;
        await route.fulfill({ response });
      });
      const posted = operator.waitForResponse((response) => response.url().endsWith('/api/settlements') && response.request().method() === 'POST');
      await operator.getByTestId('settle-submit').click();
      expect((await posted).status()).toBe(202);
      await expect.poll(() => runRows.count(), { timeout: 10_000 }).toBe(runsBefore + 1);
      // The run settles ahead of today, and its row says so; the demo's past run does not.
      expect(await runRows.first().getByTestId('settlement-ahead').innerText()).toBe('提前结算');
      expect(await runRows.nth(1).getByTestId('settlement-ahead').count()).toBe(0);
      expect(await operator.getByTestId('settle-submit').isDisabled()).toBe(true);
      await operator.getByTestId('settle-following').waitFor();
      expect(await operator.getByTestId('settle-result').count()).toBe(0);
      release();
      const result = operator.getByTestId('settle-result');
      await result.waitFor();
      await operator.unroute('**/api/settlements/*');
      expect(Number(await result.getAttribute('data-lines'))).toBeGreaterThanOrEqual(1);
      const runStatement = operator.getByTestId('run-statements').locator('tbody tr').filter({ hasText: '林小鱼' });
      await runStatement.waitFor();
      const net = await runStatement.getByTestId('statement-net').innerText();
      await operator.screenshot({ path: join(ARTIFACTS, 'settlement-operator.png'), fullPage: true });
      // The operator opens lin's statement of the run under 结算: the same net, her orders' lines.
      await runStatement.getByTestId('statement-open').click();
      await operator.getByTestId('statement-lines').locator('tbody tr').filter({ hasText: orderId }).waitFor();
      expect(operator.url()).toContain('#/settlement/');
      expect(await operator.getByTestId('statement-detail-net').innerText()).toBe(net);

      // lin: the order's commission settled, her figures as the server has them, the run's statement with a CSV that lists the order.
      await creator.goto(`${baseUrl()}/#/orders`);
      await expect.poll(() => row.getByTestId('commission-status').innerText()).toBe('已结算');
      await creator.locator('[data-nav="earnings"]').click();
      const settledSummary = await summaryOf(creator.request);
      expect(settledSummary.settled).toBeGreaterThanOrEqual(order.commission);
      await expect.poll(() => figure(creator, 'settled')).toBe(formatMoney(settledSummary.settled));
      expect(await figure(creator, 'available')).toBe(formatMoney(settledSummary.available));
      const statement = creator.getByTestId('statements-table').locator('tbody tr').filter({ hasText: futureDate(9) });
      expect(await statement.getByTestId('statement-net').innerText()).toBe(net);
      const csv = await creator.request.get(`${baseUrl()}${await statement.getByTestId('statement-csv').getAttribute('href')}`);
      expect(csv.headers()['content-type']).toContain('text/csv');
      expect(await csv.text()).toContain(orderId);
      // Its page: the order among the lines it settled, with lin's share.
      const statementPage = (await statement.getByTestId('statement-open').getAttribute('href'))!;
      await statement.getByTestId('statement-open').click();
      const settledLine = creator.getByTestId('statement-lines').locator('tbody tr').filter({ hasText: orderId });
      await settledLine.waitFor();
      expect(await settledLine.getByTestId('statement-line-share').innerText()).toBe(commission);
      expect(await settledLine.getByTestId('statement-line-changed').count()).toBe(0);
      expect(await creator.getByTestId('statement-detail-net').innerText()).toBe(net);
      await creator.screenshot({ path: join(ARTIFACTS, 'statement-creator.png'), fullPage: true });
      await creator.getByTestId('statement-back').click();
      await creator.getByTestId('withdraw-panel').waitFor();

      // Withdrawing: the server's refusals in words, then ¥20.00 asked for.
      await withdraw(creator, '1');
      expect(await creator.getByTestId('withdraw-panel').getByTestId('error').innerText()).toContain('低于最低提现金额 ¥10.00');
      await withdraw(creator, '99999');
      expect(await creator.getByTestId('withdraw-panel').getByTestId('error').innerText()).toContain('可提现余额不足');
      await withdraw(creator, '20');
      await creator.getByTestId('withdraw-panel').getByTestId('notice').waitFor();
      const withdrawal = creator.getByTestId('withdrawals-table').locator('tbody tr').filter({ hasText: '林小鱼的支付宝' });
      await expect.poll(() => withdrawal.getByTestId('withdrawal-status').innerText()).toBe('待打款');
      await expect.poll(() => figure(creator, 'available')).toBe(formatMoney(settledSummary.available - 2000));

      // 打款: the operator batches the waiting withdrawals, downloads the CSV and marks lin's line paid.
      await operator.locator('[data-nav="payouts"]').click();
      const waiting = operator.getByTestId('waiting-withdrawals').locator('tbody tr').filter({ hasText: '林小鱼的支付宝' });
      await waiting.waitFor();
      expect(await waiting.getByTestId('withdrawal-amount').innerText()).toBe('¥20.00');
      await operator.getByTestId('batch-create').click();
      const line = operator.getByTestId('batch-lines').locator('tbody tr').filter({ hasText: '林小鱼的支付宝' });
      await line.waitFor();
      expect(await line.getByTestId('withdrawal-status').innerText()).toBe('打款中');
      // The CSV of the batch just made, from its row once the list has it (the list reloads beside the lines).
      const chosenBatch = operator.getByTestId('payout-batches').locator('tbody tr').filter({ has: operator.locator('[data-testid="batch-open"][aria-pressed="true"]') });
      const batchCsv = await operator.request.get(`${baseUrl()}${await chosenBatch.getByTestId('batch-csv').getAttribute('href')}`);
      expect(await batchCsv.text()).toContain('lin@alipay.example,20.00,CNY');
      await line.getByTestId('payout-paid').click();
      await expect.poll(() => line.getByTestId('withdrawal-status').innerText()).toBe('已打款');
      await operator.getByTestId('waiting-withdrawals-empty').waitFor();
      const batch = operator.getByTestId('payout-batches').locator('tbody tr').first();
      await expect.poll(async () => Number(await batch.getByTestId('batch-paid').innerText())).toBeGreaterThanOrEqual(1);
      // The bank's result file for the batch: lin's line again (already paid: unchanged) and a line
      // that is not the batch's, reported by its row.
      const linReference = (await batchCsv.text()).split('\r\n').find((csvLine) => csvLine.includes('lin@alipay.example'))!.split(',')[0]!;
      await operator.getByTestId('payout-results-file').setInputFiles({ name: 'bank-result.csv', mimeType: 'text/csv', buffer: Buffer.from(`reference,outcome,reason\n${linReference},成功,\nwd_not_ours,paid,\n`) });
      await operator.getByTestId('payout-results-submit').click();
      await operator.getByTestId('payout-results').waitFor();
      expect(await operator.getByTestId('payout-results-unchanged').locator('dd').innerText()).toBe('1');
      expect(await operator.getByTestId('payout-results-paid').locator('dd').innerText()).toBe('0');
      expect(await operator.getByTestId('payout-results-rejected-rows').locator('tbody tr').innerText()).toContain('wd_not_ours');
      expect(await line.getByTestId('withdrawal-status').innerText()).toBe('已打款');
      await operator.screenshot({ path: join(ARTIFACTS, 'payouts-operator.png'), fullPage: true });

      // lin sees it paid out.
      await creator.reload();
      await expect.poll(() => figure(creator, 'paid_out')).toBe(formatMoney(settledSummary.paid_out + 2000));
      expect(await figure(creator, 'available')).toBe(formatMoney(settledSummary.available - 2000));
      expect(await withdrawal.getByTestId('withdrawal-status').innerText()).toBe('已打款');
      expect(await summaryOf(creator.request)).toMatchObject({ paid_out: settledSummary.paid_out + 2000, available: settledSummary.available - 2000 });
      await creator.evaluate(() => window.scrollTo(0, 0));
      await creator.screenshot({ path: join(ARTIFACTS, 'earnings-creator.png'), fullPage: true });

      // The shopper returns it after settlement: lin's share is clawed back from what was settled.
      await deliver(orderId, 'refunded', { clickId });
      await creator.reload();
      await expect.poll(() => figure(creator, 'settled')).toBe(formatMoney(settledSummary.settled - order.commission));
      expect(await figure(creator, 'available')).toBe(formatMoney(settledSummary.available - 2000 - order.commission));
      // The statement still shows the line as it was settled, marked as changed since.
      await creator.goto(`${baseUrl()}/${statementPage}`);
      const changedLine = creator.getByTestId('statement-lines').locator('tbody tr').filter({ hasText: orderId });
      await changedLine.getByTestId('statement-line-changed').waitFor();
      expect(await changedLine.getByTestId('statement-line-share').innerText()).toBe(commission);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT * 3,
  );

  it(
    'shows the operator why a settlement run stopped, in its notice and in the runs, and running it again resumes it',
    async () => {
      const { sourceId } = await merchantShop();
      const creator = await newPage();
      await signIn(creator, DEMO.creator);
      const orderId = `E2E-STOP-${Date.now()}`;
      await deliver(orderId, 'paid', { clickId: await clickThroughShowcase(creator.request, sourceId) });
      await deliver(orderId, 'completed');
      // The database refuses to settle any line, as a full disk or a broken constraint would.
      await withServerDatabase((database) =>
        database.exec("create trigger e2e_refuse_settling before update of status on commissions when new.status = 'settled' begin select raise(abort, 'e2e: settling refused'); end"),
      );
      const operator = await newPage();
      await signIn(operator, DEMO.operator);
      await operator.locator('[data-nav="settlement"]').click();
      // Today's date asks nothing; a later one is allowed, with a warning of what it settles early.
      await operator.getByTestId('settle-as-of').fill(futureDate(0));
      expect(await operator.getByTestId('settle-future').count()).toBe(0);
      await operator.getByTestId('settle-as-of').fill(futureDate(9));
      expect(await operator.getByTestId('settle-future').innerText()).toContain(futureDate(9));
      await operator.getByTestId('settle-submit').click();
      const stopped = operator.getByTestId('settle-stopped');
      await stopped.waitFor();
      expect(await stopped.innerText()).toContain('e2e: settling refused');
      expect(await stopped.innerText()).toContain('再次点击“立即结算”即可从停下处继续');
      const newest = operator.getByTestId('settlement-runs').locator('tbody tr').first();
      await expect.poll(() => newest.getByTestId('settlement-stopped').count()).toBe(1);
      expect(await newest.getByTestId('settlement-stopped').innerText()).toBe('已停止');
      expect(await operator.getByTestId('settle-submit').isDisabled()).toBe(false);
      await operator.screenshot({ path: join(ARTIFACTS, 'settlement-stopped.png'), fullPage: false });
      // 首页 says so too, and leads back to the run.
      await operator.locator('[data-nav="home"]').click();
      await operator.getByTestId('home-operator-tasks').getByRole('link', { name: /结算已停止，查看原因并继续/ }).click();
      await operator.getByTestId('settle-submit').waitFor();

      // The cause is gone; the same run is resumed and settles lin's line.
      await withServerDatabase((database) => database.exec('drop trigger e2e_refuse_settling'));
      await operator.getByTestId('settle-submit').click();
      const result = operator.getByTestId('settle-result');
      await result.waitFor();
      expect(await result.innerText()).toContain('已续跑上一次未完成的结算');
      expect(Number(await result.getAttribute('data-lines'))).toBeGreaterThanOrEqual(1);
      expect(await operator.getByTestId('settle-stopped').count()).toBe(0);
      await expect.poll(() => newest.getByTestId('settlement-stopped').count()).toBe(0);
      expect(await newest.innerText()).toContain('已完成');
      await creator.goto(`${baseUrl()}/#/orders`);
      const row = creator.getByTestId('orders-table').locator('tbody tr').filter({ hasText: orderId });
      await expect.poll(() => row.getByTestId('commission-status').innerText()).toBe('已结算');
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'shows a run its server left behind as interrupted, with the button free, and running again resumes it',
    async () => {
      // What a server killed mid-run leaves: the run running, its last batch ten minutes ago.
      const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString();
      await withServerDatabase((database) =>
        database
          .prepare("insert into settlement_runs (id, as_of, status, started_by, started_at, finished_at, lines, batches, summary, error, heartbeat_at) values ('settlement_e2e_left', ?, 'running', null, ?, null, 0, 0, null, null, ?)")
          .run(tenMinutesAgo, tenMinutesAgo, tenMinutesAgo),
      );
      const operator = await newPage();
      await signIn(operator, DEMO.operator);
      await operator.locator('[data-nav="settlement"]').click();
      const left = operator.getByTestId('settlement-runs').locator('tbody tr').filter({ has: operator.getByTestId('settlement-abandoned') });
      await left.waitFor();
      expect(await left.getByTestId('settlement-abandoned').innerText()).toBe('已中断');
      // Not taken for a run going: the button is free, and nothing is followed.
      expect(await operator.getByTestId('settle-submit').isDisabled()).toBe(false);
      expect(await operator.getByTestId('settle-following').count()).toBe(0);
      await operator.getByTestId('settle-submit').click();
      const result = operator.getByTestId('settle-result');
      await result.waitFor();
      expect(await result.innerText()).toContain('已续跑上一次未完成的结算');
      await expect.poll(() => operator.getByTestId('settlement-abandoned').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    "shows the organisation a statement of its creators' orders, each line with whose it was, adding up to what it settled",
    async () => {
      const org = await newPage();
      await signIn(org, DEMO.org);
      await org.locator('[data-nav="earnings"]').click();
      await org.getByTestId('statements-table').locator('tbody tr').first().getByTestId('statement-open').click();
      await org.getByTestId('statement-lines').locator('tbody tr').first().waitFor();
      expect(await org.getByTestId('statement-lines-partial').count()).toBe(0);
      const creators = await org.getByTestId('statement-line-creator').allInnerTexts();
      expect(creators.length).toBeGreaterThan(0);
      expect(creators.every((name) => name.trim().length > 0)).toBe(true);
      const shares = await org.getByTestId('statement-line-share').evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-amount'))));
      expect(formatMoney(shares.reduce((a, b) => a + b, 0))).toBe(await org.getByTestId('statement-detail-settled').innerText());
      await org.screenshot({ path: join(ARTIFACTS, 'statement-org.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    "pages the operator's orders: the next 50 come below the first with 'Load more', none twice",
    async () => {
      const operator = await newPage();
      await signIn(operator, DEMO.operator);
      await operator.locator('[data-nav="orders"]').click();
      const rows = operator.getByTestId('orders-table').locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(50);
      await operator.getByTestId('orders-more').click();
      await expect.poll(() => rows.count()).toBeGreaterThan(50);
      const links = await operator.getByTestId('order-link').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('href')));
      expect(new Set(links).size).toBe(links.length);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'lists an order without a click as unattributed for the operator, with its events, until it is attributed to wang by hand',
    async () => {
      await merchantShop();
      const orderId = `E2E-LOST-${Date.now()}`;
      const operator = await newPage();
      await signIn(operator, DEMO.operator);
      const waiting = ((await (await operator.request.get(`${baseUrl()}/api/operator/overview`)).json()) as { unattributed_orders: number }).unattributed_orders;
      await deliver(orderId, 'paid');

      // 首页: one more order waits for the operator; its link opens the unattributed tab.
      await operator.goto(`${baseUrl()}/#/home`);
      await operator.reload();
      await expect.poll(() => operator.getByTestId('home-unattributed').innerText()).toBe(String(waiting + 1));
      await operator.getByTestId('home-operator-tasks').getByRole('link', { name: /手动归因/ }).click();
      expect(await operator.getByTestId('orders-tab-unattributed').getAttribute('class')).toContain('tab-active');
      const row = operator.getByTestId('orders-table').locator('tbody tr').filter({ hasText: orderId });
      await row.waitFor();
      expect(await row.getByTestId('order-attribution').getAttribute('data-attribution')).toBe('unattributed');
      await row.getByTestId('order-link').click();

      // The detail: the webhook's event, then the form that credits the order by hand.
      const history = operator.getByTestId('order-history').locator('tbody tr');
      await expect.poll(() => history.count()).toBe(1);
      expect(await history.first().getByTestId('event-status').innerText()).toBe('已付款');
      expect(await history.first().getByTestId('event-via').getAttribute('data-via')).toBe('webhook');
      // Why it is unattributed: the delivery carried neither a click id nor a sub id.
      expect(await operator.getByTestId('order-attribution-why').locator('dd').innerText()).toBe('订单未带点击 ID；订单未带推广位');
      await operator.getByTestId('attribute-creator').selectOption({ label: `${WANG.name} @wang_yi` });
      await operator.getByTestId('attribute-reason').fill('达人提供了买家的下单截图');
      await operator.getByTestId('attribute-submit').click();
      await expect.poll(() => operator.getByTestId('order-facts').getByTestId('order-attribution').getAttribute('data-attribution')).toBe('manual');
      expect(await operator.getByTestId('order-creator').innerText()).toContain(WANG.name);
      expect(await operator.getByTestId('attribute-panel').count()).toBe(0);
      expect(await operator.getByTestId('order-attribution-why').locator('dd').innerText()).toBe('手动归因，原因：达人提供了买家的下单截图');
      await operator.screenshot({ path: join(ARTIFACTS, 'order-operator.png'), fullPage: true });

      // No longer unattributed; wang now has it, with a commission.
      await operator.getByTestId('order-back').click();
      await operator.getByTestId('orders-tab-unattributed').click();
      // The tab may first show the list it had, then the one it reloads: wait for the order to leave.
      await expect.poll(() => operator.getByTestId('orders-list').locator('tbody tr').filter({ hasText: orderId }).count()).toBe(0);
      await operator.locator('[data-testid="orders-list"][data-state="ready"]').waitFor();
      expect(await operator.getByTestId('orders-list').locator('tbody tr').filter({ hasText: orderId }).count()).toBe(0);
      const wang = await newPage();
      await signIn(wang, WANG.email);
      await wang.goto(`${baseUrl()}/#/orders`);
      const mine = wang.getByTestId('orders-table').locator('tbody tr').filter({ hasText: orderId });
      await mine.waitFor();
      expect(await mine.getByTestId('order-attribution').innerText()).toBe('手动归因');
      expect(Number(await mine.getByTestId('order-commission').getAttribute('data-amount'))).toBeGreaterThan(0);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT * 2,
  );
});

/** A merchant source of the demo merchant with one product, made once per file through the API; its webhook secret is shown only then. */
async function merchantShop(): Promise<Shop> {
  if (shop) return shop;
  const merchant = await newPage();
  await signIn(merchant, DEMO.merchant);
  const created = await merchant.request.post(`${baseUrl()}/api/sources`, { data: { kind: 'merchant', name: `E2E 结算小店 ${Date.now()}` } });
  expect(created.status()).toBe(201);
  const source = (await created.json()) as { id: string; webhook_secret: string };
  const csv = ['id,title,price,commission_rate,url', `${PRODUCT.id},${PRODUCT.title},${PRODUCT.price},20%,https://shop.example.invalid/${PRODUCT.id}`].join('\n');
  const imported = await merchant.request.post(`${baseUrl()}/api/sources/${source.id}/imports?format=csv&mode=full`, {
    headers: { 'content-type': 'application/octet-stream' },
    data: Buffer.from(`${csv}\n`),
  });
  expect(((await imported.json()) as { imported: number }).imported).toBe(1);
  shop = { sourceId: source.id, secret: source.webhook_secret };
  return shop;
}

/** Adds the shop's product to the creator's showcase and follows its tracked link as a shopper's phone would; the click id the source receives. */
async function clickThroughShowcase(request: APIRequestContext, sourceId: string): Promise<string> {
  const products = (await (await request.get(`${baseUrl()}/api/stores/${sourceId}/products`)).json()) as { items: { id: string }[] };
  const productId = products.items[0]?.id;
  const added = await request.post(`${baseUrl()}/api/showcase/items`, { data: { product_id: productId } });
  // Added by an earlier test of this file: its link is the one in the showcase.
  if (added.status() === 409) expect(((await added.json()) as { error: { code: string } }).error.code).toBe('already_in_showcase');
  else expect(added.status()).toBe(201);
  const link =
    added.status() === 201
      ? ((await added.json()) as { link: { code: string; url: string } }).link
      : ((await (await request.get(`${baseUrl()}/api/showcase/items`)).json()) as { items: { product_id: string; link: { code: string; url: string } }[] }).items.find((i) => i.product_id === productId)!.link;
  const redirect = await fetch(`${baseUrl()}${link.url}`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
  const clickId = /(clk_[0-9a-z]+)/i.exec(decodeURIComponent(redirect.headers.get('location') ?? ''))?.[1];
  if (!clickId) throw new Error(`no click id in the redirect to ${redirect.headers.get('location')}`);
  // The click is recorded once the redirect was answered; its count shows when it is readable.
  await expect
    .poll(async () => {
      const links = (await (await request.get(`${baseUrl()}/api/links`)).json()) as { items: { code: string; clicks: number }[] };
      return links.items.find((l) => l.code === link.code)?.clicks ?? 0;
    }, { timeout: 15_000 })
    .toBeGreaterThan(0);
  return clickId;
}

/** One order event, signed with the source's secret as Standard Webhooks has it. */
async function deliver(orderId: string, status: 'paid' | 'completed' | 'refunded', { clickId }: { clickId?: string } = {}): Promise<void> {
  if (!shop) throw new Error('merchantShop() first');
  const id = `msg_e2e_${++deliveries}_${Date.now()}`;
  const timestamp = new Date();
  const line = { line_id: '1', product_id: PRODUCT.id, quantity: 1, paid_amount: 59_900, refunded_amount: 0 };
  const payload = JSON.stringify({
    type: 'order.updated',
    data: { order_id: orderId, status, occurred_at: timestamp.toISOString(), currency: 'CNY', ...(clickId ? { click_id: clickId } : {}), lines: [line] },
  });
  const response = await fetch(`${baseUrl()}/api/webhooks/sources/${shop.sourceId}/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(shop.secret).sign(id, timestamp, payload),
    },
    body: payload,
  });
  expect(await response.json()).toMatchObject({ received: 1, applied: 1 });
}

async function only<T>(request: APIRequestContext, path: string, match: (item: T) => boolean): Promise<T> {
  const { items } = (await (await request.get(`${baseUrl()}${path}`)).json()) as { items: T[] };
  const found = items.filter(match);
  expect(found).toHaveLength(1);
  return found[0]!;
}

async function summaryOf(request: APIRequestContext): Promise<EarningsSummary> {
  return (await (await request.get(`${baseUrl()}/api/earnings/summary`)).json()) as EarningsSummary;
}

async function dailyTotalOf(request: APIRequestContext): Promise<number> {
  const { items } = (await (await request.get(`${baseUrl()}/api/earnings/daily?days=30`)).json()) as { items: { amount: number }[] };
  return items.reduce((sum, day) => sum + day.amount, 0);
}

/** Today's commission and lines by payment day (Asia/Shanghai), as the home page shows them. */
async function todayOf(request: APIRequestContext): Promise<{ amount: number; lines: number }> {
  const { items } = (await (await request.get(`${baseUrl()}/api/earnings/daily?days=1`)).json()) as { items: { amount: number; lines: number }[] };
  return items[0]!;
}

/** The merchant's sales over the last `days` days, today last (`GET /api/merchant/sales`). */
async function salesOf(request: APIRequestContext, days: number): Promise<DailySales[]> {
  return ((await (await request.get(`${baseUrl()}/api/merchant/sales?days=${days}`)).json()) as { items: DailySales[] }).items;
}

async function figure(page: Page, key: string): Promise<string> {
  return page.getByTestId(`earnings-${key}`).innerText();
}

async function withdraw(page: Page, amount: string): Promise<void> {
  const form = page.getByTestId('withdraw-form');
  await form.getByTestId('withdraw-amount').fill(amount);
  await form.getByTestId('withdraw-payee-name').fill('林小鱼');
  await form.getByTestId('withdraw-payee-account').fill('林小鱼的支付宝 lin@alipay.example');
  await form.getByTestId('withdraw-submit').click();
  await form.getByTestId('error').or(form.getByTestId('notice')).first().waitFor();
}

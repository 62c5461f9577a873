import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, DEMO, TEST_TIMEOUT, baseUrl, newPage, pageErrors, setUpConsole, signIn } from './harness';

/** The pool (选品池) and importing products into a source, against the demo's ~20,000 products. */

setUpConsole();

const QUERIES = ['充电宝', '手机'];

describe('the product pool', () => {
  it(
    'shows a creator cards with their source and commission, searches, sorts, filters by platform and scrolls on',
    async () => {
      const page = await newPage();
      await signIn(page, DEMO.creator);
      await page.locator('[data-nav="pool"]').click();
      await poolReady(page);

      expect(await total(page)).toBeGreaterThan(24);
      const cards = page.getByTestId('pool-card');
      expect(await cards.count()).toBe(24);
      const first = cards.first();
      expect((await first.getByTestId('pool-card-source').innerText()).trim()).not.toBe('');
      expect(await first.getByTestId('pool-card-commission').innerText()).toMatch(/¥\d{1,3}(,\d{3})*\.\d{2}/);
      expect(await page.getByTestId('pool-sort').inputValue()).toBe('commission');
      // 加入橱窗 is live for a creator (the showcase tests add with it); untouched, it is ready or says the product is in already.
      const add = first.getByTestId('add-to-showcase');
      expect(['idle', 'already']).toContain(await add.getAttribute('data-state'));
      await page.screenshot({ path: join(ARTIFACTS, 'pool-creator.png'), fullPage: true });

      // Without words to match, the default order is by commission amount, highest first.
      expect(isNonIncreasing(await numbers(page, 'data-commission'))).toBe(true);

      // Words: every title on the first page carries them, and the hash keeps them over a reload.
      const query = await aQueryWithResults(page);
      const titles = await cards.getByTestId('pool-card-title').allInnerTexts();
      expect(titles.length).toBeGreaterThan(0);
      for (const title of titles) expect(title).toContain(query);
      expect(decodeURIComponent(page.url())).toContain(`q=${query}`);
      await page.reload();
      await poolReady(page);
      expect(await page.getByTestId('pool-search').inputValue()).toBe(query);
      expect(await page.getByTestId('pool-sort').inputValue()).toBe('relevance');
      expect(await cards.getByTestId('pool-card-title').allInnerTexts()).toEqual(titles);

      // Sorted by commission amount: non-increasing down the page.
      await page.getByTestId('pool-sort').selectOption('commission');
      await poolReady(page);
      expect(page.url()).toContain('sort=commission');
      const commissions = await numbers(page, 'data-commission');
      expect(commissions.length).toBeGreaterThan(0);
      expect(isNonIncreasing(commissions)).toBe(true);

      // One platform: every badge is 京东, and the chip shows itself chosen with its count.
      await page.getByTestId('pool-search').fill('');
      await page.getByTestId('pool-search').press('Enter');
      await poolReady(page);
      const jdChip = page.getByTestId('pool-facet-platform-jd');
      const jdCount = Number(await jdChip.getAttribute('data-count'));
      expect(jdCount).toBeGreaterThan(0);
      await jdChip.click();
      await poolReady(page);
      expect(page.url()).toContain('platform=jd');
      expect(await jdChip.getAttribute('aria-pressed')).toBe('true');
      expect(await total(page)).toBe(jdCount);
      const badges = await cards.getByTestId('pool-card-source').allInnerTexts();
      expect(badges.length).toBeGreaterThan(0);
      expect(new Set(badges.map((badge) => badge.trim()))).toEqual(new Set(['京东']));

      // Scrolling to the end of the grid appends the next page, without repeating a product.
      const before = await productIds(page);
      expect(before.length).toBe(24);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await expect.poll(() => cards.count(), { timeout: 15_000 }).toBeGreaterThan(before.length);
      const after = await productIds(page);
      expect(after.slice(0, before.length)).toEqual(before);
      expect(new Set(after).size).toBe(after.length);
      expect(isNonIncreasing(await numbers(page, 'data-commission'))).toBe(true);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT * 2,
  );

  it(
    'filters by a price range typed in yuan and a minimum rate typed in percent, sent as fen and bps',
    async () => {
      const page = await newPage();
      await signIn(page, DEMO.creator);
      await page.goto(`${baseUrl()}/#/pool`);
      await poolReady(page);
      await page.getByTestId('pool-price-min').fill('19.9');
      await page.getByTestId('pool-price-max').fill('100');
      await page.getByTestId('pool-rate-min').fill('12.5');
      await page.getByTestId('pool-apply').click();
      await poolReady(page);
      expect(page.url()).toContain('price_min=1990&price_max=10000&rate_min=1250');
      const prices = await numbers(page, 'data-price');
      expect(prices.length).toBeGreaterThan(0);
      for (const price of prices) expect(price >= 1990 && price <= 10_000).toBe(true);
      for (const rate of await numbers(page, 'data-rate')) expect(rate).toBeGreaterThanOrEqual(1250);

      await page.getByTestId('pool-price-min').fill('1.234');
      await page.getByTestId('pool-apply').click();
      await page.getByTestId('pool-range-error').waitFor();
      expect(page.url()).toContain('price_min=1990');
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'fits a 390×844 phone with two cards a row',
    async () => {
      const page = await newPage({ width: 390, height: 844 });
      await signIn(page, DEMO.creator);
      await page.goto(`${baseUrl()}/#/pool`);
      await poolReady(page);
      const [a, b] = await Promise.all([0, 1].map((n) => page.getByTestId('pool-card').nth(n).boundingBox()));
      expect(a && b).toBeTruthy();
      expect(Math.abs((a?.y ?? 0) - (b?.y ?? 1))).toBeLessThan(2);
      expect((a?.width ?? 999) < 195 && (b?.x ?? 0) > (a?.x ?? 0)).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(ARTIFACTS, 'pool-phone.png'), fullPage: true, clip: { x: 0, y: 0, width: 390, height: 2200 } });
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

describe('importing products into a source', () => {
  it(
    'lets a merchant upload a CSV, shows what was imported and the rejected row with its reason, then lists the products',
    async () => {
      const page = await newPage();
      await signIn(page, DEMO.merchant);
      await page.locator('[data-nav="sources"]').click();
      const name = `E2E 导入小店 ${Date.now()}`;
      await page.getByTestId('source-name').fill(name);
      await page.getByTestId('source-submit').click();
      await page.getByTestId('webhook-secret').waitFor();

      await page.locator('[data-nav="products"]').click();
      await page.getByTestId('source-link').filter({ hasText: name }).click();
      await expect.poll(() => page.locator('.page-title').innerText()).toBe(name);
      await page.getByTestId('source-products-empty').waitFor();
      expect(await page.getByTestId('import-format').locator('option').allTextContents()).not.toContain('拼多多 goods.search 返回');
      expect(await page.getByTestId('import-mode').inputValue()).toBe('full');

      // A file without the required columns is refused as a whole, with the server's reason.
      await page.getByTestId('import-file').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('sku,name\n1,x\n') });
      await page.getByTestId('import-submit').click();
      await page.getByTestId('error').waitFor();
      expect((await page.getByTestId('error').innerText()).trim().length).toBeGreaterThan(0);

      const csv = [
        'id,title,price,commission_rate,category,brand,image',
        'e2e-1,E2E 保温杯 500ml,59.90,12.5%,家居>杯壶,鹿鸣,https://img.example.invalid/e2e-1.jpg',
        'e2e-2,E2E 帆布托特包,39,8%,服饰>箱包,鹿鸣,https://img.example.invalid/e2e-2.jpg',
        'e2e-3,E2E 香薰蜡烛礼盒,128.00,15%,家居>香薰,鹿鸣,',
        'e2e-4,E2E 负价商品,-5,10%,家居,鹿鸣,',
      ].join('\n');
      await page.getByTestId('import-file').setInputFiles({ name: 'feed.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\n`) });
      await page.getByTestId('import-submit').click();
      const result = page.getByTestId('import-result');
      await result.waitFor();
      expect(await result.getAttribute('data-imported')).toBe('3');
      expect(await page.getByTestId('import-imported').innerText()).toMatch(/新增\s*3/);
      const rejected = page.getByTestId('import-rejected').locator('tbody tr');
      expect(await rejected.count()).toBe(1);
      expect(await rejected.first().getAttribute('data-row')).toBe('4');
      expect((await rejected.first().locator('.rejected-reason').innerText()).trim()).toMatch(/price/i);

      const titles = page.getByTestId('source-products').getByTestId('source-product-title');
      await expect.poll(() => titles.allInnerTexts()).toHaveLength(3);
      expect((await titles.allInnerTexts()).sort()).toEqual(['E2E 保温杯 500ml', 'E2E 帆布托特包', 'E2E 香薰蜡烛礼盒']);
      expect(await page.getByTestId('source-products').locator('[data-status="online"]').count()).toBe(3);

      // The run is in the history, its rejected row one click away.
      const run = page.getByTestId('import-run').first();
      await expect.poll(() => run.locator('[data-status]').getAttribute('data-status')).toBe('completed');
      await run.getByTestId('import-rejections-toggle').click();
      const again = page.getByTestId('import-run-rejected').locator('tbody tr');
      await expect.poll(() => again.count()).toBe(1);
      expect(await again.first().getAttribute('data-row')).toBe('4');

      await page.getByTestId('source-products-status').selectOption('offline');
      await page.getByTestId('source-products-empty').waitFor();
      await page.getByTestId('source-products-status').selectOption('');
      await expect.poll(() => titles.count()).toBe(3);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(ARTIFACTS, 'source-merchant.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'opens a platform source for the operator with the platform response formats and its products',
    async () => {
      const page = await newPage();
      await signIn(page, DEMO.operator);
      await page.locator('[data-nav="sources"]').click();
      const row = page.getByTestId('sources-table').locator('tbody tr').filter({ hasText: '京东' }).first();
      await row.getByTestId('source-link').click();
      await page.getByTestId('source-info').waitFor();
      expect(await page.getByTestId('import-format').inputValue()).toBe('jd-goods-query');
      expect(await page.getByTestId('import-mode').inputValue()).toBe('incremental');
      await page.getByTestId('import-format').selectOption('csv');
      expect(await page.getByTestId('import-mode').inputValue()).toBe('full');
      const products = page.getByTestId('source-products').locator('tbody tr');
      await expect.poll(() => products.count()).toBeGreaterThan(0);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

/** The grid answers the query in the hash (not the previous one). */
async function poolReady(page: Page): Promise<void> {
  await page.locator('[data-testid="pool-total"][data-state="ready"]').waitFor({ timeout: 20_000 });
}

async function total(page: Page): Promise<number> {
  return Number(await page.getByTestId('pool-total').getAttribute('data-total'));
}

async function numbers(page: Page, attribute: string): Promise<number[]> {
  return page.getByTestId('pool-card').evaluateAll((cards, name) => cards.map((card) => Number(card.getAttribute(name))), attribute);
}

async function productIds(page: Page): Promise<string[]> {
  return page.getByTestId('pool-card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-product-id') ?? ''));
}

function isNonIncreasing(values: number[]): boolean {
  return values.every((value, i) => i === 0 || value <= (values[i - 1] ?? value));
}

/** Types the first of QUERIES the demo has products for, and returns it. */
async function aQueryWithResults(page: Page): Promise<string> {
  for (const query of QUERIES) {
    await page.getByTestId('pool-search').fill(query);
    await page.getByTestId('pool-search').press('Enter');
    await poolReady(page);
    if ((await total(page)) > 0) return query;
  }
  throw new Error(`none of ${QUERIES.join(', ')} found anything in the pool`);
}

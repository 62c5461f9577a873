import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startFakeTaobaoChannels } from '../../src/modules/sources/connectors/fake/taobao-channels';
import { ARTIFACTS, DEMO, TEST_TIMEOUT, baseUrl, newPage, pageErrors, setUpConsole, signIn } from './harness';

/**
 * The showcase (橱窗) of the unbound creator wang: adding from the pool, order, pin, recommendation,
 * removal, channel links, the public page; stores, binding one and adding from it. The demo may
 * give wang a showcase already: counts are taken relative to what is there.
 */

setUpConsole();

const WANG = { email: 'wang@demo.vitrine.dev', handle: 'wang_yi' };
const MERCHANT_STORE = '有赞 · 好物优选';

describe('the showcase', () => {
  it(
    'adds three products from the pool, reorders, pins, recommends, removes, makes a video link and shows the public page',
    async () => {
      // Tall enough for two items and their handles to be in view at once (see the drag below).
      const page = await newPage({ width: 1280, height: 1200 });
      await signIn(page, WANG.email);
      await page.goto(`${baseUrl()}/#/showcase`);
      const before = await showcaseCount(page);

      // Three products from the pool, each saying 已加入 once added.
      await page.locator('[data-nav="pool"]').click();
      await page.locator('[data-testid="pool-total"][data-state="ready"]').waitFor({ timeout: 20_000 });
      const added: string[] = [];
      const cards = page.getByTestId('pool-card').filter({ has: page.locator('[data-testid="add-to-showcase"][data-state="idle"]') });
      for (let n = 0; n < 3; n++) {
        const card = cards.first();
        const productId = (await card.getAttribute('data-product-id')) ?? '';
        await card.getByTestId('add-to-showcase').click();
        const button = page.locator(`[data-testid="pool-card"][data-product-id="${productId}"] [data-testid="add-to-showcase"]`);
        await expect.poll(() => button.getAttribute('data-state')).toBe('added');
        expect(await button.innerText()).toContain('已加入');
        added.push(productId);
      }

      // The toast leads to the showcase: three more items, in the order added, each with its tracked link.
      await page.getByTestId('toast-link').last().click();
      await expect.poll(() => showcaseCount(page)).toBe(before + 3);
      expect((await productOrder(page)).slice(-3)).toEqual(added);
      for (const productId of added) {
        const link = item(page, productId).getByTestId('showcase-link');
        expect(await link.innerText()).toMatch(new RegExp(`^${escape(baseUrl())}/r/[A-Za-z0-9_-]+$`));
      }
      expect(await item(page, added[0]!).getByTestId('showcase-via').getAttribute('data-via')).toBe('pool');

      // The same product again (straight through the API, as a second tab would): 409 already_in_showcase.
      const again = await page.request.post(`${baseUrl()}/api/showcase/items`, { data: { product_id: added[0] } });
      expect(again.status()).toBe(409);
      expect((await again.json()).error.code).toBe('already_in_showcase');

      // The last item up to the top of the unpinned ones, with the arrows; the order survives a reload.
      const last = added[2]!;
      const up = item(page, last).getByTestId('showcase-up');
      while (await up.isEnabled()) {
        const at = (await productOrder(page)).indexOf(last);
        await up.click();
        await expect.poll(async () => (await productOrder(page)).indexOf(last)).toBe(at - 1);
      }
      await orderSaved(page);
      const reordered = await productOrder(page);
      await page.reload();
      await expect.poll(() => productOrder(page)).toEqual(reordered);
      const firstUnpinned = await page.locator('[data-testid="showcase-item"][data-pinned="false"]').first().getAttribute('data-product-id');
      expect(firstUnpinned).toBe(last);

      // Dragging by the handle: the first unpinned item dropped on the lower half of the next one goes after it.
      // (Both in view: Playwright presses the mouse before it scrolls to the target.)
      const unpinned = page.locator('[data-testid="showcase-item"][data-pinned="false"]');
      const [dragged, next] = await unpinned.evaluateAll((items) => items.slice(0, 2).map((element) => element.getAttribute('data-product-id') ?? ''));
      const grip = item(page, dragged!).locator('.showcase-grip');
      await grip.scrollIntoViewIfNeeded();
      const height = (await item(page, next!).boundingBox())?.height ?? 100;
      await grip.dragTo(item(page, next!), { targetPosition: { x: 200, y: height - 12 } });
      await expect.poll(async () => (await productOrder(page)).indexOf(dragged!)).toBe((await productOrder(page)).indexOf(next!) + 1);
      await orderSaved(page);
      const dropped = await productOrder(page);
      await page.reload();
      await expect.poll(() => productOrder(page)).toEqual(dropped);
      // And back up to the top with the keyboard: the arrow keeps the focus as its item moves.
      const upAgain = item(page, dragged!).getByTestId('showcase-up');
      await upAgain.focus();
      while (await upAgain.isEnabled()) {
        const at = (await productOrder(page)).indexOf(dragged!);
        await page.keyboard.press('Enter');
        await expect.poll(async () => (await productOrder(page)).indexOf(dragged!)).toBe(at - 1);
      }
      await orderSaved(page);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('showcase-down');

      // Pinning puts an item first, and it stays so.
      const pinned = added[1]!;
      await item(page, pinned).getByTestId('showcase-pin').click();
      await expect.poll(() => item(page, pinned).getAttribute('data-pinned')).toBe('true');
      await expect.poll(async () => (await productOrder(page))[0]).toBe(pinned);
      await page.reload();
      await expect.poll(async () => (await productOrder(page))[0]).toBe(pinned);
      expect(await item(page, pinned).getByTestId('showcase-pin').getAttribute('aria-pressed')).toBe('true');

      // A one-line recommendation, saved with Enter, still there after a reload.
      const words = '夏天必备，冰镇一下更好喝';
      const recommendation = item(page, last).getByTestId('showcase-recommendation');
      await recommendation.fill(words);
      await recommendation.press('Enter');
      await expect.poll(() => recommendation.getAttribute('data-state')).toBe('saved');
      await page.reload();
      await expect.poll(() => item(page, last).getByTestId('showcase-recommendation').inputValue()).toBe(words);

      // Removing asks first; then two of the three are left.
      const removed = added[0]!;
      await item(page, removed).getByTestId('showcase-remove').click();
      await item(page, removed).getByTestId('showcase-remove-confirm').click();
      await expect.poll(() => showcaseCount(page)).toBe(before + 2);
      expect(await productOrder(page)).not.toContain(removed);

      // Another link for the short-video channel, listed beside the showcase one.
      const links = item(page, last);
      await links.getByTestId('showcase-links-toggle').click();
      await links.locator('[data-testid="link-row"][data-channel="showcase"]').waitFor();
      await links.getByTestId('link-channel').selectOption('video');
      await links.getByTestId('link-create').click();
      const video = links.locator('[data-testid="link-row"][data-channel="video"]');
      await video.waitFor();
      const videoCode = (await video.getAttribute('data-code')) ?? '';
      expect(videoCode).not.toBe('');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(ARTIFACTS, 'showcase-creator.png'), fullPage: true });

      // 推广链接 lists it too, with its channel.
      await page.locator('[data-nav="links"]').click();
      const row = page.getByTestId('links-table').locator(`tr[data-row-id="${videoCode}"]`);
      await row.waitFor();
      expect(await row.innerText()).toContain('短视频');

      // 推广位: record the PDD pid the platform issued (a taken one is refused in words), then remove it.
      const positions = page.getByTestId('position-form');
      await positions.getByTestId('position-source').selectOption({ label: '拼多多 多多进宝' });
      await positions.getByTestId('position-sub-id').fill('8888_20261127');
      await positions.getByTestId('position-label').fill('抖音直播间');
      await positions.getByTestId('position-submit').click();
      const position = page.getByTestId('positions-table').locator('tr[data-row-id="8888_20261127"]');
      await position.waitFor();
      expect(await position.innerText()).toContain('拼多多 多多进宝');
      await positions.getByTestId('position-sub-id').fill('8888_20261127');
      await positions.getByTestId('position-submit').click();
      await expect.poll(() => positions.getByRole('alert').innerText()).toContain('这个推广位 ID 已经登记过了');
      await position.getByTestId('position-remove').click();
      await position.waitFor({ state: 'detached' });

      // At Taobao the creator records their channel's relation id (a number), which their Taobao links carry.
      expect(await positions.getByTestId('position-kind').count()).toBe(0);
      await positions.getByTestId('position-source').selectOption({ label: '淘宝联盟' });
      expect(await positions.getByTestId('position-kind').inputValue()).toBe('relation');
      await positions.getByTestId('position-sub-id').fill('mm_123');
      await positions.getByTestId('position-submit').click();
      await expect.poll(() => positions.getByRole('alert').innerText()).toContain('淘宝渠道关系 ID 是一串数字');
      await positions.getByTestId('position-sub-id').fill('2712345678');
      await positions.getByTestId('position-submit').click();
      const relation = page.getByTestId('positions-table').locator('tr[data-row-id="2712345678"]');
      await relation.waitFor();
      expect(await relation.innerText()).toContain('淘宝联盟');
      expect(await relation.innerText()).toContain('渠道关系 ID');

      // The public page shows the visible items, each through its tracked link.
      const codes = await Promise.all([pinned, last].map(async (productId) => codeOf(page, productId)));
      const publicPage = await newPage();
      await expect
        .poll(async () => (await publicPage.goto(`${baseUrl()}/s/${WANG.handle}`))?.status(), { timeout: 30_000, interval: 1_000 })
        .toBe(200);
      const html = await publicPage.content();
      for (const code of codes) expect(html).toContain(`/r/${code}`);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT * 3,
  );

  it(
    'lets the operator set the Taobao source’s inviter code, and lin register her Taobao account as a channel by authorising on Taobao (a fake of it here)',
    async () => {
      const taobao = await startFakeTaobaoChannels({ appKey: 'e2e-taobao-key', appSecret: 'e2e-taobao-secret', inviterCode: 'E2E7QX', nextAccount: () => '林小鱼的淘宝' });
      try {
        const operator = await newPage();
        await signIn(operator, DEMO.operator);
        await operator.locator('[data-nav="sources"]').click();
        await operator.getByTestId('sources-table').locator('[data-testid="source-link"]', { hasText: '淘宝联盟' }).click();
        const panel = operator.getByTestId('connection-panel');
        await panel.getByTestId('connection-form').waitFor();
        await panel.getByTestId('connection-app-key').fill('e2e-taobao-key');
        await panel.getByTestId('connection-app-secret').fill('e2e-taobao-secret');
        await panel.getByTestId('connection-base-url').fill(taobao.url);
        await panel.getByTestId('connection-inviter-code').fill('E2E7QX');
        await panel.getByTestId('connection-save').click();
        await panel.getByTestId('connection-status').waitFor(); // connected
        expect(await panel.getByTestId('connection-inviter-code').inputValue()).toBe('E2E7QX');

        // lin starts from 推广链接 → 推广位, goes through Taobao's page, and comes back registered.
        const page = await newPage();
        await signIn(page, DEMO.creator);
        await page.goto(`${baseUrl()}/#/links`);
        const registration = page.getByTestId('channel-registration');
        await registration.waitFor();
        expect(await registration.innerText()).toContain('用淘宝账号备案渠道');
        await registration.getByTestId('channel-start').click();
        await expect.poll(() => page.getByTestId('channel-outcome').textContent(), { timeout: 20_000 }).toContain('渠道关系 ID 2712345700 已登记');
        expect(taobao.registrations).toEqual([{ account: '林小鱼的淘宝', relationId: 2712345700, inviterCode: 'E2E7QX', note: 'vitrine lin_xiaoyu' }]);
        const relation = page.getByTestId('positions-table').locator('tr[data-row-id="2712345700"]');
        await relation.waitFor();
        expect(await relation.innerText()).toContain('林小鱼的淘宝');
        expect(await relation.innerText()).toContain('渠道关系 ID');
        expect(page.url()).toBe(`${baseUrl()}/#/links`); // the outcome is said once, not again on a reload
        await page.screenshot({ path: join(ARTIFACTS, 'positions-taobao-channel.png'), fullPage: true });

        // Declined on Taobao's page: the console says so, in words, and nothing is recorded.
        taobao.refuse = true;
        await page.getByTestId('channel-registration').getByTestId('channel-start').click();
        await expect.poll(() => page.locator('[data-testid="error"][data-code="authorization_declined"]').textContent(), { timeout: 20_000 }).toContain('你在淘宝页面没有同意授权');
        await expect.poll(() => page.getByTestId('positions-table').locator('tbody tr').count()).toBe(2);
        // Taobao's refusal (an inviter code it no longer knows), as the callback hands it to the console: in Taobao's words.
        await page.goto(`${baseUrl()}/#/links?${new URLSearchParams({ taobao_channel_error: 'platform_error', taobao_channel_reason: 'Remote service error — isv.invalid-parameter — 邀请码不存在或已失效' })}`);
        await expect.poll(() => page.locator('[data-testid="error"][data-code="platform_error"]').textContent(), { timeout: 20_000 }).toContain('淘宝拒绝了备案：Remote service error — isv.invalid-parameter — 邀请码不存在或已失效');
        expect(pageErrors).toEqual([]);
      } finally {
        await taobao.close();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'fits a 390×844 phone: one item a row, the arrows at hand, nothing wider than the screen',
    async () => {
      const page = await newPage({ width: 390, height: 844 });
      await signIn(page, WANG.email);
      await page.goto(`${baseUrl()}/#/showcase`);
      if ((await showcaseCount(page)) === 0) {
        await page.goto(`${baseUrl()}/#/pool`);
        await page.locator('[data-testid="add-to-showcase"][data-state="idle"]').first().click();
        await page.locator('[data-testid="add-to-showcase"][data-state="added"]').waitFor();
        await page.goto(`${baseUrl()}/#/showcase`);
      }
      const first = page.getByTestId('showcase-item').first();
      await first.waitFor();
      const box = await first.boundingBox();
      expect(box && box.width <= 390 - 24).toBe(true);
      expect(await first.getByTestId('showcase-up').isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(ARTIFACTS, 'showcase-phone.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

describe('stores and binding', () => {
  it(
    'lets wang ask to bind a merchant store, the merchant approve, and wang add a product from it as a bound store',
    async () => {
      const creator = await newPage();
      await signIn(creator, WANG.email);
      await creator.goto(`${baseUrl()}/#/showcase`);
      await creator.getByTestId('showcase-tab-stores').click();
      const store = creator.getByTestId('store-card').filter({ hasText: MERCHANT_STORE }).first();
      await store.waitFor();
      if ((await store.getAttribute('data-binding')) === '') await store.getByTestId('store-bind').click();
      await expect.poll(() => store.getAttribute('data-binding')).toBe('pending');
      expect(await store.getByTestId('store-binding').innerText()).toBe('待审核');

      // The merchant sees the request under 商品 and approves it.
      const merchant = await newPage();
      await signIn(merchant, DEMO.merchant);
      await merchant.locator('[data-nav="products"]').click();
      const request = merchant.getByTestId('bindings-table').locator('tbody tr').filter({ hasText: '王一' }).filter({ hasText: MERCHANT_STORE }).first();
      await request.locator('[data-status="pending"]').waitFor();
      await request.getByTestId('binding-approve').click();
      await request.locator('[data-status="approved"]').waitFor();
      expect(await request.getByTestId('binding-revoke').isVisible()).toBe(true);

      // wang sees it approved, browses the store and adds a product: it comes in as 绑定店铺.
      await creator.reload();
      await expect.poll(() => store.getAttribute('data-binding')).toBe('approved');
      expect(await store.getByTestId('store-binding').innerText()).toBe('已绑定');
      await store.getByTestId('store-browse').click();
      const products = creator.getByTestId('store-products');
      const idle = products.getByTestId('pool-card').filter({ has: creator.locator('[data-testid="add-to-showcase"][data-state="idle"]') }).first();
      await idle.waitFor();
      const productId = (await idle.getAttribute('data-product-id')) ?? '';
      const add = products.locator(`[data-testid="pool-card"][data-product-id="${productId}"] [data-testid="add-to-showcase"]`);
      await add.click();
      await expect.poll(() => add.getAttribute('data-state')).toBe('added');
      await creator.evaluate(() => window.scrollTo(0, 0));
      await creator.screenshot({ path: join(ARTIFACTS, 'stores-creator.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1400 } });

      await creator.getByTestId('showcase-tab-items').click();
      const via = item(creator, productId).getByTestId('showcase-via');
      await via.waitFor();
      expect(await via.getAttribute('data-via')).toBe('bound_store');
      expect(await via.innerText()).toBe('绑定店铺');
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT * 2,
  );

  it(
    'lets wang open an own shop and manage it on the source page',
    async () => {
      const page = await newPage();
      await signIn(page, WANG.email);
      await page.goto(`${baseUrl()}/#/showcase/stores`);
      const form = page.getByTestId('own-shop-form');
      const card = page.getByTestId('own-shop-card');
      await form.or(card).first().waitFor();
      if (await form.isVisible()) {
        await page.getByTestId('own-shop-name').fill('王一的好物小店');
        await page.getByTestId('own-shop-submit').click();
        await page.getByTestId('webhook-secret').waitFor();
      }
      await card.waitFor();
      await page.getByTestId('own-shop-manage').click();
      await page.getByTestId('source-info').waitFor();
      expect(page.url()).toMatch(/#\/sources\/src_/);
      expect(await page.locator('[data-nav="showcase"]').getAttribute('aria-current')).toBe('page');
      await page.getByTestId('import-form').waitFor();
      await page.getByTestId('source-back').click();
      await card.waitFor();

      // Another creator asks to bind wang's shop; wang approves it under the shop.
      const shopId = (await card.getAttribute('data-store-id')) ?? '';
      const lin = await newPage();
      await signIn(lin, DEMO.creator);
      const asked = await lin.request.post(`${baseUrl()}/api/showcase/bindings`, { data: { source_id: shopId } });
      expect(asked.status()).toBe(201);
      await page.reload();
      const request = page.getByTestId('bindings-table').locator('tbody tr').filter({ hasText: '@lin_xiaoyu' });
      await request.locator('[data-status="pending"]').waitFor();
      await request.getByTestId('binding-approve').click();
      await request.locator('[data-status="approved"]').waitFor();
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

function item(page: Page, productId: string): Locator {
  return page.locator(`[data-testid="showcase-item"][data-product-id="${productId}"]`);
}

/** How many items the showcase holds, once it has loaded. */
async function showcaseCount(page: Page): Promise<number> {
  const count = page.locator('[data-testid="showcase-count"][data-count]:not([data-count=""])');
  await count.waitFor();
  return Number(await count.getAttribute('data-count'));
}

async function productOrder(page: Page): Promise<string[]> {
  return page.getByTestId('showcase-item').evaluateAll((items) => items.map((element) => element.getAttribute('data-product-id') ?? ''));
}

async function orderSaved(page: Page): Promise<void> {
  await page.locator('[data-testid="showcase-list"]:not([data-saving])').waitFor();
}

async function codeOf(page: Page, productId: string): Promise<string> {
  await page.goto(`${baseUrl()}/#/showcase`);
  return (await item(page, productId).getByTestId('showcase-link').getAttribute('data-code')) ?? '';
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import type { User } from '../accounts/model.ts';
import { createUser } from '../accounts/service.ts';
import { qrSvg } from '../links/qr.ts';
import { importProducts } from '../pool/import.ts';
import type { ParsedRow, ProductInput } from '../pool/model.ts';
import { createSource } from '../sources/service.ts';
import { addItem, updateItem } from './service.ts';

/**
 * The public showcase page in headless Chromium at a phone's size with JavaScript off, against
 * the real server: what a shopper on a slow phone sees and taps.
 */

const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts', import.meta.url));
const PHONE = { width: 390, height: 844 };
const BUDGET_BYTES = 50 * 1024;

interface Fixture {
  title: string;
  priceMinor: number;
  coupon: { amountMinor: number; thresholdMinor: number } | null;
  recommendation: string | null;
  /** Shown on the card, as the shopper reads them. */
  finalPrice: string;
  hue: number;
}

const PRODUCTS: Fixture[] = [
  { title: '小米充电宝 20000mAh 22.5W 双向快充 移动电源', priceMinor: 8900, coupon: { amountMinor: 1000, thresholdMinor: 5900 }, recommendation: '出差必带，一次能给手机充满四次', finalPrice: '¥79', hue: 18 },
  { title: '三只松鼠 每日坚果 750g/30袋 混合果仁', priceMinor: 12900, coupon: { amountMinor: 2000, thresholdMinor: 0 }, recommendation: '办公室囤货首选，独立小包装不受潮', finalPrice: '¥109', hue: 36 },
  { title: '华为 Mate60 Pro 手机壳 磨砂防摔 全包镜头', priceMinor: 3990, coupon: { amountMinor: 500, thresholdMinor: 3900 }, recommendation: '颜色比图上更高级，手感很好', finalPrice: '¥34.90', hue: 200 },
  { title: '兰蔻 小黑瓶 精华肌底液 50ml', priceMinor: 89900, coupon: null, recommendation: null, finalPrice: '¥899', hue: 280 },
];

function productInput(f: Fixture, i: number, merchantOrigin: string): ProductInput {
  return {
    sourceProductId: `JD${1000 + i}`,
    title: f.title,
    brand: null,
    categoryPath: ['好物'],
    images: [`https://img.vitrine.example/${i}.jpg?hue=${f.hue}`],
    priceMinor: f.priceMinor,
    currency: 'CNY',
    coupon: f.coupon ? { ...f.coupon, startsAt: null, endsAt: null } : null,
    commissionRateBps: 2000,
    sales30d: 100,
    shopName: '京东自营',
    shopScore: 490,
    productUrl: `${merchantOrigin}/item/${1000 + i}.html`,
    online: true,
  };
}

async function* rowsOf(products: ProductInput[]): AsyncGenerator<ParsedRow> {
  for (const [i, product] of products.entries()) yield { row: i + 1, product };
}

/** A product photo stand-in: a soft gradient square, so the screenshot reads like a real showcase. */
function productArt(hue: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 80% 92%)"/><stop offset="1" stop-color="hsl(${hue} 70% 78%)"/></linearGradient></defs><rect width="400" height="400" fill="url(#g)"/><rect x="120" y="110" width="160" height="180" rx="28" fill="hsl(${hue} 55% 52%)"/><circle cx="200" cy="170" r="34" fill="hsl(${hue} 90% 96%)"/></svg>`;
}

/** Product images are drawn by hue. */
async function fakeProductImages(page: Page): Promise<void> {
  await page.route('https://img.vitrine.example/**', (route: Route) =>
    route.fulfill({ status: 200, contentType: 'image/svg+xml', body: productArt(Number(new URL(route.request().url()).searchParams.get('hue'))) }),
  );
}

/**
 * The merchant a tracked link redirects to: a real local server rather than an intercepted URL,
 * because a browser's route handler never sees the target of a redirect.
 */
async function startFakeMerchant(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>merchant</title><p>merchant</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the public showcase page on a phone without JavaScript', () => {
  let server: TestServer;
  let merchant: { origin: string; server: Server };
  let browser: Browser;
  let creator: User;
  const codes: string[] = [];
  const contexts: BrowserContext[] = [];

  async function phonePage(options: { locale?: string } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, javaScriptEnabled: false, locale: options.locale ?? 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    await fakeProductImages(page);
    return page;
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    merchant = await startFakeMerchant();
    server = await startTestServer('sqlite');
    const db = server.db.kysely;
    creator = await createUser(db, { role: 'creator', email: 'lin@example.cn', password: 'password1', name: '林小鱼', handle: 'lin_xiaoyu' });
    await createUser(db, { role: 'creator', email: 'new@example.cn', password: 'password1', name: '新人小店', handle: 'newcomer' });
    const source = await createSource(db, { kind: 'platform', name: '京东联盟', platform: 'jd' });
    await importProducts(db, rowsOf(PRODUCTS.map((p, i) => productInput(p, i, merchant.origin))), { source, format: 'jsonl', mode: 'incremental' });
    const products = await db.selectFrom('products').select(['id', 'source_product_id']).orderBy('source_product_id').execute();
    for (const [i, product] of products.entries()) {
      const item = await addItem(db, creator, product.id);
      const recommendation = PRODUCTS[i]?.recommendation;
      if (recommendation) await updateItem(db, creator, item.id, { recommendation });
      if (!item.link) throw new Error(`item ${item.id} has no tracked link`);
      codes.push(item.link.code);
    }
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await server?.close();
    await new Promise((resolve) => merchant?.server.close(resolve));
  });

  it('shows every product as a tappable card with its price, coupon and recommendation, in two columns, under 50 KB', async () => {
    const page = await phonePage();
    const transferred: { url: string; bytes: number }[] = [];
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'image') transferred.push({ url: response.url(), bytes: (await response.body()).length });
    });
    const response = await page.goto(`${server.url}/s/lin_xiaoyu`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('h1').innerText()).toBe('林小鱼');
    expect(await page.locator('header').innerText()).toContain('@lin_xiaoyu · 4 件好物');

    const cards = page.locator('a.card');
    expect(await cards.count()).toBe(PRODUCTS.length);
    for (const [i, product] of PRODUCTS.entries()) {
      const card = cards.nth(i);
      expect(await card.isVisible()).toBe(true);
      expect(await card.getAttribute('href')).toBe(`/r/${codes[i]}`);
      expect(await card.getAttribute('rel')).toBe('nofollow');
      expect(await card.locator('h2').innerText()).toBe(product.title);
      expect(await card.locator('.price b').innerText()).toBe(product.finalPrice);
      const image = card.locator('img');
      expect(await image.getAttribute('alt')).toBe(product.title);
      expect(await image.getAttribute('loading')).toBe('lazy');
      if (product.recommendation) expect(await card.locator('.rec').innerText()).toBe(product.recommendation);
      else expect(await card.locator('.rec').count()).toBe(0);
    }
    expect(await cards.nth(0).locator('.cpn').textContent()).toBe('券 ¥10满¥59可用');
    expect(await cards.nth(1).locator('.cpn').textContent()).toBe('券 ¥20无门槛');

    // Two columns on a phone: the first two cards side by side, the third below the first.
    const [a, b, c] = await Promise.all([0, 1, 2].map((i) => cards.nth(i).boundingBox()));
    expect(a && b && c).toBeTruthy();
    expect(Math.abs(a!.y - b!.y)).toBeLessThan(1);
    expect(b!.x).toBeGreaterThan(a!.x + a!.width);
    expect(c!.y).toBeGreaterThan(a!.y + a!.height);
    expect(a!.x + a!.width * 2).toBeLessThanOrEqual(PHONE.width);

    const bytes = transferred.reduce((sum, r) => sum + r.bytes, 0);
    expect(transferred.map((r) => new URL(r.url).pathname)).toEqual(['/s/lin_xiaoyu']);
    expect(bytes).toBeLessThan(BUDGET_BYTES);
    await page.screenshot({ path: join(ARTIFACTS, 'showcase-phone.png'), fullPage: true });
  });

  it('takes the shopper through the tracked link when a card is tapped', async () => {
    const page = await phonePage();
    await page.goto(`${server.url}/s/lin_xiaoyu`);
    const [tracked] = await Promise.all([page.waitForRequest((request) => new URL(request.url()).pathname.startsWith('/r/')), page.locator('a.card').first().tap()]);
    expect(tracked.url()).toBe(`${server.url}/r/${codes[0]}`);
    await page.waitForURL(`${merchant.origin}/**`);
    const landed = new URL(page.url());
    expect(landed.pathname).toBe('/item/1000.html');
    expect(landed.searchParams.get('subUnionId')).toMatch(/^clk_[A-Za-z0-9]+$/);
    expect(await page.locator('p').innerText()).toBe('merchant');
  });

  it('is in English with ?lang=en or an English browser, with a switch back to Chinese', async () => {
    const page = await phonePage();
    await page.goto(`${server.url}/s/lin_xiaoyu?lang=en`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('header').innerText()).toContain('@lin_xiaoyu · 4 products');
    expect(await page.locator('a.card').first().locator('.cpn .tag').innerText()).toBe('¥10 off');
    expect(await page.locator('a.card').first().locator('.cpn').textContent()).toBe('¥10 offon orders from ¥59');
    expect(await page.locator('a.card').first().locator('.lbl').innerText()).toBe('With coupon');
    await page.screenshot({ path: join(ARTIFACTS, 'showcase-phone-en.png'), fullPage: true });

    await page.locator('a.lang').tap();
    await page.waitForURL(/lang=zh/);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    const english = await phonePage({ locale: 'en-US' });
    await english.goto(`${server.url}/s/lin_xiaoyu`);
    expect(await english.locator('html').getAttribute('lang')).toBe('en');
    expect(await english.locator('a.lang').innerText()).toBe('中文');
  });

  it('opens the share box without a script and shows the QR code of the page', async () => {
    const page = await phonePage();
    await page.goto(`${server.url}/s/lin_xiaoyu`);
    const qr = page.locator('.share img');
    expect(await qr.isVisible()).toBe(false);
    await page.locator('.share summary').tap();
    expect(await qr.isVisible()).toBe(true);
    await page.waitForFunction(() => ((document.querySelector('.share img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0, undefined, { timeout: 5_000 });
    expect(await page.locator('.share .url').innerText()).toBe(`${server.url}/s/lin_xiaoyu`);
  });

  it('greets an empty showcase with a friendly note, and an unknown handle with a 404 page', async () => {
    const page = await phonePage();
    await page.goto(`${server.url}/s/newcomer`);
    expect(await page.locator('a.card').count()).toBe(0);
    expect(await page.locator('main h2').innerText()).toBe('橱窗还在布置中');
    await page.screenshot({ path: join(ARTIFACTS, 'showcase-phone-empty.png'), fullPage: true });

    const missing = await page.goto(`${server.url}/s/nobody_here`);
    expect(missing?.status()).toBe(404);
    expect(missing?.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(await page.locator('h1').innerText()).toBe('找不到这个橱窗');
  });
});

describe('GET /s/:handle over HTTP', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    const db = server.db.kysely;
    const creator = await createUser(db, { role: 'creator', email: 'x@example.cn', password: 'password1', name: '<script>alert("name")</script>', handle: 'tricky' });
    const source = await createSource(db, { kind: 'platform', name: '拼多多', platform: 'pdd' });
    const evil = { ...productInput(PRODUCTS[0]!, 0, 'https://item.pdd.example'), title: '<script>alert("title")</script>充电宝', images: ['https://img.vitrine.example/og.jpg'] };
    await importProducts(db, rowsOf([evil]), { source, format: 'jsonl', mode: 'incremental' });
    const product = await db.selectFrom('products').select('id').executeTakeFirstOrThrow();
    const item = await addItem(db, creator, product.id);
    await updateItem(db, creator, item.id, { recommendation: '<img src=x onerror=alert(1)>' });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers HTML, cacheable for a minute, with every user-supplied string escaped', async () => {
    const r = await server.call('GET', '/s/tricky');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('public, max-age=60');
    expect(r.headers.get('vary')).toContain('Accept-Language');
    const html = r.body as string;
    expect(html).not.toMatch(/<script|<img src=x/i);
    expect(html).toContain('&#60;script&#62;alert(&#34;title&#34;)&#60;/script&#62;充电宝');
    expect(html).toContain('<h1>&#60;script&#62;alert(&#34;name&#34;)&#60;/script&#62;</h1>');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });

  it('gives Open Graph tags with the absolute URL the shopper used, behind a proxy too', async () => {
    const r = await server.call('GET', '/s/TRICKY', { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.vitrine.example' } });
    expect(r.status).toBe(200);
    const html = r.body as string;
    expect(html).toContain('<meta property="og:url" content="https://shop.vitrine.example/s/tricky">');
    expect(html).toContain('<meta property="og:image" content="https://img.vitrine.example/og.jpg">');
    expect(html).toContain('<meta property="og:type" content="website">');
  });

  it('picks English from Accept-Language, Chinese otherwise', async () => {
    expect((await server.call('GET', '/s/tricky', { headers: { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' } })).body).toContain('<html lang="en">');
    expect((await server.call('GET', '/s/tricky', { headers: { 'accept-language': 'zh-TW,zh;q=0.9,en;q=0.8' } })).body).toContain('<html lang="zh-CN">');
    expect((await server.call('GET', '/s/tricky?lang=fr&page=abc')).body).toContain('<html lang="zh-CN">');
  });

  it('answers an unknown or impossible handle with a 404 HTML page, not JSON', async () => {
    for (const path of ['/s/nobody_here', '/s/%3Cscript%3E']) {
      const r = await server.call('GET', path);
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.body).toContain('<h1>找不到这个橱窗</h1>');
      expect(r.body).not.toContain('<script');
    }
  });

  it('draws the QR code of the showcase URL as SVG', async () => {
    const r = await server.call('GET', '/s/tricky/qr.svg', { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.vitrine.example' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(r.body).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(r.body).toBe(await qrSvg('https://shop.vitrine.example/s/tricky'));
    expect((await server.call('GET', '/s/nobody_here/qr.svg')).status).toBe(404);
  });
});

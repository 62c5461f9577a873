import { describe, expect, it } from 'vitest';
import { generateCatalogue } from '../pool/catalogue/generate.ts';
import { pickLanguage } from './i18n-public.ts';
import { absoluteImageUrl, escapeHtml, formatPrice, renderNotFoundPage, renderShowcasePage, SHOWCASE_PAGE_SIZE } from './public-page.ts';
import type { PublicShowcase } from './service.ts';

type Item = PublicShowcase['items'][number];

const PAGE_URL = 'https://vitrine.example/s/lin_xiaoyu';

function item(overrides: Partial<Item> = {}): Item {
  return {
    id: 'item_1',
    title: '小米充电宝 20000mAh 快充',
    image: 'https://img.vitrine.example/powerbank.jpg',
    priceMinor: 8900,
    finalPriceMinor: 7900,
    currency: 'CNY',
    coupon: { amountMinor: 1000, thresholdMinor: 5900 },
    recommendation: '出差必带，一次能充满两台手机',
    linkCode: 'Ab3dE5fG',
    platform: 'jd',
    sourceName: '京东联盟',
    ...overrides,
  };
}

function showcase(items: Item[], creator = { name: '林小鱼', handle: 'lin_xiaoyu' }): PublicShowcase {
  return { creator, items };
}

function render(items: Item[], lang: 'zh' | 'en' = 'zh', page?: number): string {
  return renderShowcasePage(showcase(items), { lang, pageUrl: PAGE_URL, page });
}

function meta(html: string, property: string): string | undefined {
  return new RegExp(`<meta property="${property}" content="([^"]*)">`).exec(html)?.[1];
}

function cards(html: string): string[] {
  return html.match(/<li><a class="card"[\s\S]*?<\/a><\/li>/g) ?? [];
}

/** A showcase of `n` products as the demo catalogue makes them, each with a coupon and a recommendation. */
function realisticItems(n: number): Item[] {
  return [...generateCatalogue(n, 20261124)].map((p, i) => ({
    id: `item_${i}`,
    title: p.title,
    image: p.images[0] ?? null,
    priceMinor: p.priceMinor,
    finalPriceMinor: Math.max(0, p.priceMinor - 500),
    currency: p.currency,
    coupon: { amountMinor: 500, thresholdMinor: 3900 },
    recommendation: '自用三个月，做工扎实，学生党也买得起，闭眼入',
    linkCode: `Lk${String(i).padStart(6, '0')}`,
    platform: 'pdd',
    sourceName: '拼多多 多多进宝',
  }));
}

describe('formatPrice', () => {
  it('writes whole yuan without decimals and cents with two digits', () => {
    expect(formatPrice(8900, 'CNY')).toBe('¥89');
    expect(formatPrice(5990, 'CNY')).toBe('¥59.90');
    expect(formatPrice(5, 'CNY')).toBe('¥0.05');
    expect(formatPrice(0, 'CNY')).toBe('¥0');
    expect(formatPrice(1_234_567_801, 'CNY')).toBe('¥12345678.01');
  });

  it('uses the symbol of the currency, or its code when it has none', () => {
    expect(formatPrice(1999, 'USD')).toBe('$19.99');
    expect(formatPrice(1000, 'SGD')).toBe('SGD 10');
  });
});

describe('the public showcase page', () => {
  it('links every whole card to its tracked link, marked nofollow', () => {
    const html = render([item(), item({ id: 'item_2', linkCode: 'Zz9yY8xX' })]);
    const found = cards(html);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^<li><a class="card" href="\/r\/Ab3dE5fG" rel="nofollow">/);
    expect(found[1]).toMatch(/^<li><a class="card" href="\/r\/Zz9yY8xX" rel="nofollow">/);
  });

  it('shows the image lazily with its size and the title as alt, the title, recommendation, source and final price', () => {
    const [card] = cards(render([item()]));
    expect(card).toContain('<img src="https://img.vitrine.example/powerbank.jpg" alt="小米充电宝 20000mAh 快充" width="400" height="400" loading="lazy">');
    expect(card).toContain('<h2>小米充电宝 20000mAh 快充</h2>');
    expect(card).toContain('<p class="rec">出差必带，一次能充满两台手机</p>');
    expect(card).toContain('<span class="src">京东</span>');
    expect(card).toContain('<span class="lbl">券后</span><b><i>¥</i>79</b><s>¥89</s>');
  });

  it('writes the coupon in Chinese as 券 ¥10 with its threshold, or as having none', () => {
    expect(render([item()])).toContain('<p class="cpn"><span class="tag">券 ¥10</span>满¥59可用</p>');
    expect(render([item({ coupon: { amountMinor: 350, thresholdMinor: 0 } })])).toContain('<span class="tag">券 ¥3.50</span>无门槛');
  });

  it('shows no coupon and no struck price when there is no discount', () => {
    const [card] = cards(render([item({ coupon: null, finalPriceMinor: 8900 })]));
    expect(card).not.toContain('class="cpn"');
    expect(card).not.toContain('</s>');
    expect(card).toContain('<span class="lbl">到手价</span><b><i>¥</i>89</b>');
  });

  it('names the store when the product has no platform', () => {
    expect(render([item({ platform: null, sourceName: '好物优选旗舰店' })])).toContain('<span class="src">好物优选旗舰店</span>');
  });

  it('escapes every string a creator or a source supplied', () => {
    const evil = '<script>alert(1)</script>"\'&';
    const html = renderShowcasePage(
      showcase([item({ title: evil, recommendation: evil, sourceName: evil, platform: null, image: `https://img.example/a.jpg?x="><script>alert(1)</script>` })], { name: evil, handle: 'lin_xiaoyu' }),
      { lang: 'zh', pageUrl: PAGE_URL },
    );
    expect(html).not.toContain('<script');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#38;');
    expect(html).toContain('alt="&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#38;"');
  });

  it('loads no script at all', () => {
    expect(render([item()])).not.toMatch(/<script|\son[a-z]+=/i);
  });

  it('refuses image URLs that are not http(s), and shows a placeholder instead', () => {
    const [card] = cards(render([item({ image: 'javascript:alert(1)' })]));
    expect(card).not.toContain('javascript:');
    expect(card).toContain('<span class="noimg" role="img" aria-label="小米充电宝 20000mAh 快充"></span>');
    expect(absoluteImageUrl('//img.alicdn.com/a.jpg', PAGE_URL)).toBe('https://img.alicdn.com/a.jpg');
    expect(absoluteImageUrl('/uploads/a.jpg', PAGE_URL)).toBe('https://vitrine.example/uploads/a.jpg');
    expect(absoluteImageUrl('data:image/png;base64,AAAA', PAGE_URL)).toBeNull();
  });

  it('has a viewport, the language and Open Graph tags with the absolute URL and the first image', () => {
    const html = render([item({ image: null }), item({ id: 'item_2', image: '//img.vitrine.example/second.jpg' })]);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">');
    expect(html).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(meta(html, 'og:type')).toBe('website');
    expect(meta(html, 'og:title')).toBe('林小鱼的橱窗');
    expect(meta(html, 'og:description')).toBe('林小鱼精选的 2 件好物，点开即可购买。');
    expect(meta(html, 'og:url')).toBe(PAGE_URL);
    expect(meta(html, 'og:image')).toBe('https://img.vitrine.example/second.jpg');
    expect(html).toContain('<title>林小鱼的橱窗</title>');
  });

  it('heads the page with the creator, their handle, the product count and a share/QR hint', () => {
    const html = render([item()]);
    expect(html).toContain('<h1>林小鱼</h1><p>@lin_xiaoyu · 1 件好物</p>');
    expect(html).toContain('<summary>分享 · 二维码</summary>');
    expect(html).toContain('<img src="/s/lin_xiaoyu/qr.svg"');
    expect(html).toContain(`<p class="url">${PAGE_URL}</p>`);
  });

  it('is in English when asked, with a switch back to Chinese', () => {
    const html = render([item()], 'en');
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain('<span class="tag">¥10 off</span>on orders from ¥59');
    expect(html).toContain('<span class="lbl">With coupon</span>');
    expect(meta(html, 'og:title')).toBe('林小鱼&#39;s showcase');
    expect(html).toContain('<a class="lang" href="?lang=zh" hreflang="zh-CN" lang="zh-CN">中文</a>');
    expect(render([item()], 'zh')).toContain('<a class="lang" href="?lang=en" hreflang="en" lang="en">English</a>');
  });

  it('shows a friendly empty state when the showcase has no products', () => {
    const html = render([]);
    expect(cards(html)).toHaveLength(0);
    expect(html).toContain('<h2>橱窗还在布置中</h2><p>@lin_xiaoyu 还没有上架商品，过几天再来看看吧。</p>');
    expect(meta(html, 'og:image')).toBeUndefined();
    expect(render([], 'en')).toContain('This showcase is still being set up');
  });

  it('stays under 50 KB for a showcase of 100 realistic products, each with a coupon and a recommendation', () => {
    const html = render(realisticItems(100));
    expect(cards(html)).toHaveLength(SHOWCASE_PAGE_SIZE);
    expect(Buffer.byteLength(html)).toBeLessThan(50 * 1024);
    expect(Buffer.byteLength(render(realisticItems(100), 'en', 2))).toBeLessThan(50 * 1024);
  });

  it('pages a larger showcase by 48 with previous/next links that keep the language', () => {
    const items = realisticItems(130);
    const first = render(items, 'zh');
    expect(SHOWCASE_PAGE_SIZE).toBe(48);
    expect(cards(first)).toHaveLength(48);
    expect(first).toContain('<a href="?page=2&amp;lang=zh" rel="next">下一页</a>');
    expect(first).toContain('<span>第 1 / 3 页</span>');
    expect(first).not.toContain('rel="prev"');
    const last = render(items, 'en', 3);
    expect(cards(last)).toHaveLength(34);
    expect(cards(last)[0]).toContain('href="/r/Lk000096"');
    expect(last).toContain('<a href="?page=2&amp;lang=en" rel="prev">Previous</a>');
    expect(last).toContain('<a class="lang" href="?lang=zh&amp;page=3"');
    expect(meta(last, 'og:url')).toBe(PAGE_URL);
    expect(cards(render(items, 'zh', 99))).toHaveLength(34);
    expect(render(realisticItems(48))).not.toContain('class="pager"');
  });
});

describe('the not-found page', () => {
  it('says the showcase does not exist, escaping the handle asked for', () => {
    const html = renderNotFoundPage('<script>x</script>', { lang: 'zh' });
    expect(html).toContain('<h1>找不到这个橱窗</h1>');
    expect(html).toContain('@&#60;script&#62;x&#60;/script&#62;');
    expect(html).not.toContain('<script');
    expect(renderNotFoundPage('nobody', { lang: 'en' })).toContain('<h1>Showcase not found</h1>');
  });
});

describe('pickLanguage', () => {
  it('takes ?lang= first, then the preferred of zh/en in Accept-Language, else Chinese', () => {
    expect(pickLanguage('en', 'zh-CN,zh;q=0.9')).toBe('en');
    expect(pickLanguage('zh', 'en-US')).toBe('zh');
    expect(pickLanguage(undefined, 'en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(pickLanguage(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(pickLanguage(undefined, 'fr-FR,zh;q=0.5,en;q=0.7')).toBe('en');
    expect(pickLanguage(undefined, 'zh;q=0,en;q=0.1')).toBe('en');
    expect(pickLanguage('fr', 'de')).toBe('zh');
    expect(pickLanguage(undefined, undefined)).toBe('zh');
  });
});

describe('escapeHtml', () => {
  it('leaves no character that can open a tag or close an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});

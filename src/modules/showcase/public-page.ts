import { PUBLIC_TEXT, type PublicLang, type PublicText } from './i18n-public.ts';
import type { PublicShowcase } from './service.ts';

/**
 * The public showcase page as one HTML string, rendered on the server without I/O: a shopper on
 * a slow phone sees and taps the products with no script, no web font and no stylesheet to fetch.
 * Every string a creator, a source or a URL supplied goes through escapeHtml.
 */

/**
 * Cards per page. A card with a coupon and a recommendation is about 700 bytes of HTML, so a page
 * of 48 (24 rows of two on a phone) stays under the 50 KB a slow phone should fetch before
 * images even with long titles; the rest is a tap away.
 */
export const SHOWCASE_PAGE_SIZE = 48;

const BRAND = '#c2410c';

const CURRENCY_SYMBOLS: Record<string, string> = { CNY: '¥', RMB: '¥', USD: '$', EUR: '€', GBP: '£', HKD: 'HK$' };

type Item = PublicShowcase['items'][number];

export interface ShowcasePageOptions {
  lang: PublicLang;
  /** The showcase's absolute canonical URL, without a query: https://host/s/handle. */
  pageUrl: string;
  /** 1-based; out-of-range pages show the nearest existing one. */
  page?: number;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * An amount of minor units as the shopper reads it, by integer arithmetic: 8900 -> "89",
 * 5990 -> "59.90", 5 -> "0.05". Only currencies with hundredths reach the pool.
 */
export function formatAmount(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const magnitude = Math.abs(Math.trunc(minor));
  const cents = magnitude % 100;
  const whole = (magnitude - cents) / 100;
  return cents === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(cents).padStart(2, '0')}`;
}

export function currencySymbol(currency: string): string {
  return CURRENCY_SYMBOLS[currency.toUpperCase()] ?? `${currency.toUpperCase()} `;
}

/** 8900 CNY -> "¥89", 5990 CNY -> "¥59.90". */
export function formatPrice(minor: number, currency: string): string {
  return minor < 0 ? `-${currencySymbol(currency)}${formatAmount(-minor)}` : `${currencySymbol(currency)}${formatAmount(minor)}`;
}

/**
 * An image URL a browser may load: absolute http(s), with protocol-relative URLs (common on
 * Chinese CDNs) taken as https and paths resolved against the page. Anything else (javascript:,
 * data:, garbage) is no image at all.
 */
export function absoluteImageUrl(raw: string | null, pageUrl: string): string | null {
  const trimmed = raw?.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed.startsWith('//') ? `https:${trimmed}` : trimmed, pageUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null; // not a URL: the card shows its placeholder
  }
}

export function renderShowcasePage(showcase: PublicShowcase, options: ShowcasePageOptions): string {
  const t = PUBLIC_TEXT[options.lang];
  const { creator, items } = showcase;
  const pages = Math.max(1, Math.ceil(items.length / SHOWCASE_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.trunc(options.page ?? 1)), pages);
  const shown = items.slice((page - 1) * SHOWCASE_PAGE_SIZE, page * SHOWCASE_PAGE_SIZE);
  const firstImage = items.map((i) => absoluteImageUrl(i.image, options.pageUrl)).find((url) => url !== null);
  const title = t.title(creator.name);
  const description = t.description(creator.name, items.length);
  const head = [
    `<meta name="description" content="${escapeHtml(description)}">`,
    `<link rel="canonical" href="${escapeHtml(page === 1 ? options.pageUrl : `${options.pageUrl}?page=${page}`)}">`,
    `<link rel="alternate" hreflang="zh-CN" href="${escapeHtml(options.pageUrl)}?lang=zh">`,
    `<link rel="alternate" hreflang="en" href="${escapeHtml(options.pageUrl)}?lang=en">`,
    `<meta property="og:type" content="website">`,
    `<meta property="og:site_name" content="Vitrine">`,
    `<meta property="og:locale" content="${t.ogLocale}">`,
    `<meta property="og:title" content="${escapeHtml(title)}">`,
    `<meta property="og:description" content="${escapeHtml(description)}">`,
    `<meta property="og:url" content="${escapeHtml(options.pageUrl)}">`,
    ...(firstImage ? [`<meta property="og:image" content="${escapeHtml(firstImage)}">`] : []),
  ].join('\n');
  const body = [
    header(showcase, t, options, page),
    items.length === 0
      ? emptyState(creator.handle, t)
      : `<main><ul class="grid">\n${shown.map((item) => card(item, t, options.pageUrl)).join('\n')}\n</ul>${pager(page, pages, t, options.lang)}</main>`,
    `<footer><p>${t.disclosure}</p><p>${t.poweredBy}</p></footer>`,
  ].join('\n');
  return htmlDocument(t, title, head, body);
}

/** The page for a handle nobody has: served with status 404. */
export function renderNotFoundPage(handle: string, options: { lang: PublicLang }): string {
  const t = PUBLIC_TEXT[options.lang];
  const body = `<main class="notice"><p class="code">404</p><h1>${t.notFoundTitle}</h1><p>${escapeHtml(t.notFoundBody(handle))}</p>${langSwitch(t, options.lang, 1)}</main>`;
  return htmlDocument(t, t.notFoundTitle, '<meta name="robots" content="noindex">', body);
}

function htmlDocument(t: PublicText, title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="${t.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>${escapeHtml(title)}</title>
<meta name="theme-color" content="${BRAND}">
<meta name="format-detection" content="telephone=no">
<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
${head}
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function header(showcase: PublicShowcase, t: PublicText, options: ShowcasePageOptions, page: number): string {
  const { name, handle } = showcase.creator;
  const initial = escapeHtml([...name.trim()][0] ?? '@');
  const qrSrc = `/s/${encodeURIComponent(handle)}/qr.svg`;
  return `<header>
<div class="bar"><span class="avatar" aria-hidden="true">${initial}</span><div class="who"><h1>${escapeHtml(name)}</h1><p>@${escapeHtml(handle)} · ${t.itemCount(showcase.items.length)}</p></div>${langSwitch(t, options.lang, page)}</div>
<details class="share"><summary>${t.shareSummary}</summary><div class="sharebox"><img src="${escapeHtml(qrSrc)}" width="144" height="144" alt="${escapeHtml(t.qrAlt(name))}" loading="lazy"><div><p>${t.shareHint}</p><p class="url">${escapeHtml(options.pageUrl)}</p></div></div></details>
</header>`;
}

function langSwitch(t: PublicText, lang: PublicLang, page: number): string {
  const other: PublicLang = lang === 'zh' ? 'en' : 'zh';
  const query = page > 1 ? `?lang=${other}&amp;page=${page}` : `?lang=${other}`;
  return `<a class="lang" href="${query}" hreflang="${PUBLIC_TEXT[other].htmlLang}" lang="${PUBLIC_TEXT[other].htmlLang}">${t.switchLabel}</a>`;
}

function sourceLabel(item: Item, t: PublicText): string {
  return (item.platform && t.platforms[item.platform]) || item.sourceName;
}

function card(item: Item, t: PublicText, pageUrl: string): string {
  const image = absoluteImageUrl(item.image, pageUrl);
  const picture = image
    ? `<img src="${escapeHtml(image)}" alt="${escapeHtml(item.title)}" width="400" height="400" loading="lazy">`
    : `<span class="noimg" role="img" aria-label="${escapeHtml(item.title)}"></span>`;
  const discounted = item.finalPriceMinor < item.priceMinor;
  const coupon = item.coupon
    ? `<p class="cpn"><span class="tag">${escapeHtml(t.couponAmount(formatPrice(item.coupon.amountMinor, item.currency)))}</span>${escapeHtml(
        item.coupon.thresholdMinor > 0 ? t.couponThreshold(formatPrice(item.coupon.thresholdMinor, item.currency)) : t.couponNoThreshold,
      )}</p>`
    : '';
  const recommendation = item.recommendation ? `<p class="rec">${escapeHtml(item.recommendation)}</p>` : '';
  const was = discounted ? `<s>${escapeHtml(formatPrice(item.priceMinor, item.currency))}</s>` : '';
  return (
    `<li><a class="card" href="/r/${escapeHtml(encodeURIComponent(item.linkCode))}" rel="nofollow">` +
    `<div class="pic">${picture}<span class="src">${escapeHtml(sourceLabel(item, t))}</span></div>` +
    `<div class="body"><h2>${escapeHtml(item.title)}</h2>${recommendation}${coupon}` +
    `<p class="price"><span class="lbl">${discounted ? t.afterCoupon : t.price}</span><b><i>${escapeHtml(currencySymbol(item.currency))}</i>${formatAmount(item.finalPriceMinor)}</b>${was}</p>` +
    `</div></a></li>`
  );
}

function pager(page: number, pages: number, t: PublicText, lang: PublicLang): string {
  if (pages === 1) return '';
  const link = (to: number, label: string, rel: string) => `<a href="?page=${to}&amp;lang=${lang}" rel="${rel}">${label}</a>`;
  return `<nav class="pager">${page > 1 ? link(page - 1, t.previous, 'prev') : '<span></span>'}<span>${t.pageOf(page, pages)}</span>${page < pages ? link(page + 1, t.next, 'next') : '<span></span>'}</nav>`;
}

function emptyState(handle: string, t: PublicText): string {
  return `<main class="notice"><svg width="72" height="72" viewBox="0 0 24 24" fill="none" stroke="${BRAND}" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M6 7h12l-1 13H7L6 7z"/><path d="M9 7a3 3 0 0 1 6 0"/></svg><h2>${t.emptyTitle}</h2><p>${escapeHtml(t.emptyBody(handle))}</p></main>`;
}

/** One brand colour (the console's vermilion), warm greys; two columns on a phone, more on wider screens. */
const STYLE = `
:root{--brand:${BRAND};--brand-strong:#9a3412;--brand-soft:#fff4ed;--ink:#1c1917;--ink-2:#44403c;--ink-3:#78716c;--line:#e7e5e4;--canvas:#f7f6f4}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--canvas);-webkit-font-smoothing:antialiased}
h1,h2,p{margin:0}
a{color:inherit;text-decoration:none}
:focus-visible{outline:2px solid var(--brand);outline-offset:2px}
header{background:linear-gradient(135deg,var(--brand),var(--brand-strong));color:#fff;padding:calc(16px + env(safe-area-inset-top)) 16px 12px}
.bar,.share,main,footer{max-width:1040px;margin:0 auto}
.bar{display:flex;align-items:center;gap:12px}
.avatar{flex:none;width:48px;height:48px;border-radius:50%;background:#fff;color:var(--brand);display:grid;place-items:center;font-size:22px;font-weight:700}
.who{flex:1;min-width:0}
.who h1{font-size:18px;line-height:1.3;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.who p{font-size:13px;opacity:.85}
.lang{flex:none;font-size:13px;padding:4px 12px;border:1px solid rgb(255 255 255/.6);border-radius:999px}
.share{margin-top:10px;font-size:13px}
.share summary{cursor:pointer;opacity:.9;width:max-content}
.sharebox{display:flex;gap:12px;align-items:center;margin-top:10px;padding:10px;background:#fff;color:var(--ink-2);border-radius:12px}
.sharebox img{flex:none}
.url{margin-top:4px;color:var(--ink-3);word-break:break-all;user-select:all}
main{padding:12px}
.grid{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:10px}
@media(min-width:640px){.grid{grid-template-columns:repeat(3,minmax(0,1fr))}}
@media(min-width:900px){.grid{grid-template-columns:repeat(4,minmax(0,1fr))}}
.card{display:flex;flex-direction:column;height:100%;background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 1px 2px rgb(28 25 23/.06),0 1px 3px rgb(28 25 23/.05)}
.card:active{transform:scale(.98)}
.pic{position:relative;display:block;aspect-ratio:1;background:var(--line)}
.pic img,.noimg{display:block;width:100%;height:100%;object-fit:cover}
.src{position:absolute;left:6px;top:6px;max-width:calc(100% - 12px);overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-size:11px;padding:1px 6px;border-radius:999px;background:rgb(28 25 23/.6);color:#fff}
.body{flex:1;display:flex;flex-direction:column;gap:5px;padding:8px 10px 10px}
.body h2{font-size:14px;font-weight:500;line-height:1.4;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.rec{font-size:12px;line-height:1.45;color:var(--brand-strong);background:var(--brand-soft);border-radius:6px;padding:4px 6px;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.rec::before{content:"“"}.rec::after{content:"”"}
.cpn{font-size:11px;color:var(--ink-3);display:flex;flex-wrap:wrap;align-items:center;gap:4px}
.tag{color:var(--brand);border:1px solid var(--brand);border-radius:4px;padding:0 4px;font-weight:600}
.price{margin-top:auto;display:flex;flex-wrap:wrap;align-items:baseline;gap:0 4px;color:var(--brand)}
.lbl{font-size:11px}
.price b{font-size:20px;line-height:1.2}
.price i{font-style:normal;font-size:13px}
.price s{font-size:11px;color:var(--ink-3)}
.pager{display:flex;justify-content:space-between;align-items:center;margin-top:16px;font-size:13px;color:var(--ink-3)}
.pager a{padding:8px 16px;border-radius:999px;background:#fff;color:var(--brand);border:1px solid var(--line)}
.notice{text-align:center;padding:56px 24px;color:var(--ink-2)}
.notice h1,.notice h2{font-size:18px;margin:12px 0 6px;color:var(--ink)}
.notice .code{font-size:56px;font-weight:700;color:var(--brand-soft);-webkit-text-stroke:2px var(--brand)}
.notice .lang{display:inline-block;margin-top:20px;color:var(--brand);border-color:var(--brand)}
footer{padding:8px 16px calc(24px + env(safe-area-inset-bottom));text-align:center;font-size:11px;color:var(--ink-3)}
`.trim();

/**
 * The words of the public showcase page, in Chinese (the default) and English, and the choice
 * between them. Kept apart from the console's catalogue: the page is rendered on the server and
 * must not pull the console's bundle of strings into every shopper's request.
 */

export type PublicLang = 'zh' | 'en';

export const PUBLIC_LANGS: readonly PublicLang[] = ['zh', 'en'];

export interface PublicText {
  htmlLang: string;
  ogLocale: string;
  /** The language switch names the *other* language, in that language. */
  switchLabel: string;
  title(name: string): string;
  description(name: string, count: number): string;
  itemCount(count: number): string;
  shareSummary: string;
  shareHint: string;
  qrAlt(name: string): string;
  couponAmount(amount: string): string;
  couponThreshold(threshold: string): string;
  couponNoThreshold: string;
  afterCoupon: string;
  price: string;
  previous: string;
  next: string;
  pageOf(page: number, pages: number): string;
  emptyTitle: string;
  emptyBody(handle: string): string;
  notFoundTitle: string;
  notFoundBody(handle: string): string;
  disclosure: string;
  poweredBy: string;
  platforms: Record<string, string>;
}

export const PUBLIC_TEXT: Record<PublicLang, PublicText> = {
  zh: {
    htmlLang: 'zh-CN',
    ogLocale: 'zh_CN',
    switchLabel: 'English',
    title: (name) => `${name}的橱窗`,
    description: (name, count) => (count > 0 ? `${name}精选的 ${count} 件好物，点开即可购买。` : `${name}的橱窗正在布置中。`),
    itemCount: (count) => `${count} 件好物`,
    shareSummary: '分享 · 二维码',
    shareHint: '截图或长按识别二维码，把这个橱窗分享给朋友。',
    qrAlt: (name) => `${name}的橱窗二维码`,
    couponAmount: (amount) => `券 ${amount}`,
    couponThreshold: (threshold) => `满${threshold}可用`,
    couponNoThreshold: '无门槛',
    afterCoupon: '券后',
    price: '到手价',
    previous: '上一页',
    next: '下一页',
    pageOf: (page, pages) => `第 ${page} / ${pages} 页`,
    emptyTitle: '橱窗还在布置中',
    emptyBody: (handle) => `@${handle} 还没有上架商品，过几天再来看看吧。`,
    notFoundTitle: '找不到这个橱窗',
    notFoundBody: (handle) => `没有名为 @${handle} 的创作者，请检查链接是否完整。`,
    disclosure: '通过本页链接购买，创作者可能获得佣金；价格与优惠以购买页面为准。',
    poweredBy: '由 Vitrine 提供',
    platforms: { pdd: '拼多多', jd: '京东', taobao: '淘宝', youzan: '有赞', weimob: '微盟', mokuai: '魔筷', dangdang: '当当' },
  },
  en: {
    htmlLang: 'en',
    ogLocale: 'en_US',
    switchLabel: '中文',
    title: (name) => `${name}'s showcase`,
    description: (name, count) => (count > 0 ? `${count} products picked by ${name}. Tap one to buy.` : `${name}'s showcase is being set up.`),
    itemCount: (count) => (count === 1 ? '1 product' : `${count} products`),
    shareSummary: 'Share · QR code',
    shareHint: 'Screenshot or scan the QR code to share this showcase with a friend.',
    qrAlt: (name) => `QR code of ${name}'s showcase`,
    couponAmount: (amount) => `${amount} off`,
    couponThreshold: (threshold) => `on orders from ${threshold}`,
    couponNoThreshold: 'no minimum',
    afterCoupon: 'With coupon',
    price: 'Price',
    previous: 'Previous',
    next: 'Next',
    pageOf: (page, pages) => `Page ${page} of ${pages}`,
    emptyTitle: 'This showcase is still being set up',
    emptyBody: (handle) => `@${handle} has not added any products yet. Come back in a few days.`,
    notFoundTitle: 'Showcase not found',
    notFoundBody: (handle) => `There is no creator called @${handle}. Check that the link is complete.`,
    disclosure: "The creator may earn a commission on purchases through this page; prices and coupons are as shown on the shop's page.",
    poweredBy: 'Powered by Vitrine',
    platforms: { pdd: 'Pinduoduo', jd: 'JD', taobao: 'Taobao', youzan: 'Youzan', weimob: 'Weimob', mokuai: 'Mokuai', dangdang: 'Dangdang' },
  },
};

function isPublicLang(value: string): value is PublicLang {
  return (PUBLIC_LANGS as readonly string[]).includes(value);
}

/**
 * The page's language: `?lang=` when it names one we have, else the first of zh/en in the
 * browser's Accept-Language by preference (q-value, then order), else Chinese.
 */
export function pickLanguage(queryLang: string | undefined, acceptLanguage: string | undefined): PublicLang {
  const asked = queryLang?.trim().toLowerCase().split('-')[0];
  if (asked && isPublicLang(asked)) return asked;
  const preferences = (acceptLanguage ?? '')
    .split(',')
    .map((entry, order) => {
      const [tag = '', ...params] = entry.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { primary: tag.split('-')[0] ?? '', weight: Number.isFinite(weight) ? weight : 0, order };
    })
    .filter((p) => p.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  return preferences.map((p) => p.primary).find(isPublicLang) ?? 'zh';
}

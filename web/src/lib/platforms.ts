/** The platforms a source can belong to, in the order the console lists them. */
export const PLATFORMS = ['pdd', 'jd', 'taobao', 'youzan', 'weimob', 'mokuai', 'dangdang'] as const;

/** Files every source can import: a merchant's own catalogue. */
export const FEED_FORMATS = ['csv', 'jsonl', 'google-merchant-xml', 'shopify-products-json'] as const;

/** Saved responses of the platform APIs, imported by the operator into a platform source. */
export const PLATFORM_FORMATS = ['pdd-goods-search', 'jd-goods-query', 'taobao-material-optional'] as const;

const FORMAT_OF_PLATFORM: Record<string, (typeof PLATFORM_FORMATS)[number]> = {
  pdd: 'pdd-goods-search',
  jd: 'jd-goods-query',
  taobao: 'taobao-material-optional',
};

/** A feed describes a whole catalogue (full sync); a platform response is one page of results (incremental). */
export function defaultModeOf(format: string): 'full' | 'incremental' {
  return (PLATFORM_FORMATS as readonly string[]).includes(format) ? 'incremental' : 'full';
}

/** The format a source most likely imports: its platform's saved response, else a CSV feed. */
export function defaultFormatFor(platform: string | null, formats: readonly string[]): string {
  const preferred = platform ? FORMAT_OF_PLATFORM[platform] : undefined;
  return preferred && formats.includes(preferred) ? preferred : 'csv';
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clickIdFromCustomParameters,
  clickParameterOf,
  clickParameterValue,
  clickUrl,
  clickUrlTemplate,
  linkCodeFrom,
  LINK_CODE_LENGTH,
  looksLikeLinkCode,
  MAX_REFERRER_LENGTH,
  referrerToStore,
  uaClassOf,
} from './rules.ts';

const CLICK = 'clk_01jd5x3k7q8w9e0r1t2y3u4i5o';

function withClick(productUrl: string, platform: string | null, clickId = CLICK, visitor = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6'): URL {
  return new URL(clickUrl(clickUrlTemplate(productUrl, clickParameterOf(platform)), clickParameterValue(platform, clickId, visitor)));
}

describe('link codes', () => {
  it('are nine base62 characters drawn from random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const code = linkCodeFrom(bytes);
        if (code !== null) expect(code).toMatch(/^[0-9A-Za-z]{9}$/);
      }),
    );
    expect(LINK_CODE_LENGTH).toBe(9);
  });

  it('skip the bytes that would make some characters likelier than others', () => {
    expect(linkCodeFrom(new Uint8Array([248, 255, 0, 1, 2, 3, 4, 5, 6, 7, 61]))).toBe('01234567z');
    expect(linkCodeFrom(new Uint8Array([62, 247, 124, 186]))).toBeNull();
  });

  it('are recognised by shape before any lookup', () => {
    expect(looksLikeLinkCode('aZ09xY12k')).toBe(true);
    expect(looksLikeLinkCode('../../etc')).toBe(false);
    expect(looksLikeLinkCode('abc')).toBe(false);
  });
});

describe('the click parameter of each source', () => {
  it('is custom_parameters on PDD, a JSON of uid and sid within the 64 bytes DDK allows', () => {
    const url = withClick('https://mobile.yangkeduo.com/goods.html?goods_id=1', 'pdd');
    const value = url.searchParams.get('custom_parameters')!;
    expect(JSON.parse(value)).toEqual({ uid: 'a1b2c3d4e5f6', sid: CLICK });
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(64);
    expect(clickIdFromCustomParameters(value)).toBe(CLICK);
  });

  it('is subUnionId on JD, external_id on Taobao and vt_click everywhere else', () => {
    expect(withClick('https://item.jd.com/100012043978.html', 'jd').searchParams.get('subUnionId')).toBe(CLICK);
    expect(withClick('https://uland.taobao.com/item/edetail?id=1', 'taobao').searchParams.get('external_id')).toBe(CLICK);
    for (const platform of ['youzan', 'weimob', 'mokuai', 'dangdang', null]) {
      expect(withClick('https://shop.example/p/1', platform).searchParams.get('vt_click')).toBe(CLICK);
    }
  });

  it('reads back only our click ids from custom_parameters', () => {
    expect(clickIdFromCustomParameters(CLICK)).toBe(CLICK);
    expect(clickIdFromCustomParameters('{"uid":"x"}')).toBeNull();
    expect(clickIdFromCustomParameters('{"uid":"x","sid":"session-9"}')).toBeNull();
    expect(clickIdFromCustomParameters('not json')).toBeNull();
  });
});

describe('attaching the click id to a product URL', () => {
  it('keeps the existing parameters exactly as written, and the fragment last', () => {
    const url = 'https://shop.example/p/1?a=1&sign=AbC%2Bx%3D%3D&q=%E5%85%85%E7%94%B5&empty=&flag#reviews';
    const out = clickUrl(clickUrlTemplate(url, 'vt_click'), CLICK);
    expect(out).toBe(`https://shop.example/p/1?a=1&sign=AbC%2Bx%3D%3D&q=%E5%85%85%E7%94%B5&empty=&flag&vt_click=${CLICK}#reviews`);
  });

  it('replaces a value of our parameter already in the URL instead of sending two', () => {
    const out = withClick('https://item.jd.com/1.html?subUnionId=old&x=1', 'jd');
    expect(out.searchParams.getAll('subUnionId')).toEqual([CLICK]);
    expect(out.searchParams.get('x')).toBe('1');
  });

  it('adds the link’s own parameters (a Taobao relationId) once, before the click id, dropping any value already there', () => {
    const url = 'https://uland.taobao.com/coupon/edetail?e=Qx4%2BTQ%3D%3D&relationId=1&traceId=2#top';
    const out = clickUrl(clickUrlTemplate(url, 'external_id', { relationId: '2712345678' }), CLICK);
    expect(out).toBe(`https://uland.taobao.com/coupon/edetail?e=Qx4%2BTQ%3D%3D&traceId=2&relationId=2712345678&external_id=${CLICK}#top`);
  });

  it('works on a URL with no query, an empty query or an empty fragment', () => {
    expect(clickUrl(clickUrlTemplate('https://shop.example/p/1', 'vt_click'), CLICK)).toBe(`https://shop.example/p/1?vt_click=${CLICK}`);
    expect(clickUrl(clickUrlTemplate('https://shop.example/p/1?#', 'vt_click'), CLICK)).toBe(`https://shop.example/p/1?vt_click=${CLICK}`);
  });

  it('preserves every other parameter and the fragment of any URL', () => {
    const key = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/).filter((k) => k !== 'vt_click');
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.string({ maxLength: 12 })), { maxLength: 6 }), fc.option(fc.stringMatching(/^[a-z0-9-]{1,10}$/)), (params, fragment) => {
        const original = new URL('https://shop.example/item');
        for (const [k, v] of params) original.searchParams.append(k, v);
        if (fragment) original.hash = fragment;
        const out = new URL(clickUrl(clickUrlTemplate(original.href, 'vt_click'), CLICK));
        expect(out.searchParams.get('vt_click')).toBe(CLICK);
        out.searchParams.delete('vt_click');
        expect([...out.searchParams]).toEqual([...original.searchParams]);
        expect(out.hash).toBe(original.hash);
        expect(out.pathname).toBe(original.pathname);
      }),
    );
  });
});

describe('visitor classes', () => {
  it('tells phones, tablets, desktops and bots apart', () => {
    expect(uaClassOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.40', false)).toBe('mobile');
    expect(uaClassOf('Mozilla/5.0 (Linux; Android 14; 2311DRK48C) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36', false)).toBe('mobile');
    expect(uaClassOf('Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', false)).toBe('tablet');
    expect(uaClassOf('Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/120 Safari/537.36', false)).toBe('tablet');
    expect(uaClassOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36', false)).toBe('desktop');
    expect(uaClassOf('Mozilla/5.0 (compatible; Googlebot/2.1)', true)).toBe('bot');
    expect(uaClassOf('SomethingElse/1.0', false)).toBe('unknown');
  });
});

describe('referrers', () => {
  it('are stored truncated, and absent as null', () => {
    expect(referrerToStore(undefined)).toBeNull();
    expect(referrerToStore('')).toBeNull();
    expect(referrerToStore(`https://v.douyin.com/${'x'.repeat(1000)}`)).toHaveLength(MAX_REFERRER_LENGTH);
  });
});

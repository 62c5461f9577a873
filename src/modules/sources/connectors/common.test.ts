import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  ConnectorError,
  parseChineseCount,
  parseDecimalScaled,
  postForm,
  rateToBps,
  ratingHundredths,
  shanghaiDateTimeToIso,
  shanghaiTimestamp,
  signHmacMd5,
  signingBase,
  signMd5,
  withRetry,
  yuanToFen,
} from './common.ts';

/** f fen written the way a platform writes yuan: "-12.05", "0.01", "59.90". */
function formatYuan(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

describe('yuanToFen', () => {
  it('converts the tricky amounts exactly', () => {
    expect(yuanToFen('59.90')).toBe(5990);
    expect(yuanToFen('0.01')).toBe(1);
    expect(yuanToFen(1.13)).toBe(113);
    expect(yuanToFen(0.29)).toBe(29);
    expect(yuanToFen(19.9)).toBe(1990);
    expect(yuanToFen('179')).toBe(17900);
    expect(yuanToFen('179.0')).toBe(17900);
    expect(yuanToFen(' 6.1 ')).toBe(610);
  });

  it('round-trips every whole number of fen written as a two-decimal yuan string', () => {
    fc.assert(fc.property(fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }), (fen) => yuanToFen(formatYuan(fen)) === fen));
  });

  it('round-trips yuan sent as JSON numbers', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (fen) => yuanToFen(JSON.parse(formatYuan(fen)) as number) === fen));
  });

  it('accepts extra decimals only when they are zeros', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 1, max: 6 }), (fen, zeros) => yuanToFen(`${formatYuan(fen)}${'0'.repeat(zeros)}`) === fen),
    );
  });

  it('rejects, never rounds, amounts finer than a fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 1, max: 9 }), (fen, digit) => {
        expect(() => yuanToFen(`${formatYuan(fen)}${digit}`)).toThrow(/more than 2 decimal places/);
      }),
    );
    expect(() => yuanToFen('0.005')).toThrow(RangeError);
    expect(() => yuanToFen(0.1 + 0.2)).toThrow(RangeError);
  });

  it('rejects what is not a plain decimal', () => {
    for (const bad of ['', 'abc', '1,299.00', '¥59.90', '.5', '5.', '1e3', '--1', null, undefined, true, Number.NaN, Infinity, 1e21, 1e-7]) {
      expect(() => yuanToFen(bad)).toThrow(RangeError);
    }
    expect(() => yuanToFen('99999999999999999.99')).toThrow(/out of range/);
  });
});

describe('rateToBps', () => {
  it('reads each platform unit into basis points', () => {
    expect(rateToBps(125, 'per_mille')).toBe(1250);
    expect(rateToBps('12.5', 'per_mille')).toBe(125);
    expect(rateToBps(20.5, 'percent')).toBe(2050);
    expect(rateToBps(50.0, 'percent')).toBe(5000);
    expect(rateToBps(0.6, 'percent')).toBe(60);
    expect(rateToBps('1550', 'hundredths_of_percent')).toBe(1550);
  });

  it('refuses a percent finer than a basis point', () => {
    expect(() => rateToBps(20.555, 'percent')).toThrow(RangeError);
    expect(() => rateToBps('13.5', 'hundredths_of_percent')).toThrow(RangeError);
  });
});

describe('parseDecimalScaled', () => {
  it('keeps the sign and never answers -0', () => {
    expect(parseDecimalScaled('-0.50', 2)).toBe(-50);
    expect(Object.is(parseDecimalScaled('-0.00', 2), 0)).toBe(true);
  });
});

describe('parseChineseCount', () => {
  it('reads the sales tips shoppers see', () => {
    expect(parseChineseCount('10万+')).toBe(100_000);
    expect(parseChineseCount('2.5万+')).toBe(25_000);
    expect(parseChineseCount('1.2万')).toBe(12_000);
    expect(parseChineseCount('3000+')).toBe(3000);
    expect(parseChineseCount('856')).toBe(856);
    expect(parseChineseCount('1亿+')).toBe(100_000_000);
    expect(parseChineseCount(4223)).toBe(4223);
  });

  it('rejects what is not a count', () => {
    for (const bad of ['很多', '-5', '10千+', 1.5, -3, '']) expect(() => parseChineseCount(bad)).toThrow(RangeError);
  });
});

describe('ratingHundredths', () => {
  it('rounds ten-thousandths of a point half up to hundredths on the 0–5 scale', () => {
    expect(ratingHundredths(48230)).toBe(482);
    expect(ratingHundredths(48250)).toBe(483);
    expect(ratingHundredths(50000)).toBe(500);
    expect(ratingHundredths(0)).toBe(0);
  });

  it('calls anything off the 0–5 scale unknown', () => {
    expect(ratingHundredths(50001)).toBeNull();
    expect(ratingHundredths(-1)).toBeNull();
    expect(ratingHundredths(4.8)).toBeNull();
  });
});

describe('Beijing time', () => {
  it('formats the gateway timestamp in UTC+8', () => {
    expect(shanghaiTimestamp(new Date('2026-11-24T16:30:05.123Z'))).toBe('2026-11-25 00:30:05');
  });

  it('reads Beijing dates and times as instants', () => {
    expect(shanghaiDateTimeToIso('2026-11-20')).toBe('2026-11-19T16:00:00.000Z');
    expect(shanghaiDateTimeToIso('2026-11-20 10:00:00')).toBe('2026-11-20T02:00:00.000Z');
    expect(shanghaiDateTimeToIso('2026-13-01')).toBeNull();
    expect(shanghaiDateTimeToIso('20/11/2026')).toBeNull();
  });
});

describe('signing', () => {
  const params = { method: 'taobao.tbk.dg.material.optional', app_key: '12345678', q: '女装', sign: 'IGNORED', empty: '' };

  it('concatenates key+value sorted by key, leaving out sign and empty values', () => {
    expect(signingBase(params)).toBe('app_key12345678methodtaobao.tbk.dg.material.optionalq女装');
  });

  it('signs md5 as upper(md5(secret + base + secret)) over UTF-8 (expected values computed with Python hashlib)', () => {
    expect(signMd5(params, 'helloworld')).toBe('3E6057B0F8021D8E6285EC37249DE01B');
    expect(signMd5(params, 'helloworld')).toBe(signMd5({ ...params, sign: 'other' }, 'helloworld'));
  });

  it('signs hmac as upper(hmac_md5(secret, base))', () => {
    expect(signHmacMd5(params, 'helloworld')).toBe('5A2EC19146FDF0D64F0B56277A7A2F63');
    expect(signHmacMd5(params, 'helloworld')).not.toBe(signMd5(params, 'helloworld'));
  });

  it('changes with any value or the secret', () => {
    expect(signMd5({ ...params, q: '男装' }, 'helloworld')).not.toBe(signMd5(params, 'helloworld'));
    expect(signMd5(params, 'other')).not.toBe(signMd5(params, 'helloworld'));
  });
});

describe('backoffMs', () => {
  const policy = { maxRetries: 5, minBackoffMs: 100, maxBackoffMs: 1000 };

  it('doubles per retry, keeps a random half, and is capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 0.999_999, noNaN: true }), (retry, r) => {
        const ceiling = Math.min(1000, 100 * 2 ** retry);
        const delay = backoffMs(retry, policy, () => r);
        return delay >= ceiling / 2 && delay <= ceiling;
      }),
    );
    expect(backoffMs(0, policy, () => 0)).toBe(50);
    expect(backoffMs(3, policy, () => 1)).toBe(800);
    expect(backoffMs(10, policy, () => 1)).toBe(1000);
  });
});

describe('withRetry', () => {
  const policy = { maxRetries: 2, minBackoffMs: 1, maxBackoffMs: 2 };
  const busy = () => new ConnectorError('taobao', '7', 'App Call Limited', 'rate_limited');

  it('retries rate limits until the call succeeds', async () => {
    let calls = 0;
    const result = await withRetry(async () => {
      calls += 1;
      if (calls < 3) throw busy();
      return 'ok';
    }, policy);
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('gives up after maxRetries with the last error', async () => {
    let calls = 0;
    const run = withRetry(async () => {
      calls += 1;
      throw busy();
    }, policy);
    await expect(run).rejects.toMatchObject({ code: '7', kind: 'rate_limited', message: 'taobao 7: App Call Limited (gave up after 2 retries)' });
    expect(calls).toBe(3);
  });

  it('fails at once on auth errors and on anything that is not a ConnectorError', async () => {
    let calls = 0;
    const auth = withRetry(async () => {
      calls += 1;
      throw new ConnectorError('jd', '12', '无效签名', 'auth');
    }, policy);
    await expect(auth).rejects.toMatchObject({ code: '12', retryable: false });
    expect(calls).toBe(1);
    await expect(withRetry(async () => Promise.reject(new TypeError('bug')), policy)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('postForm', () => {
  const answer = (status: number, body: string): typeof fetch => async () => new Response(body, { status });

  it('posts the parameters as a UTF-8 form', async () => {
    let seen: RequestInit | undefined;
    const spy: typeof fetch = async (_url, init) => {
      seen = init;
      return new Response('{"ok":true}');
    };
    await expect(postForm(spy, 'http://gw', { q: '女装 大码', page: '1' }, 'taobao')).resolves.toEqual({ ok: true });
    expect(seen?.method).toBe('POST');
    expect(new URLSearchParams(String(seen?.body)).get('q')).toBe('女装 大码');
  });

  it('classifies transport failures', async () => {
    await expect(postForm(answer(502, 'bad gateway'), 'http://gw', {}, 'pdd')).rejects.toMatchObject({ code: 'http_502', kind: 'unavailable' });
    await expect(postForm(answer(429, ''), 'http://gw', {}, 'pdd')).rejects.toMatchObject({ code: 'http_429', kind: 'rate_limited' });
    await expect(postForm(answer(403, ''), 'http://gw', {}, 'pdd')).rejects.toMatchObject({ code: 'http_403', kind: 'invalid_request' });
    await expect(postForm(answer(200, '<html>'), 'http://gw', {}, 'pdd')).rejects.toMatchObject({ code: 'bad_json', kind: 'bad_response' });
    const down: typeof fetch = async () => Promise.reject(new TypeError('fetch failed'));
    await expect(postForm(down, 'http://gw', {}, 'jd')).rejects.toMatchObject({ platform: 'jd', code: 'network', retryable: true });
  });
});

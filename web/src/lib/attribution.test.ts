import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import zh from '../i18n/zh.json';
import { attributionReasons } from './attribution';

const lookup = (catalogue: object, key: string): unknown => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue);

describe('attributionReasons', () => {
  it('names both rules an unattributed order failed, in the order they are tried', () => {
    expect(attributionReasons({ kind: 'unattributed', clickRejected: 'click_expired', subIdRejected: 'sub_id_other_source' }).map((r) => r.key)).toEqual([
      'attributionWhy.clickRejections.click_expired',
      'attributionWhy.subIdRejections.sub_id_other_source',
    ]);
  });

  it('says which sub id credited an order and why its click was not used', () => {
    expect(attributionReasons({ kind: 'sub_id', creatorId: 'usr_1', subId: 'pos_9', clickRejected: 'click_other_source' })).toEqual([
      { key: 'attributionWhy.subId', values: { subId: 'pos_9' } },
      { key: 'attributionWhy.clickRejections.click_other_source' },
    ]);
  });

  it('tells a click on the product bought from a click on another product of the source', () => {
    expect(attributionReasons({ kind: 'click', creatorId: 'usr_1', clickId: 'clk_1', sameProduct: true })).toEqual([{ key: 'attributionWhy.click' }]);
    expect(attributionReasons({ kind: 'click', creatorId: 'usr_1', clickId: 'clk_1', sameProduct: false })).toEqual([{ key: 'attributionWhy.clickOtherProduct' }]);
  });

  it('gives a hand attribution its reason', () => {
    expect(attributionReasons({ kind: 'manual', creatorId: 'usr_1', reason: '买家截图', by: 'usr_op' })).toEqual([{ key: 'attributionWhy.manual', values: { reason: '买家截图' } }]);
  });

  it('says nothing of a detail it does not know, rather than something wrong', () => {
    for (const detail of [null, undefined, '{}', {}, { kind: 'other' }, { kind: 'unattributed', clickRejected: 'made_up', subIdRejected: 7 }, { kind: 'manual' }]) {
      expect(attributionReasons(detail)).toEqual([]);
    }
  });

  it('has a sentence in both catalogues for every key it can give', () => {
    const details = [
      ...['no_click_id', 'click_unknown', 'click_other_source', 'click_expired', 'click_after_order'].flatMap((c) =>
        ['no_sub_id', 'sub_id_unknown', 'sub_id_other_source'].map((s) => ({ kind: 'unattributed', clickRejected: c, subIdRejected: s })),
      ),
      { kind: 'sub_id', subId: 'p', clickRejected: 'no_click_id' },
      { kind: 'click', sameProduct: true },
      { kind: 'click', sameProduct: false },
      { kind: 'manual', reason: 'r' },
    ];
    const keys = new Set(details.flatMap((d) => attributionReasons(d).map((r) => r.key)));
    expect(keys.size).toBe(12);
    for (const key of keys) {
      expect(typeof lookup(zh, key), key).toBe('string');
      expect(typeof lookup(en, key), key).toBe('string');
    }
  });
});

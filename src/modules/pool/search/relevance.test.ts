import { describe, expect, it } from 'vitest';
import { FIXTURE_DOCS } from './fixtures.ts';
import { MemoryPoolIndex } from './memory-index.ts';

const index = new MemoryPoolIndex();
index.upsertMany(FIXTURE_DOCS);
const search = (q: string, limit = 10) => index.search({ q, sort: 'relevance', limit });

describe('relevance on a small Chinese pool', () => {
  it('iphone 15: the iPhone 15 phones first, then what fits them; never the iPhone 14', () => {
    const r = search('iphone 15');
    expect(new Set(r.productIds.slice(0, 2))).toEqual(new Set(['prd_ip15', 'prd_ip15pro']));
    expect(new Set(r.productIds.slice(2))).toEqual(new Set(['prd_ip15case', 'prd_pb_magsafe']));
    expect(search('iPhone15').productIds).toEqual(r.productIds);
  });

  it('充电宝 20000毫安: both spellings of 20000 mAh, not the 10000 mAh one', () => {
    expect(new Set(search('充电宝 20000毫安').productIds)).toEqual(new Set(['prd_pb_romoss', 'prd_pb_anker']));
    expect(new Set(search('20000mah').productIds)).toEqual(new Set(['prd_pb_romoss', 'prd_pb_anker']));
  });

  it('华为 mate60: the Huawei phones (Mate 60 and Mate60) above a case that fits them; not the Mate 50', () => {
    const r = search('华为 mate60');
    expect(new Set(r.productIds.slice(0, 2))).toEqual(new Set(['prd_mate60', 'prd_mate60b']));
    expect(r.productIds).toEqual(['prd_mate60b', 'prd_mate60', 'prd_mate60case']);
    expect(new Set(search('mate 60').productIds)).toEqual(new Set(r.productIds));
  });

  it('口红: the lipsticks and nothing else', () => {
    expect(new Set(search('口红').productIds)).toEqual(new Set(['prd_lip_ysl', 'prd_lip_mac', 'prd_lip_perfect']));
  });

  it('壳 (one character) finds the phone cases through 手机壳 and 软壳', () => {
    expect(new Set(search('壳').productIds)).toEqual(new Set(['prd_ip15case', 'prd_mate60case']));
  });

  it('面膜 补水: masks that hydrate, not the whitening mask nor the hydrating toner', () => {
    expect(new Set(search('面膜 补水').productIds)).toEqual(new Set(['prd_mask_hydra', 'prd_mask_sheet']));
    expect(new Set(search('补水面膜').productIds)).toEqual(new Set(['prd_mask_hydra', 'prd_mask_sheet']));
  });

  it('finds brands the general dictionary does not know, and by the brand field', () => {
    expect(search('兰蔻').productIds).toEqual(['prd_lancome']);
    expect(search('三只松鼠').productIds).toEqual(['prd_nuts']);
    expect(search('anker').productIds).toEqual(['prd_pb_anker']);
  });

  it('matches a category name at any level of the path', () => {
    expect(search('充电宝', 20).total).toBe(4);
    expect(search('数码', 20).total).toBe(FIXTURE_DOCS.filter((d) => d.categoryPath[0] === '数码').length);
  });

  it('falls back to any term when no product has them all', () => {
    const r = search('xyz 口红');
    expect(new Set(r.productIds)).toEqual(new Set(['prd_lip_ysl', 'prd_lip_mac', 'prd_lip_perfect']));
    expect(search('xyz').total).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { analyseQuery, indexTokens } from './tokenize.ts';

const required = (q: string) => analyseQuery(q).required.map((t) => t.text);

describe('tokenize', () => {
  it('lower-cases Latin and folds full-width forms', () => {
    expect(indexTokens('ＡＰＰＬＥ iPhone')).toEqual(['apple', 'iphone']);
  });

  it('analyses a title the same whether or not it needs folding or lower-casing', () => {
    for (const [plain, folded] of [
      ['华为 mate60 手机壳', '华为\tＭａｔｅ60\u3000手机壳'],
      ['兰蔻小黑瓶 精华 30ml【官方正品】', '兰蔻小黑瓶 精华 30ML【官方正品】'],
      ['适用iphone15 手机壳', '适用iPhone15\u00a0手机壳'],
    ]) {
      expect(indexTokens(folded!)).toEqual(indexTokens(plain!));
    }
  });

  it('gives a number with a unit one canonical token, whatever the spelling', () => {
    for (const title of ['20000mAh', '20000 mAh', '20000毫安', '20000毫安时', '２００００ＭＡＨ']) {
      expect(indexTokens(title)).toContain('20000mah');
    }
    expect(indexTokens('256GB')).toEqual(expect.arrayContaining(['256gb', '256', 'gb']));
    expect(indexTokens('500毫升')).toContain('500ml');
    expect(required('20000毫安')).toEqual(['20000mah']);
    expect(required('毫安')).toEqual(['mah']);
  });

  it('makes the tokens spanning two pieces at their boundary', () => {
    expect(indexTokens('充电宝 20000 mAh')).toContain('20000mah');
    expect(indexTokens('手机 Mate 60 Pro')).toContain('mate60');
    expect(indexTokens('手机 60 Pro')).toEqual(['手机', '60', 'pro']);
  });

  it('splits letter-digit runs and keeps the joined forms in the index', () => {
    expect(indexTokens('Mate60')).toEqual(expect.arrayContaining(['mate60', 'mate', '60']));
    expect(indexTokens('Mate 60')).toEqual(expect.arrayContaining(['mate', '60', 'mate60']));
    expect(analyseQuery('mate60')).toEqual({ required: [{ text: 'mate', match: 'exact' }, { text: '60', match: 'exact' }], boosts: ['mate60'] });
    expect(analyseQuery('mate 60').boosts).toEqual(['mate60']);
  });

  it('does not join a model name with the number of a following unit', () => {
    expect(indexTokens('Pro 256GB')).not.toContain('pro256');
  });

  it('segments Chinese with jieba, in search mode for the index', () => {
    expect(indexTokens('罗马仕充电宝大容量')).toEqual(expect.arrayContaining(['罗马仕', '充电宝', '容量', '大容量']));
    expect(required('大容量充电宝')).toEqual(['大容量', '充电宝']);
  });

  it('marks one-character Chinese query terms to match longer terms, words to fall back when unknown', () => {
    expect(analyseQuery('壳').required).toEqual([{ text: '壳', match: 'char' }]);
    expect(analyseQuery('手机壳').required).toEqual([{ text: '手机壳', match: 'word' }]);
    expect(analyseQuery('iphone').required).toEqual([{ text: 'iphone', match: 'exact' }]);
  });

  it('drops stop words and punctuation', () => {
    expect(required('手机的壳!!')).toEqual(['手机', '壳']);
    expect(required('，。！')).toEqual([]);
  });
});

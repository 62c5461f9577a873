import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import zh from '../i18n/zh.json';
import { ApiError } from './api';
import { apiErrorText } from './errors';

let zhT: TFunction;
let enT: TFunction;

beforeAll(async () => {
  const make = async (lng: string) => {
    const instance = i18next.createInstance();
    await instance.init({ resources: { 'zh-CN': { translation: zh }, en: { translation: en } }, lng, fallbackLng: 'zh-CN', interpolation: { escapeValue: false } });
    return instance.t;
  };
  zhT = await make('zh-CN');
  enT = await make('en');
});

describe("an API refusal in the reader's language", () => {
  it("says a known code in the console's words, not the server's English", () => {
    const taken = new ApiError(409, 'handle_taken', 'handle lin_xiaoyu is taken');
    expect(apiErrorText(zhT, taken)).toBe('这个主页标识已被占用，请换一个。');
    expect(apiErrorText(enT, taken)).toBe('That handle is taken; choose another.');
  });

  it("keeps the server's words for a code it does not know, and ours when there are none", () => {
    expect(apiErrorText(zhT, new ApiError(409, 'something_new', 'a new refusal'))).toBe('a new refusal');
    expect(apiErrorText(zhT, new ApiError(502, 'http_502', ''))).toBe(zh.common.unknownError);
    expect(apiErrorText(zhT, new ApiError(0, 'network_error', ''))).toBe(zh.common.networkError);
  });

  it("prefers the page's own words: a 401 on the sign-in page is a wrong password, elsewhere a session to renew", () => {
    const refused = new ApiError(401, 'unauthorized', 'Wrong email or password');
    expect(apiErrorText(zhT, refused, 'login')).toBe('邮箱或密码错误。');
    expect(apiErrorText(zhT, refused)).toBe(zh.apiErrors.unauthorized);
    const low = new ApiError(422, 'below_minimum', 'amount 100 is below the minimum withdrawal 1000', { minimum: 1000 });
    expect(apiErrorText(zhT, low, 'withdraw', { minimum: '¥10.00' })).toContain('¥10.00');
  });

  it("fills in what the server sent beside the code: the field a 400 is about, a stopped run's lines and why, a file's fault", () => {
    const invalid = new ApiError(400, 'invalid_input', 'invalid body: /payee_name Too small', undefined, [{ path: '/payee_name', message: 'Too small' }]);
    expect(apiErrorText(zhT, invalid)).toBe('提交的内容有误（payee_name），请检查后重试。');
    expect(apiErrorText(enT, invalid)).toBe('Something you sent is not valid (payee_name); check it and try again.');
    expect(apiErrorText(zhT, new ApiError(400, 'invalid_input', 'invalid body', undefined, [{ path: '/', message: 'bad' }]))).toBe('提交的内容有误，请检查后重试。');
    const stopped = new ApiError(500, 'settlement_stopped', 'the settlement run stopped after 3 lines: disk full; run it again to resume where it stopped', { settlement_id: 'stl_1', lines: 3, reason: 'disk full' });
    expect(apiErrorText(zhT, stopped)).toBe('结算在处理 3 行后停止了（disk full），再次运行即可从停止处继续。');
    const unreadable = new ApiError(400, 'malformed_file', 'CSV header is missing required column(s): price');
    expect(apiErrorText(zhT, unreadable)).toBe('文件无法读取：CSV header is missing required column(s): price');
    const broken = new ApiError(500, 'internal_error', 'something went wrong', undefined, undefined, 'req_42');
    expect(apiErrorText(zhT, broken)).toContain('req_42');
  });

  it('names only codes the server sends, so a misspelt one cannot fall back to English unnoticed', () => {
    const server = sourcesUnder(join(__dirname, '../../../src')).map((file) => readFileSync(file, 'utf8')).join('\n');
    const unknown = Object.keys(zh.apiErrors).filter((code) => !server.includes(`'${code}'`));
    expect(unknown).toEqual([]);
  });
});

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

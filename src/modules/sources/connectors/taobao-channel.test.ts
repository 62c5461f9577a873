import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError, signMd5 } from './common.ts';
import { recordingFetch } from './fake/server.ts';
import { startFakeTaobaoChannels, type FakeTaobaoChannels } from './fake/taobao-channels.ts';
import { registerTaobaoChannel, TAOBAO_AUTHORIZE_URL, taobaoAuthorizeUrl, taobaoSessionOfCode } from './taobao-channel.ts';
import { TAOBAO_GATEWAY_URL } from './taobao.ts';

const CREDENTIALS = { appKey: '12345678', appSecret: 'taobao-secret-0001' };
const INVITER_CODE = 'A7UV3Q';
const CALLBACK = 'https://vitrine.example/api/positions/taobao-channel/callback';

describe('Taobao channel registration (渠道备案) against a fake of TOP and its OAuth page', () => {
  let taobao: FakeTaobaoChannels | undefined;
  afterEach(async () => {
    await taobao?.close();
    taobao = undefined;
  });

  /** Follows the authorise URL as the creator's browser would, to the callback: the code it carries. */
  async function authorised(state = 'st'): Promise<URL> {
    const response = await fetch(taobaoAuthorizeUrl({ ...CREDENTIALS, redirectUri: CALLBACK, state, baseUrl: taobao!.url }), { redirect: 'manual' });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  it('sends the creator to Taobao’s OAuth page for a code, or to the sandbox’s or fake’s own', () => {
    const real = new URL(taobaoAuthorizeUrl({ ...CREDENTIALS, redirectUri: CALLBACK, state: 'abc.def', baseUrl: null }));
    expect(`${real.origin}${real.pathname}`).toBe(TAOBAO_AUTHORIZE_URL);
    expect(Object.fromEntries(real.searchParams)).toEqual({ response_type: 'code', client_id: '12345678', redirect_uri: CALLBACK, state: 'abc.def', view: 'wap' });
    expect(taobaoAuthorizeUrl({ ...CREDENTIALS, redirectUri: CALLBACK, state: 's', baseUrl: TAOBAO_GATEWAY_URL })).toMatch(/^https:\/\/oauth\.taobao\.com\/authorize\?/);
    expect(taobaoAuthorizeUrl({ ...CREDENTIALS, redirectUri: CALLBACK, state: 's', baseUrl: 'https://gw.api.tbsandbox.com/router/rest' })).toMatch(/^https:\/\/gw\.api\.tbsandbox\.com\/authorize\?/);
  });

  it('exchanges the code for the session, signed, and registers the account: a relation id, the same one again when registered before', async () => {
    taobao = await startFakeTaobaoChannels({ ...CREDENTIALS, inviterCode: INVITER_CODE, nextAccount: () => '小鱼的淘宝' });
    const back = await authorised('state-1');
    expect(back.origin + back.pathname).toBe(CALLBACK);
    expect(back.searchParams.get('state')).toBe('state-1');
    const recording = recordingFetch();
    const call = { ...CREDENTIALS, baseUrl: taobao.url, fetch: recording.fetch };
    const session = await taobaoSessionOfCode(call, back.searchParams.get('code')!);
    expect(session).toEqual({ accessToken: expect.stringMatching(/^6200/), userNick: '小鱼的淘宝' });
    const channel = await registerTaobaoChannel(call, session.accessToken, INVITER_CODE, 'vitrine lin');
    expect(channel).toEqual({ relationId: '2712345700', accountName: '小鱼的淘宝', alreadyRegistered: false });
    expect(taobao.registrations).toEqual([{ account: '小鱼的淘宝', relationId: 2712345700, inviterCode: INVITER_CODE, note: 'vitrine lin' }]);
    // What went over the wire: TOP's system parameters, the business ones, and an md5 signature over them all.
    const sent = Object.fromEntries(recording.bodies[1]!);
    expect(sent).toMatchObject({ method: 'taobao.tbk.sc.publisher.info.save', app_key: '12345678', v: '2.0', format: 'json', sign_method: 'md5', session: session.accessToken, inviter_code: INVITER_CODE, info_type: '1' });
    const { sign, ...signedParams } = sent;
    expect(sign).toBe(signMd5(signedParams, CREDENTIALS.appSecret));

    const again = await taobaoSessionOfCode(call, (await authorised('state-2')).searchParams.get('code')!);
    expect(await registerTaobaoChannel(call, again.accessToken, INVITER_CODE, 'vitrine lin')).toEqual({ relationId: '2712345700', accountName: '小鱼的淘宝', alreadyRegistered: true });
  });

  it('says why Taobao refused: a code used twice, a wrong inviter code, an unknown session, a wrong secret', async () => {
    taobao = await startFakeTaobaoChannels({ ...CREDENTIALS, inviterCode: INVITER_CODE });
    const call = { ...CREDENTIALS, baseUrl: taobao.url, fetch };
    const code = (await authorised()).searchParams.get('code')!;
    const session = await taobaoSessionOfCode(call, code);
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof ConnectorError ? { kind: error.kind, message: error.message } : error));
    expect(await refusal(taobaoSessionOfCode(call, code))).toEqual({ kind: 'invalid_request', message: expect.stringContaining('isv.code-invalid') });
    expect(await refusal(registerTaobaoChannel(call, session.accessToken, 'WRONG1', 'n'))).toEqual({ kind: 'invalid_request', message: expect.stringContaining('邀请码不存在或已失效') });
    expect(await refusal(registerTaobaoChannel(call, 'not-a-session', INVITER_CODE, 'n'))).toEqual({ kind: 'auth', message: expect.stringContaining('Invalid session') });
    expect(await refusal(taobaoSessionOfCode({ ...call, appSecret: 'wrong' }, 'any'))).toEqual({ kind: 'auth', message: expect.stringContaining('Invalid signature') });
    expect(taobao.registrations).toEqual([]);
  });

  it('comes back with error=access_denied and no code when the creator declines', async () => {
    taobao = await startFakeTaobaoChannels({ ...CREDENTIALS, inviterCode: INVITER_CODE, refuse: true });
    const back = await authorised('s9');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();
    expect(back.searchParams.get('state')).toBe('s9');
  });
});

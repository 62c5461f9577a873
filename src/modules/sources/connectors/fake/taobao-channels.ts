import { TAOBAO_PUBLISHER_INFO_SAVE, TAOBAO_TOKEN_CREATE } from '../taobao-channel.ts';
import { digest } from './catalog.ts';
import { startFakeGateway, type FakeGateway, type FakeReply } from './server.ts';
import { taobaoErrorResponse, topGatewayError } from './taobao.ts';

/**
 * A fake of Taobao's side of 渠道备案: the OAuth page at `/authorize` (the user signs in and agrees
 * at once: a 302 back to redirect_uri with a code and the state, or with `error` when `refuse`), and
 * on the TOP gateway `taobao.top.auth.token.create` (a code once, for a session) and
 * `taobao.tbk.sc.publisher.info.save` (the session's account made a channel of the inviter code; a
 * relation id per account, the same one again with desc 重复绑定渠道).
 */
export interface FakeTaobaoChannelsOptions {
  appKey: string;
  appSecret: string;
  /** The 渠道邀请码 the Union account issued. */
  inviterCode: string;
  /** The account that signs in on the OAuth page next (a nickname); the default is one per visit. */
  nextAccount?: () => string;
  /** The user declines on the OAuth page. */
  refuse?: boolean;
}

export interface FakeTaobaoChannels extends FakeGateway {
  /** Registrations made, in order. */
  readonly registrations: { account: string; relationId: number; inviterCode: string; note: string }[];
  refuse: boolean;
}

export async function startFakeTaobaoChannels(options: FakeTaobaoChannelsOptions): Promise<FakeTaobaoChannels> {
  const codes = new Map<string, string>(); // code -> account
  const sessions = new Map<string, string>(); // access token -> account
  const relationIds = new Map<string, number>(); // account -> relation id
  const registrations: FakeTaobaoChannels['registrations'] = [];
  let visits = 0;
  const state = { refuse: options.refuse ?? false };
  const gateway = await startFakeGateway((params, _requestNo, path): FakeReply => {
    if (path === '/authorize') {
      if (params.client_id !== options.appKey) return { status: 400, body: 'client_id 无效' };
      if (params.response_type !== 'code' || !params.redirect_uri) return { status: 400, body: 'response_type 或 redirect_uri 无效' };
      const back = new URL(params.redirect_uri);
      back.searchParams.set('state', params.state ?? '');
      if (state.refuse) {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', 'authorize reject');
      } else {
        visits += 1;
        const code = `code${digest(`code-${visits}-${params.state}`).slice(0, 24)}`;
        codes.set(code, options.nextAccount?.() ?? `tb_creator_${visits}`);
        back.searchParams.set('code', code);
      }
      return { status: 302, body: '', headers: { location: back.toString() } };
    }
    const rejected = topGatewayError(params, options, params.method === TAOBAO_PUBLISHER_INFO_SAVE ? TAOBAO_PUBLISHER_INFO_SAVE : TAOBAO_TOKEN_CREATE);
    if (rejected) return ok(rejected);
    if (params.method === TAOBAO_TOKEN_CREATE) {
      const account = codes.get(params.code ?? '');
      if (account === undefined) return ok(taobaoErrorResponse(15, 'Remote service error', 'isv.code-invalid', 'the authorization code is invalid or was used'));
      codes.delete(params.code!);
      const accessToken = `6200${digest(`token-${params.code}`).slice(0, 28)}`;
      sessions.set(accessToken, account);
      const token = {
        w1_valid: 1795000000000,
        refresh_token_valid_time: 1795000000000,
        taobao_user_nick: encodeURIComponent(account),
        re_expires_in: 2592000,
        expire_time: 1795000000000,
        token_type: 'Bearer',
        access_token: accessToken,
        taobao_open_uid: `AAE${digest(account).slice(0, 20)}`,
        w1_expires_in: 86400,
        r1_expires_in: 86400,
        taobao_user_id: String(2_200_000_000 + account.length),
        expires_in: 86400,
        refresh_token: `6201${digest(`refresh-${params.code}`).slice(0, 28)}`,
      };
      return ok({ top_auth_token_create_response: { token_result: JSON.stringify(token), request_id: digest(accessToken).slice(0, 13) } });
    }
    const account = sessions.get(params.session ?? '');
    if (account === undefined) return ok(taobaoErrorResponse(27, 'Invalid session', 'invalid-sessionkey', 'SessionKey非法'));
    if (params.info_type !== '1' && params.info_type !== '2') return ok(taobaoErrorResponse(41, 'Invalid arguments:info_type'));
    if (params.inviter_code !== options.inviterCode) return ok(taobaoErrorResponse(15, 'Remote service error', 'isv.invalid-parameter', '邀请码不存在或已失效'));
    const already = relationIds.get(account);
    const relationId = already ?? 2_712_345_700 + relationIds.size;
    relationIds.set(account, relationId);
    registrations.push({ account, relationId, inviterCode: params.inviter_code, note: params.note ?? '' });
    return ok({
      tbk_sc_publisher_info_save_response: {
        data: { account_name: account, desc: already === undefined ? '绑定成功' : '重复绑定渠道', relation_id: relationId },
        request_id: digest(`${account}-${relationId}`).slice(0, 13),
      },
    });
  });
  return Object.defineProperties(gateway, {
    registrations: { value: registrations },
    refuse: { get: () => state.refuse, set: (value: boolean) => (state.refuse = value) },
  }) as FakeTaobaoChannels;
}

function ok(body: unknown): FakeReply {
  return { status: 200, body };
}

import { asRecord, ConnectorError } from './common.ts';
import { callTop, TAOBAO_GATEWAY_URL, topResponseBody, type TopCall } from './taobao.ts';

/**
 * Registering a creator as a channel (渠道备案) of the source's Taobao Union account, so that Taobao
 * issues their 渠道关系 id (relation_id) and reports it on the orders their links bring:
 *
 * 1. the creator authorises our app on Taobao's OAuth page (`response_type=code`), which sends
 *    them back to our callback with a code;
 * 2. `taobao.top.auth.token.create` exchanges the code for their session (access token);
 * 3. `taobao.tbk.sc.publisher.info.save` with that session and the source's 渠道邀请码
 *    (`inviter_code`, from 渠道管理 in the Union's back office), `info_type=1` (渠道), answers
 *    `data.relation_id`; registering again answers the same id, `desc` 重复绑定渠道.
 *
 * The session is used for that one call and not kept.
 */
export const TAOBAO_AUTHORIZE_URL = 'https://oauth.taobao.com/authorize';
export const TAOBAO_TOKEN_CREATE = 'taobao.top.auth.token.create';
export const TAOBAO_PUBLISHER_INFO_SAVE = 'taobao.tbk.sc.publisher.info.save';

/**
 * The page the creator is sent to. A connection with a gateway of its own (a sandbox, a fake) has
 * its OAuth page at that host's `/authorize`. `view=wap`: creators work on their phones.
 */
export function taobaoAuthorizeUrl(input: { appKey: string; redirectUri: string; state: string; baseUrl: string | null }): string {
  const page = input.baseUrl && input.baseUrl !== TAOBAO_GATEWAY_URL ? new URL('/authorize', input.baseUrl).toString() : TAOBAO_AUTHORIZE_URL;
  const query = new URLSearchParams({ response_type: 'code', client_id: input.appKey, redirect_uri: input.redirectUri, state: input.state, view: 'wap' });
  return `${page}?${query}`;
}

export interface TaobaoSession {
  accessToken: string;
  /** The Taobao account's nickname, when the token says it. */
  userNick: string | null;
}

/** Exchanges the code the OAuth page gave back for the user's session. */
export async function taobaoSessionOfCode(call: TopCall, code: string): Promise<TaobaoSession> {
  const body = topResponseBody(await callTop(call, TAOBAO_TOKEN_CREATE, { code }), 'top_auth_token_create_response');
  // token_result is a JSON document in a string.
  let token: Record<string, unknown>;
  try {
    token = asRecord(typeof body.token_result === 'string' ? JSON.parse(body.token_result) : body.token_result);
  } catch {
    throw new ConnectorError('taobao', 'bad_json', 'token_result is not JSON', 'bad_response');
  }
  if (typeof token.access_token !== 'string' || token.access_token === '') throw new ConnectorError('taobao', 'bad_json', 'token_result has no access_token', 'bad_response');
  return { accessToken: token.access_token, userNick: typeof token.taobao_user_nick === 'string' ? decodedNick(token.taobao_user_nick) : null };
}

/** Taobao sends the nickname URL-encoded. */
function decodedNick(nick: string): string {
  try {
    return decodeURIComponent(nick);
  } catch {
    return nick;
  }
}

export interface TaobaoChannel {
  relationId: string;
  /** 渠道昵称. */
  accountName: string | null;
  /** The account was a channel of this inviter already (重复绑定渠道): the id is the one it had. */
  alreadyRegistered: boolean;
}

/** Registers the session's account as a channel under the inviter code; its relation id. */
export async function registerTaobaoChannel(call: TopCall, session: string, inviterCode: string, note: string): Promise<TaobaoChannel> {
  const body = topResponseBody(await callTop(call, TAOBAO_PUBLISHER_INFO_SAVE, { session, inviter_code: inviterCode, info_type: '1', note }), 'tbk_sc_publisher_info_save_response');
  const data = asRecord(body.data);
  const relationId = typeof data.relation_id === 'number' || typeof data.relation_id === 'string' ? String(data.relation_id) : '';
  if (!/^[1-9][0-9]{0,19}$/.test(relationId)) throw new ConnectorError('taobao', 'bad_json', 'tbk_sc_publisher_info_save_response has no relation_id', 'bad_response');
  const desc = typeof data.desc === 'string' ? data.desc : '';
  return { relationId, accountName: typeof data.account_name === 'string' && data.account_name !== '' ? data.account_name : null, alreadyRegistered: desc.includes('重复') };
}

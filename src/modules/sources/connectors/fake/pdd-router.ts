import { signMd5 } from '../common.ts';

/** What every fake PDD API shares: the router's error envelope and its public-parameter checks. */

export function pddErrorResponse(errorCode: number, errorMsg: string, subMsg = errorMsg): Record<string, unknown> {
  return {
    error_response: { error_code: errorCode, error_msg: errorMsg, sub_code: String(errorCode), sub_msg: subMsg, request_id: '17043503757231146' },
  };
}

const REQUIRED = ['type', 'client_id', 'timestamp', 'sign'] as const;

/** The router's checks of the public parameters and the signature, for the API named `type`. */
export function pddRouterError(params: Record<string, string>, credentials: { appKey: string; appSecret: string }, type: string): Record<string, unknown> | null {
  const missing = REQUIRED.find((name) => !params[name]);
  if (missing) return pddErrorResponse(10000, '参数错误', `公共参数${missing}不能为空`);
  if (params.client_id !== credentials.appKey) return pddErrorResponse(10016, 'client下线或者clientId不正确');
  if (params.type !== type) return pddErrorResponse(10000, '参数错误', `type ${params.type} 不存在`);
  if (!/^\d{10}$/.test(params.timestamp!)) return pddErrorResponse(10000, '参数错误', 'timestamp格式错误');
  if (params.sign !== signMd5(params, credentials.appSecret)) return pddErrorResponse(20004, '签名验证失败');
  return null;
}

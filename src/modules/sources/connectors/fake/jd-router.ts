import { signMd5 } from '../common.ts';

/** What every fake JD Union API shares: the gateway's error envelope and its checks. */

export function jdErrorResponse(code: string, zhDesc: string, enDesc: string): Record<string, unknown> {
  return { error_response: { code, zh_desc: zhDesc, en_desc: enDesc } };
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** The gateway's checks, in the order of JD's 网关系统错误码 table, for the API named `method`. */
export function jdGatewayError(params: Record<string, string>, options: { appKey: string; appSecret: string }, method: string): Record<string, unknown> | null {
  if (!params.method) return jdErrorResponse('14', '缺少方法名参数', 'Missing Method');
  if (params.method !== method) return jdErrorResponse('15', '不存在的方法名', 'Invalid Method');
  if (params.app_key !== options.appKey) return jdErrorResponse('21', `key=${params.app_key ?? ''} 信息无效`, 'Invalid app_key');
  if (!params.v) return jdErrorResponse('4', '缺少版本参数', 'Missing Version');
  if (params.v !== '1.0') return jdErrorResponse('5', '不支持的版本号', 'Unsupported Version');
  if (!params.timestamp) return jdErrorResponse('7', '缺少时间戳参数', 'Missing Timestamp');
  if (!TIMESTAMP.test(params.timestamp)) return jdErrorResponse('8', '非法的时间戳参数', 'Invalid Timestamp');
  if (!params.sign) return jdErrorResponse('11', '缺少签名参数', 'Missing Signature');
  if (params.sign !== signMd5(params, options.appSecret)) return jdErrorResponse('12', '无效签名', 'Invalid Signature');
  return null;
}

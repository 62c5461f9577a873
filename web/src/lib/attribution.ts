/**
 * Why an order was credited as it was, from the operator's `attribution_detail` (the server's
 * `Attribution` of orders/attribution.ts, or a hand attribution's record): a list of i18n keys
 * with their values, read by the order's page. Anything of another shape gives nothing rather
 * than a wrong sentence.
 */
export type AttributionReason = { key: string; values?: Record<string, string> };

const CLICK_REJECTIONS = new Set(['no_click_id', 'click_unknown', 'click_other_source', 'click_expired', 'click_after_order']);
const SUB_ID_REJECTIONS = new Set(['no_sub_id', 'sub_id_unknown', 'sub_id_other_source']);

export function attributionReasons(detail: unknown): AttributionReason[] {
  if (typeof detail !== 'object' || detail === null) return [];
  const d = detail as Record<string, unknown>;
  const clickRejected = (): AttributionReason[] => (typeof d.clickRejected === 'string' && CLICK_REJECTIONS.has(d.clickRejected) ? [{ key: `attributionWhy.clickRejections.${d.clickRejected}` }] : []);
  const subIdRejected = (): AttributionReason[] => (typeof d.subIdRejected === 'string' && SUB_ID_REJECTIONS.has(d.subIdRejected) ? [{ key: `attributionWhy.subIdRejections.${d.subIdRejected}` }] : []);
  switch (d.kind) {
    case 'click':
      return [{ key: d.sameProduct === false ? 'attributionWhy.clickOtherProduct' : 'attributionWhy.click' }];
    case 'sub_id':
      return [{ key: 'attributionWhy.subId', values: { subId: String(d.subId ?? '') } }, ...clickRejected()];
    case 'unattributed':
      return [...clickRejected(), ...subIdRejected()];
    case 'manual':
      return typeof d.reason === 'string' ? [{ key: 'attributionWhy.manual', values: { reason: d.reason } }] : [];
    default:
      return [];
  }
}

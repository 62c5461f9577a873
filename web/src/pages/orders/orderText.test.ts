import { describe, expect, it } from 'vitest';
import type { Order, OrderLine } from '../../lib/types';
import { commissionStatusesOf, firstProductOf } from './orderText';

const line = (id: string, commission: OrderLine['commission'], title: string | null = null): OrderLine => ({
  line_id: id,
  source_product_id: `sku-${id}`,
  product: title === null ? null : { id: `prd_${id}`, title },
  quantity: 1,
  paid_amount: 1000,
  refunded_amount: 0,
  commission,
});

const order = (lines: OrderLine[]): Order => ({
  id: 'ord_1',
  source: { id: 'src_1', name: 'JD', platform: 'jd' },
  source_order_id: 'JD-1',
  status: 'paid',
  currency: 'CNY',
  ordered_at: '2026-11-25T00:00:00.000Z',
  paid_at: null,
  completed_at: null,
  paid_amount: 1000 * lines.length,
  refunded_amount: 0,
  attribution: 'click',
  click_id: null,
  sub_id: null,
  creator: null,
  commission: 0,
  lines,
});

describe('an order in one line of the orders table', () => {
  it('names each commission status of the viewer once, and none for lines the viewer has no share in', () => {
    const share = (status: 'estimated' | 'reversed') => ({ status, rate_bps: 1000, plan: 'open', amount: 80 });
    expect(commissionStatusesOf(order([line('1', share('estimated')), line('2', null), line('3', share('reversed')), line('4', share('estimated'))]))).toEqual(['estimated', 'reversed']);
    expect(commissionStatusesOf(order([line('1', null)]))).toEqual([]);
  });

  it('is named by its first product, or the source’s product id when the product is not in the pool', () => {
    expect(firstProductOf(order([line('1', null, '保温杯'), line('2', null, '托特包')]))).toBe('保温杯');
    expect(firstProductOf(order([line('1', null)]))).toBe('sku-1');
    expect(firstProductOf(order([]))).toBe('JD-1');
  });
});

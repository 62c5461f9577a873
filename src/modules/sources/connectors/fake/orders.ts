import { digest } from './catalog.ts';

/**
 * What the fake order gateways share: order `i` of any fake was last updated ORDER_STEP_S seconds
 * after order `i - 1`, from ORDER_BASE_MS (2026-11-24 10:00 Beijing time), and even orders carry a
 * click id of ours.
 */
export const ORDER_BASE_MS = Date.UTC(2026, 10, 24, 2, 0, 0);
export const ORDER_STEP_S = 600;

export function orderUpdatedAtMs(index: number): number {
  return ORDER_BASE_MS + index * ORDER_STEP_S * 1000;
}

/** A click id shaped like ours (`clk_` and a lower-case ULID), or null for odd orders. */
export function clickIdOf(index: number): string | null {
  return index % 2 === 0 ? `clk_01jdq${digest(`click-${index}`).slice(0, 21)}` : null;
}

/** 'yyyy-MM-dd HH:mm:ss' Beijing time, as JD and Taobao write times. */
export function beijingTime(ms: number): string {
  return new Date(ms + 8 * 60 * 60 * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

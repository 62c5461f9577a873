import { describe, expect, it } from 'vitest';
import { layOutBars } from './bars';

describe('bar chart geometry', () => {
  it('makes the largest value fill the height and the others proportional, on the bottom edge', () => {
    const { bars, baseline } = layOutBars([100, 50, 0], 300, 200);
    expect(baseline).toBe(200);
    expect(bars.map((bar) => bar.height)).toEqual([200, 100, 0]);
    expect(bars.map((bar) => bar.y)).toEqual([0, 100, 200]);
    expect(bars[1]!.x).toBeGreaterThan(bars[0]!.x + bars[0]!.width);
  });

  it('hangs a negative value below a raised zero line', () => {
    const { bars, baseline } = layOutBars([300, -100], 200, 400);
    expect(baseline).toBe(300);
    expect(bars[1]).toMatchObject({ y: 300, height: 100 });
    expect(bars[0]).toMatchObject({ y: 0, height: 300 });
  });

  it('draws nothing tall when every value is zero', () => {
    expect(layOutBars([0, 0], 100, 50).bars.every((bar) => bar.height === 0)).toBe(true);
    expect(layOutBars([], 100, 50).bars).toEqual([]);
  });
});

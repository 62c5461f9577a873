/**
 * The geometry of a bar chart, apart from drawing it: each value becomes a bar standing on the
 * zero line, upwards when positive and downwards when negative (a claw-back), in a box of
 * `width` x `height`. Heights are proportional to the largest magnitude, so bars compare truly.
 */

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BarLayout {
  bars: Bar[];
  /** Where zero is, from the top. */
  baseline: number;
}

const GAP_RATIO = 0.25;

export function layOutBars(values: readonly number[], width: number, height: number): BarLayout {
  const top = Math.max(0, ...values);
  const bottom = Math.min(0, ...values);
  const span = top - bottom;
  const baseline = span === 0 ? height : (top / span) * height;
  const slot = values.length === 0 ? 0 : width / values.length;
  const barWidth = slot * (1 - GAP_RATIO);
  const bars = values.map((value, index) => {
    const size = span === 0 ? 0 : (Math.abs(value) / span) * height;
    return { x: index * slot + (slot - barWidth) / 2, y: value >= 0 ? baseline - size : baseline, width: barWidth, height: size };
  });
  return { bars, baseline };
}

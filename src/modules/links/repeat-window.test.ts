import { describe, expect, it } from 'vitest';
import { RepeatWindow } from './repeat-window.ts';

const MINUTE = 60_000;

describe('the repeat window', () => {
  it('flags a second click by the same visitor on the same link within 30 minutes', () => {
    const w = new RepeatWindow();
    expect(w.isRepeat('v1', 'code1', 0)).toBe(false);
    expect(w.isRepeat('v1', 'code1', 29 * MINUTE)).toBe(true);
    expect(w.isRepeat('v2', 'code1', 29 * MINUTE)).toBe(false);
    expect(w.isRepeat('v1', 'code2', 29 * MINUTE)).toBe(false);
  });

  it('measures from the previous click, so a click 30 minutes after the last one is new again', () => {
    const w = new RepeatWindow();
    w.isRepeat('v1', 'c', 0);
    expect(w.isRepeat('v1', 'c', 30 * MINUTE)).toBe(false);
    expect(w.isRepeat('v1', 'c', 40 * MINUTE)).toBe(true);
  });

  it('forgets the least recently seen pairs first when full', () => {
    const w = new RepeatWindow(2);
    w.isRepeat('a', 'c', 0);
    w.isRepeat('b', 'c', 1);
    w.isRepeat('a', 'c', 2); // a is now the most recent
    w.isRepeat('d', 'c', 3); // evicts b
    expect(w.size).toBe(2);
    expect(w.isRepeat('a', 'c', 4)).toBe(true);
    expect(w.isRepeat('b', 'c', 5)).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endOnRequest, windowClosed } from './plan-window.ts';
import { inForceAt } from './rates.ts';

const T0 = Date.UTC(2026, 0, 1);
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();

describe('endOnRequest', () => {
  const running = { startsAt: at(0), endsAt: null };

  it('ends a running window now, or at the start of the day asked for', () => {
    expect(endOnRequest(running, null, at(10))).toEqual({ endsAt: at(10) });
    expect(endOnRequest(running, at(48), at(10))).toEqual({ endsAt: at(48) });
  });

  it('never ends a window in the past: an earlier day becomes now', () => {
    expect(endOnRequest(running, at(-24), at(10))).toEqual({ endsAt: at(10) });
  });

  it('only shortens a window, and refuses one that has already ended', () => {
    const ending = { startsAt: at(0), endsAt: at(100) };
    expect(endOnRequest(ending, at(50), at(10))).toEqual({ endsAt: at(50) });
    expect(endOnRequest(ending, at(100), at(10))).toEqual({ refused: 'end_not_earlier' });
    expect(endOnRequest(ending, at(200), at(10))).toEqual({ refused: 'end_not_earlier' });
    expect(endOnRequest({ startsAt: at(0), endsAt: at(10) }, null, at(10))).toEqual({ refused: 'already_ended' });
  });

  it('ends a window that has not started where it starts, and then it is closed', () => {
    const scheduled = { startsAt: at(72), endsAt: null };
    const ended = endOnRequest(scheduled, null, at(10));
    expect(ended).toEqual({ endsAt: at(72) });
    expect(windowClosed({ ...scheduled, endsAt: at(72) }, at(10))).toBe(true);
    expect(endOnRequest({ ...scheduled, endsAt: at(72) }, null, at(10))).toEqual({ refused: 'already_ended' });
  });

  it('keeps every instant before now in force, and none from the new end on', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }),
        fc.integer({ min: 0, max: 300 }),
        fc.option(fc.integer({ min: -50, max: 300 }), { nil: null }),
        fc.integer({ min: -50, max: 400 }),
        (start, length, now, requested, paid) => {
          const window = { startsAt: at(start), endsAt: length === null ? null : at(start + length) };
          const decision = endOnRequest(window, requested === null ? null : at(requested), at(now));
          if ('refused' in decision) return;
          const ended = { ...window, endsAt: decision.endsAt };
          if (paid < now) expect(inForceAt(ended, at(paid))).toBe(inForceAt(window, at(paid)));
          if (Date.parse(at(paid)) >= Date.parse(decision.endsAt)) expect(inForceAt(ended, at(paid))).toBe(false);
          if (requested !== null && requested >= now && requested >= start) expect(decision.endsAt).toBe(at(requested));
        },
      ),
    );
  });
});

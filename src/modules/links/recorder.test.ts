import { describe, expect, it } from 'vitest';
import type { ClickRow } from './model.ts';
import { ClickRecorder, RecorderClosed } from './recorder.ts';

function click(n: number): ClickRow {
  return { id: `clk_${n}`, link_code: 'code', creator_id: 'usr', product_id: 'prd', source_id: 'src', channel: 'showcase', clicked_at: '2026-01-01T00:00:00.000Z', ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0 };
}

/** A writer whose batches complete only when the test says so. */
function gatedWriter() {
  const batches: { rows: readonly ClickRow[]; finish(error?: Error): void }[] = [];
  const write = (rows: readonly ClickRow[]) =>
    new Promise<void>((resolve, reject) => batches.push({ rows, finish: (error) => (error ? reject(error) : resolve()) }));
  return { batches, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the click recorder', () => {
  it('answers a click only once the batch holding it is committed', async () => {
    const w = gatedWriter();
    const recorder = new ClickRecorder(w.write);
    let done = false;
    const recorded = recorder.record(click(1)).then(() => (done = true));
    await tick();
    expect(w.batches).toHaveLength(1);
    await tick();
    expect(done).toBe(false);
    w.batches[0]!.finish();
    await recorded;
    expect(done).toBe(true);
  });

  it('writes the clicks of one turn of the event loop in one batch, and those arriving during a write in the next', async () => {
    const w = gatedWriter();
    const recorder = new ClickRecorder(w.write);
    const first = [1, 2, 3].map((n) => recorder.record(click(n)));
    await tick();
    const second = [4, 5].map((n) => recorder.record(click(n)));
    await tick();
    expect(w.batches.map((b) => b.rows.map((r) => r.id))).toEqual([['clk_1', 'clk_2', 'clk_3']]);
    w.batches[0]!.finish();
    await Promise.all(first);
    await tick();
    expect(w.batches[1]!.rows.map((r) => r.id)).toEqual(['clk_4', 'clk_5']);
    w.batches[1]!.finish();
    await Promise.all(second);
  });

  it('never writes more than maxBatch clicks in one transaction', async () => {
    const sizes: number[] = [];
    const recorder = new ClickRecorder(async (rows) => void sizes.push(rows.length), { maxBatch: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, n) => recorder.record(click(n))));
    expect(sizes.reduce((a, b) => a + b)).toBe(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
  });

  it('fails every click of a batch whose write fails, and goes on with the next batch', async () => {
    const w = gatedWriter();
    const recorder = new ClickRecorder(w.write);
    const failed = [1, 2].map((n) => recorder.record(click(n)));
    await tick();
    w.batches[0]!.finish(new Error('disk full'));
    for (const f of failed) await expect(f).rejects.toThrow('disk full');
    const next = recorder.record(click(3));
    await tick();
    w.batches[1]!.finish();
    await expect(next).resolves.toBeUndefined();
  });

  it('writes what it holds on close, then refuses new clicks', async () => {
    const written: string[] = [];
    const recorder = new ClickRecorder(async (rows) => void written.push(...rows.map((r) => r.id)), { maxDelayMs: 10_000 });
    const pending = [1, 2].map((n) => recorder.record(click(n)));
    await recorder.close();
    await Promise.all(pending);
    expect(written).toEqual(['clk_1', 'clk_2']);
    await expect(recorder.record(click(3))).rejects.toBeInstanceOf(RecorderClosed);
  });
});

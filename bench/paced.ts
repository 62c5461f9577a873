/**
 * Requests at a steady rate, each sent at its own moment (every 1/rate s), over up to
 * `connections` keep-alive connections: the load of shoppers arriving one after another.
 *
 * autocannon's `overallRate` is not that: each connection sends its share of a second back to
 * back as the second begins, then waits for the next (a counter reset by a 1-second interval), so a
 * "1,000 req/s" run is a burst of 1,000 requests every second. Under such bursts one slow request
 * (a dashboard's reads, 20 of which also came at once) delays every request of the burst, and the
 * p99 measured the burst rather than the rate.
 *
 * A request's latency is from the moment it was due to its last byte, so a request that waited
 * for a free connection or for the server counts its wait (no coordinated omission). Answers in the
 * shape of autocannon's result, as far as the benchmarks read it.
 */
import { Agent, request as httpRequest } from 'node:http';
import type { Result } from 'autocannon';

export interface PacedRequest {
  path: string;
  headers?: Record<string, string>;
}

export async function paced(url: string, options: { amount: number; rate: number; connections: number; next: (i: number) => PacedRequest }): Promise<Result & { seconds: number }> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statusCodeStats: Record<string, { count: number }> = {};
  let errors = 0;
  let answered = 0;
  const intervalMs = 1000 / options.rate;
  const started = performance.now() + 5;
  let lastAnswer = started;
  await new Promise<void>((resolve) => {
    const settle = () => {
      answered += 1;
      if (answered === options.amount) resolve();
    };
    const send = (i: number) => {
      const due = started + i * intervalMs;
      const { path, headers } = options.next(i);
      const request = httpRequest({ agent, host: target.hostname, port: target.port, path, method: 'GET', headers }, (response) => {
        response.resume();
        response.on('end', () => {
          lastAnswer = performance.now();
          latencies.push(lastAnswer - due);
          const code = String(response.statusCode);
          (statusCodeStats[code] ??= { count: 0 }).count += 1;
          settle();
        });
      });
      request.on('error', () => {
        errors += 1;
        settle();
      });
      request.end();
    };
    let sent = 0;
    const tick = () => {
      const due = Math.min(options.amount, Math.floor((performance.now() - started) / intervalMs) + 1);
      for (; sent < due; sent++) send(sent);
      if (sent < options.amount) setTimeout(tick, Math.max(0, Math.min(1, started + sent * intervalMs - performance.now())));
    };
    setTimeout(tick, 5);
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  const histogram = { average: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length), p50: at(50), p90: at(90), p99: at(99), max: latencies.at(-1) ?? 0 };
  const non2xx = Object.entries(statusCodeStats).reduce((n, [code, { count }]) => (code.startsWith('2') ? n : n + count), 0);
  return {
    requests: { ...histogram, total: answered - errors },
    latency: histogram,
    errors,
    timeouts: 0,
    non2xx,
    statusCodeStats,
    seconds: (lastAnswer - started) / 1000,
  };
}

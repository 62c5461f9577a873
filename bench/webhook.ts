/**
 * Order events through the real server's signed webhook route, as a source pushes them: HTTP, the
 * signature checked in the verifier's worker thread, ingestion (state machine, attribution,
 * commission, postings) in one transaction per delivery.
 *
 *   npm run bench -- webhook [--events 100000] [--in-flight 2]
 *
 * Seeds a SQLite file with one creator and a JD source (the orders bench's stream of one creator:
 * every order attributed through its click), signs the deliveries of 1,000 events beforehand,
 * starts `vitrine serve` on the file in a child process and sends them, `--in-flight` at a time.
 * Where the orders bench calls ingestion in its own process, this one counts what the route adds.
 * The first delivery's time is shown apart (it meets a server that has answered nothing yet: code
 * not yet compiled, statements not yet prepared); the percentiles are of the deliveries sent once
 * the first `--in-flight` had been answered. Prints a table and, last, one JSON line. Target
 * (DESIGN): 20,000 events/s; no baseline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createUser } from '../src/modules/accounts/service.ts';
import { percentile } from './orders.ts';
import { cpuMicrosOf, seedOrderSource, signedDeliveries, startChild, stopChild } from './redirect.ts';

export async function run(options: Record<string, string>): Promise<void> {
  const events = Number(options.events ?? 100_000);
  const inFlight = Number(options['in-flight'] ?? 2);
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-bench-webhook-'));
  const databaseUrl = `sqlite:${join(dir, 'bench.db')}`;
  try {
    const db = openDb(databaseUrl);
    let source: Awaited<ReturnType<typeof seedOrderSource>>;
    try {
      await migrateToLatest(db.kysely);
      const creator = await createUser(db.kysely, { role: 'creator', email: 'bench@x.cn', password: 'password1', name: 'bench', handle: 'bench_creator' });
      source = await seedOrderSource(db, creator.id);
    } finally {
      await db.close();
    }
    process.stderr.write(`signing ${events.toLocaleString('en')} events in deliveries of 1,000…\n`);
    const deliveries = signedDeliveries(source.secret, events);
    const server = await startChild(['--max-semi-space-size=64', 'bin/vitrine.mjs', 'serve', '--port', '0', '--no-demo'], { DATABASE_URL: databaseUrl, HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, 'stderr', (out) => /serving http:\/\/[^:]+:(\d+)/.exec(out)?.[1]);
    // By when each was sent: the first `inFlight` left before the server had answered anything.
    const deliveryMs: number[] = new Array(deliveries.length);
    let received = 0;
    let next = 0;
    const cpuBefore = cpuMicrosOf(server.child.pid!);
    const loopCpuBefore = cpuMicrosOf(server.child.pid!, server.child.pid!);
    const started = performance.now();
    const sender = async () => {
      while (next < deliveries.length) {
        const index = next++;
        const delivery = deliveries[index]!;
        const sent = performance.now();
        const response = await fetch(`${server.url}/api/webhooks/sources/${source.sourceId}/orders`, { method: 'POST', headers: delivery.headers, body: delivery.body });
        if (!response.ok) throw new Error(`a delivery answered ${response.status}: ${await response.text()}`);
        received += ((await response.json()) as { received: number }).received;
        deliveryMs[index] = performance.now() - sent;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, sender));
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuMicrosOf(server.child.pid!);
    const loopCpuAfter = cpuMicrosOf(server.child.pid!, server.child.pid!);
    await stopChild(server.child);

    const perSecond = received / seconds;
    const warm = deliveryMs.slice(inFlight);
    const firstMs = deliveryMs[0]!;
    const cpuPerEvent = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / received;
    // The event loop's own: the bound while it is the busiest thread, and less noisy than events/s.
    const loopCpuPerEvent = loopCpuBefore === null || loopCpuAfter === null ? null : (loopCpuAfter - loopCpuBefore) / received;
    console.log(`\n| step | events | seconds | events/s | first delivery ms | p50 delivery ms | p99 delivery ms | server CPU µs an event | its event loop's |`);
    console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
    console.log(`| signed deliveries of 1,000 over HTTP, ${inFlight} in flight (sqlite) | ${received.toLocaleString('en')} | ${seconds.toFixed(2)} | ${Math.round(perSecond).toLocaleString('en')} | ${firstMs.toFixed(1)} | ${percentile(warm, 50).toFixed(1)} | ${percentile(warm, 99).toFixed(1)} | ${cpuPerEvent === null ? '-' : cpuPerEvent.toFixed(1)} | ${loopCpuPerEvent === null ? '-' : loopCpuPerEvent.toFixed(1)} |`);
    console.log(`target: >= 20,000 events/s`);
    console.log(
      JSON.stringify({
        bench: 'webhook',
        in_flight: inFlight,
        events: received,
        events_per_s: Math.round(perSecond),
        first_delivery_ms: Number(firstMs.toFixed(1)),
        p50_delivery_ms: Number(percentile(warm, 50).toFixed(1)),
        p99_delivery_ms: Number(percentile(warm, 99).toFixed(1)),
        server_cpu_us_per_event: cpuPerEvent === null ? null : Number(cpuPerEvent.toFixed(1)),
        server_loop_cpu_us_per_event: loopCpuPerEvent === null ? null : Number(loopCpuPerEvent.toFixed(1)),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

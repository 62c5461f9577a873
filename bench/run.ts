/**
 * Runs one benchmark: `npm run bench -- <name> [--option value]…`, e.g.
 * `npm run bench -- search --products 1000000`. Each benchmark prints a human table and, as its
 * last line, one JSON object.
 */
import { spawnSync } from 'node:child_process';

const BENCHMARKS: Record<string, () => Promise<{ run(options: Record<string, string>): Promise<void> }>> = {
  search: () => import('./search.ts'),
  redirect: () => import('./redirect.ts'),
  orders: () => import('./orders.ts'),
  machine: () => import('./machine.ts'),
  webhook: () => import('./webhook.ts'),
};

function parseOptions(args: string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument: ${arg}`);
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    options[key] = inline ?? args[++i] ?? 'true';
  }
  return options;
}

/** Node options a benchmark runs under, as the code it measures does in production (`npm start`). */
const NODE_OPTIONS: Record<string, string[]> = { orders: ['--max-semi-space-size=64'] };

const [name, ...rest] = process.argv.slice(2);
const load = name ? BENCHMARKS[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [--option value]…\n`);
  process.exit(2);
}
const wanted = (NODE_OPTIONS[name!] ?? []).filter((o) => !process.execArgv.includes(o));
if (wanted.length > 0) {
  const { status } = spawnSync(process.execPath, [...wanted, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(status ?? 1);
}
await (await load()).run(parseOptions(rest));
process.exit(0);

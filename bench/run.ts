/**
 * Runs one benchmark: `npm run bench -- <name> [--option value]…`, e.g.
 * `npm run bench -- search --products 1000000`. Each benchmark prints a human table and, as its
 * last line, one JSON object.
 */
const BENCHMARKS: Record<string, () => Promise<{ run(options: Record<string, string>): Promise<void> }>> = {
  search: () => import('./search.ts'),
  redirect: () => import('./redirect.ts'),
  orders: () => import('./orders.ts'),
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

const [name, ...rest] = process.argv.slice(2);
const load = name ? BENCHMARKS[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [--option value]…\n`);
  process.exit(2);
}
await (await load()).run(parseOptions(rest));
process.exit(0);

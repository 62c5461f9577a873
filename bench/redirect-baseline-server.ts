/**
 * The redirect benchmark's baseline: a bare node:http server answering 302 from an in-memory Map
 * of the same codes, no click captured. Started by bench/redirect.ts in a child process:
 *   node --import tsx bench/redirect-baseline-server.ts <codes.json>   (prints its port on stdout)
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const targets = new Map<string, string>(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as [string, string][]);
let clicks = 0;

const server = createServer((request, response) => {
  const target = targets.get((request.url ?? '').slice('/r/'.length));
  if (target === undefined) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(302, { location: `${target}${target.includes('?') ? '&' : '?'}vt_click=${++clicks}`, 'cache-control': 'no-store' }).end();
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));

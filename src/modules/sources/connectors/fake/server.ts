import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP side every fake gateway shares: listens on 127.0.0.1 on a free port, reads the
 * parameters from the query string and a form body, and answers what the platform's handler says.
 */

export interface FakeGateway {
  url: string;
  close(): Promise<void>;
  /** HTTP requests received so far. */
  readonly requests: number;
}

export interface FailFirst {
  times: number;
  kind: 'rate_limit' | 'http_500';
}

export interface FakeReply {
  status: number;
  /** Serialised as JSON; a string is sent as it is. */
  body: unknown;
  /** More response headers (a redirect's location). */
  headers?: Record<string, string>;
}

/** `path`: the request's path, for the fakes that answer more than their gateway's one. */
export type FakeHandler = (params: Record<string, string>, requestNo: number, path: string) => FakeReply;

export async function startFakeGateway(handle: FakeHandler): Promise<FakeGateway> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    const requestNo = requests;
    readParams(req)
      .then((params) => handle(params, requestNo, new URL(req.url ?? '/', 'http://fake').pathname))
      .catch((e: Error): FakeReply => ({ status: 500, body: `fake gateway failed: ${e.message}` }))
      .then(({ status, body, headers }) => {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        const type = typeof body === 'string' ? 'text/plain' : 'application/json';
        res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, ...headers }).end(text);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
    get requests() {
      return requests;
    },
  };
}

async function readParams(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const params = Object.fromEntries(new URL(req.url ?? '/', 'http://fake').searchParams);
  const body = Buffer.concat(chunks).toString('utf8');
  return { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
}

/** True for the requests that `failFirst` says must fail, counted from the first one. */
export function failsNow(failFirst: FailFirst | undefined, kind: FailFirst['kind'], requestNo: number): boolean {
  return failFirst !== undefined && failFirst.kind === kind && requestNo <= failFirst.times;
}

export const HTTP_500: FakeReply = { status: 500, body: '<html><body><h1>500 Internal Server Error</h1></body></html>' };

/** Items 1-based page `pageNo` of `pageSize`. */
export function pageOf<T>(items: readonly T[], pageNo: number, pageSize: number): T[] {
  return items.slice((pageNo - 1) * pageSize, pageNo * pageSize);
}

/** A positive integer parameter, or the fallback when absent; null when present but not one. */
export function positiveInt(value: string | undefined, fallback: number): number | null {
  if (value === undefined || value === '') return fallback;
  return /^[1-9]\d*$/.test(value) ? Number(value) : null;
}

/** A fetch that keeps the form body of every request it sends on, to check what a client signed. */
export function recordingFetch(): { fetch: typeof fetch; bodies: URLSearchParams[] } {
  const bodies: URLSearchParams[] = [];
  const recording: typeof fetch = async (url, init) => {
    bodies.push(new URLSearchParams(String(init?.body)));
    return fetch(url, init);
  };
  return { fetch: recording, bodies };
}

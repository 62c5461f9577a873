/** The console's only door to the server: same-origin JSON, the session travels as an httpOnly cookie. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error's `details`, when the server sent some (e.g. the minimum of a refused withdrawal). */
    readonly details?: Record<string, unknown>,
    /** What a 400 `invalid_input` found wrong, field by field (its `details` are a list). */
    readonly issues?: { path: string; message: string }[],
    /** The request id a 500 carries, for the operator to find in the logs. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let onUnauthorized: () => void = () => {};

/** Called when the session is gone (401 outside /api/auth/): the app signs the user out. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** `headers` adds to the JSON ones, e.g. an Idempotency-Key on a POST that creates money. */
export async function api<T>(method: Method, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', '');
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (response.status === 401 && !path.startsWith('/api/auth/')) onUnauthorized();
  if (!response.ok) throw errorFrom(response.status, payload);
  return payload as T;
}

/** POSTs a file as it is (the server reads the raw bytes), answering JSON like api(). */
export async function upload<T>(path: string, file: Blob): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/octet-stream' },
      body: file,
    });
  } catch {
    throw new ApiError(0, 'network_error', '');
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.status === 401) onUnauthorized();
  if (!response.ok) throw errorFrom(response.status, payload);
  return payload as T;
}

function errorFrom(status: number, payload: unknown): ApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown; request_id?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${status}`;
  const message = typeof error?.message === 'string' ? error.message : '';
  const details = typeof error?.details === 'object' && error.details !== null && !Array.isArray(error.details) ? (error.details as Record<string, unknown>) : undefined;
  const issues = Array.isArray(error?.details)
    ? error.details.map((issue: { path?: unknown; message?: unknown }) => ({ path: Array.isArray(issue?.path) ? issue.path.join('.') : String(issue?.path ?? ''), message: String(issue?.message ?? '') }))
    : undefined;
  return new ApiError(status, code, message, details, issues, typeof error?.request_id === 'string' ? error.request_id : undefined);
}

/**
 * A fresh Idempotency-Key: a UUID where the browser offers one (secure origins), else 128 random
 * bits in hex (a console opened over plain http on a LAN has no crypto.randomUUID).
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

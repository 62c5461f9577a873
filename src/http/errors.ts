import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../core/errors.ts';

/** The contract's error body. */
export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    request_id: z.string().optional(),
  }),
});

export function errorBody(code: string, message: string, extra: { details?: unknown; request_id?: string } = {}) {
  return { error: { code, message, ...extra } };
}

/** Maps every failure onto `{ error: { code, message } }` with the status that fits. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof DomainError) {
    reply.status(error.status).send(errorBody(error.code, error.message, error.details === undefined ? {} : { details: error.details }));
    return;
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({ path: v.instancePath || '/', message: v.message }));
    const first = issues[0];
    const where = error.validationContext ?? 'request';
    reply.status(400).send(errorBody('invalid_input', `invalid ${where}: ${first ? `${first.path} ${first.message}` : 'bad value'}`, { details: issues }));
    return;
  }
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error.statusCode === 400 && error instanceof SyntaxError)) {
    reply.status(400).send(errorBody('malformed_json', 'the request body is not valid JSON'));
    return;
  }
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    reply.status(400).send(errorBody('malformed_json', 'the request body is empty but says it is JSON'));
    return;
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    reply.status(413).send(errorBody('payload_too_large', 'the request body is larger than the server accepts'));
    return;
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    reply.status(415).send(errorBody('unsupported_media_type', 'send the body as application/json'));
    return;
  }
  if (error.statusCode === 429) {
    // @fastify/rate-limit throws the body its errorResponseBuilder made, already in our shape.
    const built = (error as unknown as { error?: { message?: string } }).error;
    reply.status(429).send(errorBody('rate_limited', built?.message ?? 'too many requests, slow down'));
    return;
  }
  if (isResponseSerializationError(error) || !error.statusCode || error.statusCode >= 500) {
    request.log.error({ err: error }, 'unhandled error');
    reply.status(500).send(errorBody('internal_error', `something went wrong on our side; quote request id ${request.id}`, { request_id: String(request.id) }));
    return;
  }
  reply.status(error.statusCode).send(errorBody(snakeCase(error.code ?? 'bad_request'), error.message));
}

function snakeCase(code: string): string {
  return code.replace(/^FST_ERR_/, '').toLowerCase();
}

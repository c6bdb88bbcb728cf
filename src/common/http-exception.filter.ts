import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable, isDuplicateKey } from '../database/db-errors.js';
import { AppError, type ErrorCode, messageFor } from './errors.js';

export function requestLanguage(req: FastifyRequest): 'zh' | 'en' {
  const header = String(req.headers['accept-language'] ?? '').trim().toLowerCase();
  return header.startsWith('en') ? 'en' : 'zh';
}

const FASTIFY_CODES: Record<string, { status: number; code: ErrorCode }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'malformed_json' },
};

/** A database restart or failover usually takes seconds: clients retry after this long. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
/** The one error body, for the few errors answered outside Nest (the router's and the socket's). */
export function errorBody(status: number, code: ErrorCode, lang: 'zh' | 'en', requestId: string) {
  return { statusCode: status, code, message: messageFor(code, lang), requestId };
}

/** The one place where errors become HTTP: coded domain errors, framework errors, driver errors. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const lang = requestLanguage(req);
    const err = this.toAppError(exception);
    // An outage answers every request alike: one warning line each, not a stack trace each.
    if (err.code === 'database_unavailable') this.logger.warn({ requestId: req.id, cause: String((exception as Error)?.message ?? exception) }, 'database unavailable');
    else if (err.status >= 500) this.logger.error({ err: exception, requestId: req.id }, 'unhandled error');
    const body: Record<string, unknown> = {
      statusCode: err.status,
      code: err.code,
      message: messageFor(err.code, lang, err.text),
    };
    if (err.errors?.length) {
      body.errors = err.errors.map((e) => ({ field: e.field, code: e.code, message: e.text[lang] }));
    }
    if (err.details) body.details = err.details;
    body.requestId = req.id;
    if (err.status === 429) reply.header('retry-after', String(err.details?.retryAfterSeconds ?? 60));
    if (err.code === 'database_unavailable') reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    reply.status(err.status).send(body);
  }

  private toAppError(e: unknown): AppError {
    if (e instanceof AppError) return e;
    if (isDatabaseUnavailable(e)) return new AppError(HttpStatus.SERVICE_UNAVAILABLE, 'database_unavailable');
    if (isDuplicateKey(e)) return AppError.conflict('duplicate');
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const fallback: Record<number, ErrorCode> = {
        400: 'validation_failed',
        401: 'unauthenticated',
        403: 'forbidden',
        404: 'route_not_found',
        413: 'payload_too_large',
        415: 'unsupported_media_type',
        503: 'service_unavailable',
      };
      const res = e.getResponse();
      // Nest's JSON parse failure surfaces as a 400 whose message mentions JSON.
      if (status === 400 && /json/i.test(JSON.stringify(res))) return new AppError(400, 'malformed_json');
      return new AppError(status, fallback[status] ?? (status >= 500 ? 'internal_error' : 'conflict'));
    }
    const fe = e as { code?: string; statusCode?: number } | null;
    if (fe?.code && FASTIFY_CODES[fe.code]) {
      const m = FASTIFY_CODES[fe.code];
      return new AppError(m.status, m.code);
    }
    // Fastify's JSON body parser reports a SyntaxError with statusCode 400.
    if (fe && (e instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') && fe.statusCode === 400) {
      return new AppError(400, 'malformed_json');
    }
    if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return new AppError(fe.statusCode, fe.statusCode === 413 ? 'payload_too_large' : 'validation_failed');
    }
    return new AppError(HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error');
  }
}

// The service's logs: JSON lines (pino), one per request answered (at `info`) and whatever the code
// logs through Nest's Logger. Not nestjs-pino: its middleware made a pino child logger for every
// request (serialising and redacting the request even when nothing would be written) and kept it in
// an AsyncLocalStorage, whose promise hooks (Node 20) taxed every await of every request — together
// ≈ 10–14 % of a score submit's CPU (README, "third round"). Lines written while a request is handled
// name their request themselves where it matters (the error filter logs `requestId`).
import type { LoggerService, LogLevel } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import { serializeError } from './log-serializers.js';

export type AppLogLevel = Level | 'silent';

/** The root logger: `stream` is where the lines go (stdout when absent; the tests read them). */
export function createRootLogger(level: AppLogLevel, stream?: DestinationStream): Logger {
  // Database errors without the values bound to the query (see log-serializers.ts).
  const options = { level, serializers: { err: serializeError } };
  return stream ? pino(options, stream) : pino(options);
}

/** The URL as logged: the event stream's token is in the query (EventSource sends no headers), never logged. */
export function loggedUrl(url: string): string {
  return url.includes('access_token=') ? url.replace(/([?&]access_token=)[^&]*/g, '$1[Redacted]') : url;
}

/**
 * One line per answered request, after it is sent: its id (the one in the answer's X-Request-Id),
 * method, URL, client address and agent, status and time taken. No headers: they carry credentials
 * (a deny-list of header names to redact is one forgotten header away from a leaked token).
 * Health checks are not logged. Nothing is built for a request when `info` is off.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (req, reply, done) => {
    if (logger.isLevelEnabled('info') && req.url !== '/api/health') {
      logger.info(
        {
          req: { id: req.id, method: req.method, url: loggedUrl(req.url), remoteAddress: req.ip, userAgent: req.headers['user-agent'] },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request completed',
      );
    }
    done();
  });
}

/** Nest's LoggerService over pino, with nestjs-pino's call shape (the context is the last argument). */
export class AppLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.call('trace', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.call('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.call('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.call('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.call('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.call('fatal', message, params);
  }
  setLogLevels(levels: LogLevel[]): void {
    void levels; // the level is LOG_LEVEL's, set on the pino logger
  }

  private call(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    // Nest passes the logger's context (its name) last.
    let rest = params;
    if (params.length > 0) {
      fields.context = params[params.length - 1];
      rest = params.slice(0, -1);
    }
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, ...(rest as []));
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      this.pino[level](fields, ...(rest as []));
    } else if (level === 'error' && typeof message === 'string' && rest.length === 1 && typeof rest[0] === 'string' && /\n\s*at /.test(rest[0])) {
      // Nest's own exception handlers call error(message, stack, context).
      const err = new Error(message);
      err.stack = rest[0];
      fields.err = err;
      this.pino[level](fields);
    } else {
      this.pino[level](fields, String(message), ...(rest as []));
    }
  }
}

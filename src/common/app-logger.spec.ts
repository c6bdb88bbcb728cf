import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { AppLogger, createRootLogger, loggedUrl } from './app-logger.js';

function capture(level: 'info' | 'warn' = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const logger = new AppLogger(createRootLogger(level, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }));
  return { logger, lines };
}

describe('AppLogger (Nest LoggerService over pino)', () => {
  it('takes the context from the last argument and keeps a message string', () => {
    const { logger, lines } = capture();
    logger.log('started', 'Accounts');
    expect(lines).toEqual([expect.objectContaining({ level: 30, msg: 'started', context: 'Accounts' })]);
  });

  it('merges an object first argument and serialises an Error under err without its bound values', () => {
    const { logger, lines } = capture();
    logger.warn({ requestId: 'r-1', cause: 'down' }, 'database unavailable', 'HttpExceptionFilter');
    const failure = Object.assign(new Error('boom'), { parameters: ['$argon2id$secret'] });
    logger.error({ err: failure, requestId: 'r-2' }, 'unhandled error', 'HttpExceptionFilter');
    logger.error(new Error('bare'), 'Ctx');
    expect(lines[0]).toMatchObject({ level: 40, msg: 'database unavailable', requestId: 'r-1', cause: 'down', context: 'HttpExceptionFilter' });
    expect(lines[1]).toMatchObject({ level: 50, msg: 'unhandled error', requestId: 'r-2', err: { type: 'Error', message: 'boom' } });
    expect((lines[1].err as Record<string, unknown>).parameters).toBeUndefined();
    expect(lines[2]).toMatchObject({ level: 50, context: 'Ctx', err: { message: 'bare' } });
  });

  it("turns Nest's own exception-handler call (message, stack, context) into one error with that stack", () => {
    const { logger, lines } = capture();
    logger.error('Nest failed', 'Error: Nest failed\n    at somewhere (file.js:1:1)', 'ExceptionHandler');
    expect(lines).toEqual([expect.objectContaining({ level: 50, context: 'ExceptionHandler', err: expect.objectContaining({ message: 'Nest failed', stack: expect.stringContaining('at somewhere') }) })]);
  });

  it('writes nothing below its level, also through a Nest Logger bound to it', () => {
    const { logger, lines } = capture('warn');
    Logger.overrideLogger(logger);
    try {
      new Logger('Quiet').log('not written');
      new Logger('Quiet').debug('not written');
      new Logger('Loud').warn('written');
    } finally {
      Logger.overrideLogger(true);
    }
    expect(lines).toEqual([expect.objectContaining({ level: 40, msg: 'written', context: 'Loud' })]);
  });

  it('never logs the event stream token of a URL', () => {
    expect(loggedUrl('/api/events?access_token=abc.def&x=1')).toBe('/api/events?access_token=[Redacted]&x=1');
    expect(loggedUrl('/api/events?x=1&access_token=abc')).toBe('/api/events?x=1&access_token=[Redacted]');
    expect(loggedUrl('/api/entries?page=2')).toBe('/api/entries?page=2');
  });
});

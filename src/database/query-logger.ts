import { Logger as NestLogger } from '@nestjs/common';
import { AbstractLogger, type LoggerOptions, type LogLevel, type LogMessage, type QueryRunner } from 'typeorm';
import { redactValues } from '../common/log-serializers.js';

type Write = (level: LogLevel, text: string) => void;

const nest = new NestLogger('TypeORM');
const toNest: Write = (level, text) => {
  if (level === 'warn') nest.warn(text);
  else if (level === 'error') nest.error(text);
  else nest.log(text);
};

/**
 * TypeORM's logger, when its `logging` option turns it on: SQL text, never the bound values (they
 * hold password hashes and personal data), into the service's own JSON log. Off by default.
 */
export class ParameterFreeQueryLogger extends AbstractLogger {
  constructor(options: LoggerOptions, private readonly write: Write = toNest) {
    super(options);
  }

  override logQuery(query: string, _parameters?: unknown, queryRunner?: QueryRunner): void {
    super.logQuery(query, undefined, queryRunner);
  }

  override logQueryError(error: string | Error, query: string, _parameters?: unknown, queryRunner?: QueryRunner): void {
    super.logQueryError(redactValues(typeof error === 'string' ? error : error.message), query, undefined, queryRunner);
  }

  override logQuerySlow(time: number, query: string, _parameters?: unknown, queryRunner?: QueryRunner): void {
    super.logQuerySlow(time, query, undefined, queryRunner);
  }

  protected writeLog(level: LogLevel, message: LogMessage | string | number | (LogMessage | string | number)[], queryRunner?: QueryRunner): void {
    for (const m of this.prepareLogMessages(message, { highlightSql: false, appendParameterAsComment: false, addColonToPrefix: true }, queryRunner)) {
      this.write(level, `${m.prefix ? `${m.prefix} ` : ''}${String(m.message)}`);
    }
  }
}

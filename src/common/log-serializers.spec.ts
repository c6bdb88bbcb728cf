import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { ParameterFreeQueryLogger } from '../database/query-logger.js';
import { redactValues, serializeError } from './log-serializers.js';

const HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA';

/** What mysql2 throws for a duplicate: the value quoted in the message, the statement with it inlined in `sql`. */
function mysqlDuplicate(): QueryFailedError {
  const driverError = Object.assign(new Error(`Duplicate entry '${HASH}' for key 'uq_users_token'`), {
    code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000', sqlMessage: `Duplicate entry '${HASH}' for key 'uq_users_token'`,
    sql: `INSERT INTO users (username, password_hash) VALUES ('ann', '${HASH}')`,
  });
  return new QueryFailedError('INSERT INTO users (username, password_hash) VALUES (?, ?)', ['ann', HASH], driverError);
}

describe('log serializers', () => {
  it('keeps the SQL text and codes of a database error, drops its values, and leaves the error itself alone', () => {
    const err = mysqlDuplicate();
    const out = serializeError(err) as Record<string, unknown>;
    expect(out).toMatchObject({ type: 'QueryFailedError', code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000', query: 'INSERT INTO users (username, password_hash) VALUES (?, ?)' });
    expect(out.message).toBe("Duplicate entry '[Redacted]' for key 'uq_users_token'");
    expect(JSON.stringify(out)).not.toContain('argon2');
    expect(JSON.stringify(out)).not.toContain("'ann'");
    expect(err.parameters).toEqual(['ann', HASH]);
  });

  it('also cleans an error pino already serialized (as pino-http hands it over), and passes other values through', () => {
    const pre = { type: 'QueryFailedError', message: 'x', stack: `QueryFailedError: Duplicate entry '${HASH}' for key\n  at y`, parameters: [HASH], sql: HASH, code: 'ER_DUP_ENTRY' };
    expect(JSON.stringify(serializeError(pre))).not.toContain('argon2');
    expect(serializeError('plain')).toBe('plain');
    expect(redactValues("Incorrect string value: '\\xF0\\x9F' for column 'name'")).toBe("Incorrect string value: '[Redacted]' for column 'name'");
  });

  it('TypeORM\'s own logger, when turned on, writes SQL text and never parameters', () => {
    const lines: string[] = [];
    const logger = new ParameterFreeQueryLogger('all', (_level, text) => lines.push(text));
    logger.logQuery('INSERT INTO users (password_hash) VALUES (?)', [HASH]);
    logger.logQueryError(`Duplicate entry '${HASH}' for key 'k'`, 'INSERT INTO users (password_hash) VALUES (?)', [HASH]);
    logger.logQuerySlow(2000, 'SELECT * FROM users WHERE password_hash = ?', [HASH]);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.join('\n')).toContain('INSERT INTO users (password_hash) VALUES (?)');
    expect(lines.join('\n')).not.toContain('argon2');
    const off: string[] = [];
    new ParameterFreeQueryLogger(false, (_l, t) => off.push(t)).logQuery('SELECT 1', []);
    expect(off).toEqual([]);
  });
});

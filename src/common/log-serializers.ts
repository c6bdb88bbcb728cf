// Logs must never carry what a query was bound to: a failed INSERT INTO users would otherwise put a
// password hash (and names, phone numbers) into every log aggregator. TypeORM's QueryFailedError
// holds `parameters`, and copies the driver's fields onto itself, among them mysql2's `sql` (the
// statement with the values inlined) and `sqlMessage`.
import pino from 'pino';

/** Fields of a database error that hold bound values; the SQL text (`query`) and the codes stay. */
const VALUE_FIELDS = ['parameters', 'driverError', 'sql', 'sqlMessage'] as const;

/** MySQL/MariaDB quote the offending value in some messages ("Duplicate entry '…' for key …"). */
const QUOTED_VALUE = /\b(Duplicate entry|Incorrect [\w ]+ value:?|Truncated incorrect [\w ]+ value:?|Out of range value for column) '(?:[^'\\]|\\.)*'/g;

export function redactValues(text: string): string {
  return text.replace(QUOTED_VALUE, "$1 '[Redacted]'");
}

/**
 * The `err` serializer of the logger (pino-http hands it pino's standard serialization of the
 * error): drops the bound values of database errors, keeps type, message, stack, code, errno,
 * sqlState and the SQL text.
 */
export function serializeError(err: unknown): unknown {
  if (!err || typeof err !== 'object') return err;
  // A copy: never change the error itself (a raw Error when called outside pino-http's wrapper).
  const out: Record<string, unknown> = err instanceof Error ? { ...pino.stdSerializers.err(err) } : { ...(err as Record<string, unknown>) };
  for (const key of VALUE_FIELDS) delete out[key];
  if (typeof out.message === 'string') out.message = redactValues(out.message);
  if (typeof out.stack === 'string') out.stack = redactValues(out.stack);
  if (Array.isArray(out.aggregateErrors)) out.aggregateErrors = out.aggregateErrors.map(serializeError);
  return out;
}

import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

/**
 * Inserts rows of a plain entity as repository.insert does (each value normalised by the driver, as
 * TypeORM's insert builder does it: dates, transformers, booleans), as one multi-row INSERT of plain
 * SQL: for the rows every request of a kind writes (notifications, entry events), where TypeORM's
 * query building and its insert bookkeeping were most of the cost. Every column but the generated
 * key must have a value (a row that leaves one out goes through repository.insert instead, which
 * knows the column defaults). The generated keys are not read back.
 */
export async function insertRows<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: readonly Partial<T>[]): Promise<void> {
  if (!rows.length) return;
  const metadata = m.connection.getMetadata(entity);
  const columns = metadata.columns.filter((c) => !(c.isGenerated && c.isPrimary));
  const plain =
    metadata.inheritanceTree.length === 1 &&
    metadata.columns.every((c) => !c.isVersion && !c.isDiscriminator && !c.embeddedMetadata && !(c.isGenerated && !c.isPrimary)) &&
    metadata.beforeInsertListeners.length === 0 &&
    metadata.afterInsertListeners.length === 0 &&
    m.connection.subscribers.length === 0 &&
    rows.every((r) => columns.every((c) => c.getEntityValue(r) !== undefined));
  if (!plain) {
    await m.getRepository(entity).insert(rows as never);
    return;
  }
  const driver = m.connection.driver;
  const sqlite = m.connection.options.type === 'better-sqlite3';
  const value = (row: Partial<T>, c: ColumnMetadata) => {
    const v: unknown = driver.preparePersistentValue(c.getEntityValue(row), c);
    // Integers bound as the query builder's path binds them on SQLite (see sqlite-binding.ts).
    return sqlite && typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v;
  };
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const sql = `INSERT INTO ${driver.escape(metadata.tablePath)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`;
  await m.query(sql, rows.flatMap((r) => columns.map((c) => value(r, c))));
}

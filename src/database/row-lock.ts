import type { DataSource, EntityManager, EntityMetadata, EntityTarget, FindOptionsWhere, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { RawSqlResultsToEntityTransformer } from 'typeorm/query-builder/transformer/RawSqlResultsToEntityTransformer.js';
import { AppError, type ErrorCode } from '../common/errors.js';
import { writeLock } from './write-lock.js';

export { writeLock };

/**
 * One row by `where`, or a 404 (`code`, by default `not_found`). With `lock: true` (inside a
 * transaction) the row is read FOR UPDATE where the database has row locks (see writeLock): the
 * one way the services lock a row they are about to change.
 */
export async function findOr404<T extends ObjectLiteral>(
  m: EntityManager,
  entity: EntityTarget<T>,
  where: FindOptionsWhere<T>,
  opts: { lock?: boolean; code?: ErrorCode } = {},
): Promise<T> {
  const lock = opts.lock ? writeLock(m) : undefined;
  const found = await findOneByColumns(m, entity, where, Boolean(lock));
  const row = found === undefined ? await m.getRepository(entity).findOne({ where, lock }) : found;
  if (!row) throw AppError.notFound(opts.code ?? 'not_found');
  return row;
}

/** findOne({ where, lock: writeLock }) by the values of the entity's own columns, as findOr404 looks rows up: the row, or null. */
export async function findOneOrNull<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, where: FindOptionsWhere<T>, opts: { lock?: boolean } = {}): Promise<T | null> {
  const lock = opts.lock ? writeLock(m) : undefined;
  const row = await findOneByColumns(m, entity, where, Boolean(lock));
  return row === undefined ? m.getRepository(entity).findOne({ where, lock }) : row;
}

/**
 * What TypeORM's findOne({ where, lock }) does for a plain entity (no relations to load, no listeners)
 * looked up by the values of its own columns: the same SQL, the same entity, without building the
 * query anew each time (its query builder was most of a lookup's cost: ≈ 3,500 of them in a demo run,
 * each ≈ 0.2–0.3 ms of CPU before the database did anything). The SQL is built once per entity, set of
 * columns and lock, by TypeORM itself, and the row turned into an entity by TypeORM's own transformer.
 * `undefined` when the lookup is not of that kind (findOne then does it); `null` when there is no row.
 */
async function findOneByColumns<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, where: FindOptionsWhere<T>, lock: boolean): Promise<T | null | undefined> {
  // Without a transaction, a lock is findOne's to refuse (PessimisticLockTransactionRequiredError).
  if (lock && !m.queryRunner?.isTransactionActive) return undefined;
  const keys = Object.keys(where);
  const values: unknown[] = [];
  for (const k of keys) {
    const v = (where as Record<string, unknown>)[k];
    if (typeof v !== 'number' && typeof v !== 'string') return undefined;
    values.push(v);
  }
  const plan = planFor(m, entity, keys, lock);
  if (!plan) return undefined;
  const sqlite = m.connection.options.type === 'better-sqlite3';
  // Integers bound as on the query builder's path (see sqlite-binding.ts).
  const params = plan.order.map((i) => {
    const v = values[i];
    return sqlite && typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v;
  });
  const raws = (await m.query(plan.sql, params)) as ObjectLiteral[];
  if (!raws.length) return null;
  const transformer = new RawSqlResultsToEntityTransformer(plan.qb.expressionMap, m.connection.driver, [], m.queryRunner);
  return (transformer.transform(raws, plan.qb.expressionMap.mainAlias!)[0] as T | undefined) ?? null;
}

interface Plan {
  sql: string;
  /** For each bound parameter, the index of the `where` value it takes. */
  order: number[];
  qb: SelectQueryBuilder<ObjectLiteral>;
}
const plans = new WeakMap<DataSource, Map<EntityMetadata, Map<string, Plan | null>>>();

function planFor(m: EntityManager, entity: EntityTarget<ObjectLiteral>, keys: string[], lock: boolean): Plan | null {
  const metadata = m.connection.getMetadata(entity);
  let byEntity = plans.get(m.connection);
  if (!byEntity) plans.set(m.connection, (byEntity = new Map()));
  let byShape = byEntity.get(metadata);
  if (!byShape) byEntity.set(metadata, (byShape = new Map()));
  const shape = `${keys.join(',')}|${lock}`;
  let plan = byShape.get(shape);
  if (plan === undefined) {
    plan = buildPlan(m, metadata, keys, lock);
    byShape.set(shape, plan);
  }
  return plan;
}

function buildPlan(m: EntityManager, metadata: EntityMetadata, keys: string[], lock: boolean): Plan | null {
  const plain =
    metadata.eagerRelations.length === 0 &&
    metadata.relationIds.length === 0 &&
    metadata.afterLoadListeners.length === 0 &&
    m.connection.subscribers.length === 0 &&
    !metadata.deleteDateColumn &&
    !metadata.treeType &&
    metadata.inheritanceTree.length === 1 &&
    keys.length > 0 &&
    keys.every((k) => metadata.columns.some((c) => c.propertyName === k && !c.relationMetadata && !c.embeddedMetadata && !c.transformer));
  if (!plain) return null;
  // Distinct markers in place of the values, to learn which parameter takes which value.
  const markers = keys.map((_, i) => `\u0000findOr404:${i}\u0000`);
  const qb = m.connection
    .createQueryBuilder(metadata.target, metadata.name)
    .setFindOptions({ where: Object.fromEntries(keys.map((k, i) => [k, markers[i]])), take: 1, ...(lock ? { lock: writeLock(m) } : {}) });
  const [sql, parameters] = qb.getQueryAndParameters();
  const order = parameters.map((p) => markers.indexOf(p as string));
  if (order.length !== keys.length || order.some((i) => i < 0) || qb.expressionMap.joinAttributes.length > 0) return null;
  return { sql, order, qb: qb as SelectQueryBuilder<ObjectLiteral> };
}

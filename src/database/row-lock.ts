import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { DataSource, EntityManager, EntityMetadata, EntityTarget, FindOptionsOrder, FindOptionsSelect, FindOptionsWhere, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { RawSqlResultsToEntityTransformer } from 'typeorm/query-builder/transformer/RawSqlResultsToEntityTransformer.js';
import { AppError, type ErrorCode } from '../common/errors.js';
import { writeLock } from './write-lock.js';

export { writeLock };

/** What a lookup may add to `where`, as findOne takes it: the columns to read, and the order that picks the one row. */
export interface LookupOptions<T> {
  select?: FindOptionsSelect<T>;
  order?: FindOptionsOrder<T>;
}

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
  const row = await findOneOrNull(m, entity, where, opts);
  if (!row) throw AppError.notFound(opts.code ?? 'not_found');
  return row;
}

/**
 * findOne({ where, select, order, lock: writeLock }) by the values of the entity's own columns, as
 * findOr404 looks rows up: the row, or null.
 */
export async function findOneOrNull<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, where: FindOptionsWhere<T>, opts: { lock?: boolean } & LookupOptions<T> = {}): Promise<T | null> {
  const lock = opts.lock ? writeLock(m) : undefined;
  const raws = await rowsByColumns(m, entity, where, Boolean(lock), opts);
  if (raws === undefined) return m.getRepository(entity).findOne({ where, lock, select: opts.select, order: opts.order });
  if (!raws.rows.length) return null;
  const transformer = new RawSqlResultsToEntityTransformer(raws.plan.qb.expressionMap, m.connection.driver, [], m.queryRunner);
  return (transformer.transform(raws.rows, raws.plan.qb.expressionMap.mainAlias!)[0] as T | undefined) ?? null;
}

/** existsBy(where), by the values of the entity's own columns: one row's key read, with SQL built once per shape. */
export async function existsByColumns<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, where: FindOptionsWhere<T>): Promise<boolean> {
  const metadata = m.connection.getMetadata(entity);
  const select = Object.fromEntries(metadata.primaryColumns.map((c) => [c.propertyName, true])) as FindOptionsSelect<T>;
  const raws = await rowsByColumns(m, entity, where, false, { select });
  return raws === undefined ? m.getRepository(entity).existsBy(where) : raws.rows.length > 0;
}

/**
 * What TypeORM's findOne({ where, select, order, lock }) does for a plain entity (no relations to load,
 * no listeners) looked up by the values of its own columns: the same SQL, without building the query
 * anew each time (its query builder was most of a lookup's cost: ≈ 3,500 of them in a demo run, each
 * ≈ 0.2–0.3 ms of CPU before the database did anything). The SQL is built once per entity, set of
 * columns, selection, order and lock, by TypeORM itself; the caller turns the rows into an entity with
 * TypeORM's own transformer. `undefined` when the lookup is not of that kind (findOne then does it).
 */
async function rowsByColumns<T extends ObjectLiteral>(
  m: EntityManager,
  entity: EntityTarget<T>,
  where: FindOptionsWhere<T>,
  lock: boolean,
  opts: LookupOptions<T>,
): Promise<{ rows: ObjectLiteral[]; plan: Plan } | undefined> {
  // Without a transaction, a lock is findOne's to refuse (PessimisticLockTransactionRequiredError).
  if (lock && !m.queryRunner?.isTransactionActive) return undefined;
  const keys = Object.keys(where);
  const values: unknown[] = [];
  for (const k of keys) {
    const v = (where as Record<string, unknown>)[k];
    if (typeof v !== 'number' && typeof v !== 'string') return undefined;
    values.push(v);
  }
  const plan = planFor(m, entity, keys, lock, opts);
  if (!plan) return undefined;
  const sqlite = m.connection.options.type === 'better-sqlite3';
  // Integers bound as on the query builder's path (see sqlite-binding.ts).
  const params = plan.order.map((i) => {
    const v = values[i];
    return sqlite && typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v;
  });
  return { rows: (await m.query(plan.sql, params)) as ObjectLiteral[], plan };
}

interface Plan {
  sql: string;
  /** For each bound parameter, the index of the `where` value it takes. */
  order: number[];
  qb: SelectQueryBuilder<ObjectLiteral>;
}
const plans = new WeakMap<DataSource, Map<EntityMetadata, Map<string, Plan | null>>>();

/** A selection or an order as a key: property names and the values given for them, in the order given. */
const shapeOf = (o: object | undefined): string | null => {
  if (!o) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== 'boolean' && typeof v !== 'string') return null; // nested (a relation's columns) or an object form: findOne's
    parts.push(`${k}:${v}`);
  }
  return parts.join(',');
};

function planFor(m: EntityManager, entity: EntityTarget<ObjectLiteral>, keys: string[], lock: boolean, opts: LookupOptions<ObjectLiteral>): Plan | null {
  const select = shapeOf(opts.select);
  const order = shapeOf(opts.order);
  if (select === null || order === null) return null;
  const metadata = m.connection.getMetadata(entity);
  let byEntity = plans.get(m.connection);
  if (!byEntity) plans.set(m.connection, (byEntity = new Map()));
  let byShape = byEntity.get(metadata);
  if (!byShape) byEntity.set(metadata, (byShape = new Map()));
  const shape = `${keys.join(',')}|${lock}|${select}|${order}`;
  let plan = byShape.get(shape);
  if (plan === undefined) {
    plan = buildPlan(m, metadata, keys, lock, opts);
    byShape.set(shape, plan);
  }
  return plan;
}

function buildPlan(m: EntityManager, metadata: EntityMetadata, keys: string[], lock: boolean, opts: LookupOptions<ObjectLiteral>): Plan | null {
  const own = (k: string, c: ColumnMetadata) => c.propertyName === k && !c.relationMetadata && !c.embeddedMetadata;
  const plain =
    metadata.eagerRelations.length === 0 &&
    metadata.relationIds.length === 0 &&
    metadata.afterLoadListeners.length === 0 &&
    m.connection.subscribers.length === 0 &&
    !metadata.deleteDateColumn &&
    !metadata.treeType &&
    metadata.inheritanceTree.length === 1 &&
    keys.length > 0 &&
    keys.every((k) => metadata.columns.some((c) => own(k, c) && !c.transformer)) &&
    [...Object.keys(opts.select ?? {}), ...Object.keys(opts.order ?? {})].every((k) => metadata.columns.some((c) => own(k, c)));
  if (!plain) return null;
  // Distinct markers in place of the values, to learn which parameter takes which value.
  const markers = keys.map((_, i) => `\u0000findOr404:${i}\u0000`);
  const qb = m.connection.createQueryBuilder(metadata.target, metadata.name).setFindOptions({
    where: Object.fromEntries(keys.map((k, i) => [k, markers[i]])),
    take: 1,
    ...(opts.select ? { select: opts.select } : {}),
    ...(opts.order ? { order: opts.order } : {}),
    ...(lock ? { lock: writeLock(m) } : {}),
  });
  const [sql, parameters] = qb.getQueryAndParameters();
  const order = parameters.map((p) => markers.indexOf(p as string));
  if (order.length !== keys.length || order.some((i) => i < 0) || qb.expressionMap.joinAttributes.length > 0) return null;
  return { sql, order, qb: qb as SelectQueryBuilder<ObjectLiteral> };
}

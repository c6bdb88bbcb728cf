/**
 * How many queries a TypeORM query builder class (its prototype's getQuery) builds while `fn` runs: the
 * cost that SQL built once per shape saves (see src/database/row-lock.ts and insert-rows.ts).
 */
export async function queriesBuilt(builder: { prototype: unknown }, fn: () => Promise<unknown>): Promise<number> {
  const proto = builder.prototype as { getQuery: () => string };
  const getQuery = proto.getQuery;
  let built = 0;
  proto.getQuery = function (this: unknown) {
    built++;
    return getQuery.call(this);
  };
  try {
    await fn();
  } finally {
    proto.getQuery = getQuery;
  }
  return built;
}

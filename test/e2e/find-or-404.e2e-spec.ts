import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IsNull, SelectQueryBuilder, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { User } from '../../src/accounts/user.entity.js';
import { Contest } from '../../src/contests/contest.entities.js';
import { Attachment, Entry } from '../../src/entries/entry.entities.js';
import { Enterprise, Expert, RecommendingUnit } from '../../src/organisations/organisation.entities.js';
import { existsByColumns, findOneOrNull, findOr404 } from '../../src/database/row-lock.js';
import { EntryTopic } from '../../src/expertise/expertise.entities.js';
import { createEntry, createIntakeWorld, uploadReport, type IntakeWorld } from '../factories/entries.js';
import { queriesBuilt } from '../support/queries-built.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

/**
 * findOr404 (src/database/row-lock.ts) looks plain entities up with SQL built once per entity, columns
 * and lock, and TypeORM's own row-to-entity transformer: it must give exactly what TypeORM's findOne
 * gives (dates, JSON columns, numbers, nulls), in and out of a transaction, locked or not, and 404 on a miss.
 */
describe(`findOr404 (${TEST_DB})`, () => {
  let t: TestApp;
  let w: IntakeWorld;
  let entryId: number;

  beforeAll(async () => {
    // Without the delivery worker: its rounds (reminder locks, the outbox) build queries of their own at any
    // moment, which the counts of queries built below would take for the lookups'.
    t = await createTestApp({ NOTIFY_WORKER: 'false' });
    w = await createIntakeWorld(t);
    entryId = (await createEntry(t, w.a.owner.token, w.contest.id)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const same = async <T extends ObjectLiteral>(entity: EntityTarget<T>, where: Record<string, unknown>) => {
    const expected = await t.dataSource.getRepository(entity).findOne({ where: where as never });
    expect(expected).not.toBeNull();
    const found = await findOr404(t.dataSource.manager, entity, where as never);
    expect(found).toEqual(expected);
    expect(Object.getPrototypeOf(found)).toBe(Object.getPrototypeOf(expected));
    // In a transaction, with the row lock where the database has one.
    const locked = await t.dataSource.transaction((m) => findOr404(m, entity, where as never, { lock: true }));
    expect(locked).toEqual(expected);
    // The second lookup of a shape reuses its SQL: still the right row.
    expect(await findOr404(t.dataSource.manager, entity, where as never)).toEqual(expected);
  };

  it('gives what findOne gives, for the entities the services look up this way', async () => {
    await same(Contest, { id: w.contest.id });
    await same(Entry, { id: entryId });
    await same(Entry, { id: entryId, contestId: w.contest.id });
    await same(Enterprise, { id: w.a.enterprise.id });
    await same(RecommendingUnit, { id: w.b.unit.id });
    await same(User, { id: w.a.owner.userId });
    const expert = await t.dataSource.getRepository(Expert).findOne({ where: {}, order: { id: 'ASC' } });
    await same(Expert, { id: expert!.id });
  });

  it('builds no query for a lookup of a shape it has built before (the cost it saves)', async () => {
    await findOr404(t.dataSource.manager, Contest, { id: w.contest.id });
    const built = await queriesBuilt(SelectQueryBuilder, async () => {
      expect((await findOr404(t.dataSource.manager, Contest, { id: w.contest.id })).id).toBe(w.contest.id);
      expect((await t.dataSource.transaction((m) => findOr404(m, Entry, { id: entryId }, { lock: true }))).id).toBe(entryId);
    });
    expect(built).toBe(0);
  });

  it('findOneOrNull: the same as findOne (JSON text columns too), null when there is no row', async () => {
    await t.dataSource.getRepository(EntryTopic).insert({ entryId, topics: ['统计过程控制', 'QC 工具'], updatedAt: new Date('2020-07-06T01:00:00.000Z') });
    const expected = await t.dataSource.getRepository(EntryTopic).findOneBy({ entryId });
    expect(expected?.topics).toEqual(['统计过程控制', 'QC 工具']);
    expect(await findOneOrNull(t.dataSource.manager, EntryTopic, { entryId })).toEqual(expected);
    expect(await t.dataSource.transaction((m) => findOneOrNull(m, Enterprise, { id: w.a.enterprise.id }, { lock: true }))).toEqual(await t.dataSource.getRepository(Enterprise).findOneBy({ id: w.a.enterprise.id }));
    expect(await findOneOrNull(t.dataSource.manager, EntryTopic, { entryId: 987654 })).toBeNull();
  });

  it('with a selection or an order: what findOne gives (the columns asked for; the first row by that order), SQL built once per shape', async () => {
    await uploadReport(t, w.a.owner.token, entryId, '第一稿.pdf');
    await uploadReport(t, w.a.owner.token, entryId, '第二稿.pdf');
    const m = t.dataSource.manager;
    for (const direction of ['DESC', 'ASC'] as const) {
      const expected = await m.getRepository(Attachment).findOne({ where: { entryId, kind: 'report' }, order: { version: direction } });
      expect(await findOneOrNull(m, Attachment, { entryId, kind: 'report' }, { order: { version: direction } })).toEqual(expected);
    }
    expect((await findOneOrNull(m, Attachment, { entryId, kind: 'report' }, { order: { version: 'DESC' } }))?.originalName).toBe('第二稿.pdf');
    const partial = await findOneOrNull(m, RecommendingUnit, { id: w.b.unit.id }, { select: { id: true, deactivatedAt: true } });
    expect(partial).toEqual(await m.getRepository(RecommendingUnit).findOne({ where: { id: w.b.unit.id }, select: { id: true, deactivatedAt: true } }));
    expect(partial).toMatchObject({ id: w.b.unit.id, deactivatedAt: null });
    expect(partial!.name).toBeUndefined(); // not read
    expect(await findOneOrNull(m, RecommendingUnit, { id: 987654 }, { select: { id: true, deactivatedAt: true } })).toBeNull();

    await existsByColumns(m, User, { username: w.a.owner.username });
    const built = await queriesBuilt(SelectQueryBuilder, async () => {
      expect((await findOneOrNull(m, Attachment, { entryId, kind: 'report' }, { order: { version: 'DESC' } }))?.originalName).toBe('第二稿.pdf');
      expect(await findOneOrNull(m, RecommendingUnit, { id: w.b.unit.id }, { select: { id: true, deactivatedAt: true } })).toEqual(partial);
      expect(await existsByColumns(m, User, { username: w.a.owner.username })).toBe(true);
    });
    expect(built).toBe(0);
  });

  it('existsByColumns: what existsBy says, for a row there, one not there, and values it leaves to TypeORM', async () => {
    const m = t.dataSource.manager;
    expect(await existsByColumns(m, User, { username: w.a.owner.username })).toBe(true);
    expect(await existsByColumns(m, User, { username: 'nobody-here' })).toBe(false);
    expect(await existsByColumns(m, Attachment, { entryId, kind: 'report' })).toBe(await m.getRepository(Attachment).existsBy({ entryId, kind: 'report' }));
    expect(await existsByColumns(m, Attachment, { entryId, kind: 'slides' })).toBe(false);
    // Not a plain value (an operator): TypeORM's own existsBy answers.
    expect(await existsByColumns(m, User, { username: w.a.owner.username, expertId: IsNull() })).toBe(true);
  });

  it('answers 404 (with its code) for a row that is not there, and for a row that does not match every column', async () => {
    await expect(findOr404(t.dataSource.manager, Entry, { id: 987654 })).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(findOr404(t.dataSource.manager, Entry, { id: entryId, contestId: w.contest.id + 1000 }, { code: 'entry_not_in_contest' })).rejects.toMatchObject({
      status: 404,
      code: 'entry_not_in_contest',
    });
  });

  it('sees the transaction it runs in (an uncommitted change)', async () => {
    const ROLLBACK = new Error('rollback');
    await expect(
      t.dataSource.transaction(async (m) => {
        await m.getRepository(Entry).update({ id: entryId }, { title: '未提交的标题' });
        expect((await findOr404(m, Entry, { id: entryId }, { lock: true })).title).toBe('未提交的标题');
        throw ROLLBACK;
      }),
    ).rejects.toBe(ROLLBACK);
    expect((await findOr404(t.dataSource.manager, Entry, { id: entryId })).title).not.toBe('未提交的标题');
  });
});

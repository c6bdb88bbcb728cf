import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InsertQueryBuilder } from 'typeorm';
import { insertRows } from '../../src/database/insert-rows.js';
import { EntryEvent } from '../../src/entries/entry.entities.js';
import { Notification } from '../../src/notifications/notification.entities.js';
import { createEntry, createIntakeWorld, type IntakeWorld } from '../factories/entries.js';
import { queriesBuilt } from '../support/queries-built.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

/**
 * insertRows (src/database/insert-rows.ts) writes plain entities' rows as one INSERT of plain SQL: what
 * it stores must read back exactly as what repository.insert stores (dates, nulls, numbers, text), on
 * both databases, in the caller's transaction.
 */
describe(`insertRows (${TEST_DB})`, () => {
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

  const without = <T extends { id: number }>(x: T): Omit<T, 'id'> & { id?: undefined } => ({ ...x, id: undefined });

  it('stores notifications and entry events as repository.insert does, several rows at once, without TypeORM building an insert', async () => {
    const at = new Date('2020-09-29T02:00:00.000Z');
    const note = (key: string, extra: Partial<Notification> = {}): Partial<Notification> => ({
      userId: w.a.owner.userId, kind: 'entry_returned', channel: 'inbox', contestId: w.contest.id, subject: '成果被退回「修改」', body: '请补充材料\n第二行', link: '#/x',
      address: null, status: 'sent', attempts: 0, nextAttemptAt: at, leaseOwner: null, leaseUntil: null, lastError: null, idempotencyKey: key, readAt: null, createdAt: at, sentAt: at, ...extra,
    });
    const repo = t.dataSource.getRepository(Notification);
    await repo.insert([note('ref:1'), note('ref:2', { channel: 'email', address: 'a@b.cn', status: 'pending', sentAt: null, userId: null, contestId: null })]);
    const built = await queriesBuilt(InsertQueryBuilder, async () => {
      await t.dataSource.transaction((m) => insertRows(m, Notification, [note('plain:1'), note('plain:2', { channel: 'email', address: 'a@b.cn', status: 'pending', sentAt: null, userId: null, contestId: null })]));
      await t.dataSource.transaction((m) =>
        insertRows(m, EntryEvent, [
          { entryId, fromStatus: null, toStatus: 'draft', actorId: w.a.owner.userId, actorRole: 'enterprise', reason: null, createdAt: at },
          { entryId, fromStatus: 'draft', toStatus: 'submitted', actorId: null, actorRole: 'system', reason: '理由：“引号”', createdAt: new Date('2020-09-29T02:00:01.000Z') },
        ]),
      );
    });
    expect(built).toBe(0);
    const byKey = async (k: string) => without((await repo.findOneByOrFail({ idempotencyKey: k })) as Notification);
    expect({ ...(await byKey('plain:1')), idempotencyKey: 'ref:1' }).toEqual(await byKey('ref:1'));
    expect({ ...(await byKey('plain:2')), idempotencyKey: 'ref:2' }).toEqual(await byKey('ref:2'));
    expect((await byKey('plain:1')).nextAttemptAt).toEqual(at);

    await t.dataSource.getRepository(EntryEvent).insert([
      { entryId, fromStatus: null, toStatus: 'draft', actorId: w.a.owner.userId, actorRole: 'enterprise', reason: null, createdAt: at },
      { entryId, fromStatus: 'draft', toStatus: 'submitted', actorId: null, actorRole: 'system', reason: '理由：“引号”', createdAt: new Date('2020-09-29T02:00:01.000Z') },
    ]);
    const events = (await t.dataSource.getRepository(EntryEvent).find({ where: { entryId }, order: { id: 'ASC' } })).map(without);
    const mine = events.slice(-4);
    expect(mine.slice(0, 2)).toEqual(mine.slice(2));
    expect(mine[1]).toMatchObject({ actorId: null, reason: '理由：“引号”', createdAt: new Date('2020-09-29T02:00:01.000Z') });
  });

  it('writes in the caller transaction: nothing stays when it rolls back', async () => {
    const ROLLBACK = new Error('rollback');
    const before = await t.dataSource.getRepository(EntryEvent).countBy({ entryId });
    await expect(
      t.dataSource.transaction(async (m) => {
        await insertRows(m, EntryEvent, [{ entryId, fromStatus: null, toStatus: 'draft', actorId: null, actorRole: 'system', reason: null, createdAt: new Date() }]);
        expect(await m.getRepository(EntryEvent).countBy({ entryId })).toBe(before + 1);
        throw ROLLBACK;
      }),
    ).rejects.toBe(ROLLBACK);
    expect(await t.dataSource.getRepository(EntryEvent).countBy({ entryId })).toBe(before);
  });
});

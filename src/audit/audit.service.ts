import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { isDuplicateKey } from '../database/db-errors.js';
import { writeLock } from '../database/write-lock.js';
import type { Actor } from '../auth/auth-user.js';
import { AuditChainHead, AuditEvent } from './audit-event.entity.js';
import { Clock } from '../common/clock.js';

export interface AuditRecord {
  action: string;
  targetType: string;
  targetId: string | number;
  before?: unknown;
  after?: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);


/** The chain an actor's events append to: one per user, so experts submitting at once do not queue on one head. */
export function chainKeyOf(actor: Pick<Actor, 'id'>): string {
  return actor.id === null ? 'system' : `user:${actor.id}`;
}

/** A statement of an audit link for the caller to run in its own batch (see AuditService.linkStatements). */
export interface LinkStatement {
  sql: string;
  params: unknown[];
}

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** The hash of a row: sha256 over its previous hash and its content, fields in a fixed order. */
export function auditHash(e: Omit<AuditEvent, 'id' | 'hash'>): string {
  const material = JSON.stringify([
    e.prevHash,
    e.chainKey,
    e.seq,
    e.actorId,
    e.actorRole,
    e.action,
    e.targetType,
    e.targetId,
    e.before,
    e.after,
    e.requestId,
    // Seconds precision: what both databases keep of a datetime.
    Math.floor(new Date(e.createdAt).getTime() / 1000),
  ]);
  return createHash('sha256').update(material).digest('hex');
}

export interface AuditVerification {
  ok: boolean;
  chains: number;
  events: number;
  firstBroken: { id: number; chainKey: string; seq: number; problem: string } | null;
}

@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource, private readonly clock: Clock) {}

  /** Appends to the actor's chain. Call inside the transaction of the change it records. */
  async record(manager: EntityManager, actor: Actor, rec: AuditRecord): Promise<void> {
    const chainKey = chainKeyOf(actor);
    // Three statements: read the head under its row lock (SQLite serialises transactions anyway), then
    // linkStatements' insert of the event and move of the head (written as SQL: every audited request
    // pays for these, and TypeORM's query building was most of their cost).
    const lock = writeLock(manager) ? ' FOR UPDATE' : '';
    const readHead = async () => {
      const rows = (await manager.query(`SELECT seq, last_hash AS lastHash FROM audit_chain_heads WHERE chain_key = ?${lock}`, [chainKey])) as { seq: number | string; lastHash: string }[];
      return rows[0] ? { seq: Number(rows[0].seq), lastHash: rows[0].lastHash } : null;
    };
    let head = await readHead();
    if (!head) {
      // Only chains without a head get here (users get theirs when created: see openChain).
      try {
        await manager.getRepository(AuditChainHead).insert({ chainKey, seq: 0, lastHash: GENESIS_HASH });
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
      head = await readHead();
      if (!head) throw new Error(`audit chain head ${chainKey} missing`);
    }
    // Under the head's lock the update's guard (seq as read) always holds.
    for (const s of this.linkStatements([{ actor, rec, head }])) await manager.query(s.sql, s.params);
  }

  /** The next event of the actor's chain after `head` (whole seconds, by the one clock) and its hash. */
  private link(actor: Actor, rec: AuditRecord, head: { seq: number; lastHash: string }): { event: Omit<AuditEvent, 'id' | 'hash'>; hash: string } {
    const now = this.clock.now();
    now.setMilliseconds(0);
    const event: Omit<AuditEvent, 'id' | 'hash'> = {
      chainKey: chainKeyOf(actor),
      seq: head.seq + 1,
      actorId: actor.id,
      actorRole: actor.role,
      action: rec.action,
      targetType: rec.targetType,
      targetId: String(rec.targetId),
      before: json(rec.before),
      after: json(rec.after),
      requestId: actor.requestId,
      createdAt: now,
      prevHash: head.lastHash,
    };
    return { event, hash: auditHash(event) };
  }

  /**
   * The same links as record(), as two statements for a caller that read its chain heads (seq, last
   * hash) WITHOUT a lock in its own query and sends its writes in one batch (the group-committed score
   * submit): one multi-row insert of the events first — the unique key (chain_key, seq) refuses it
   * when a concurrent writer of a chain won, and the caller's transaction runs again — then the heads
   * in one update, each guarded by the seq read (the caller checks that it moved exactly
   * `links.length` rows). One link per chain (a second event of a chain would need the first's hash).
   * Same rows and hashes as record(). The time is written as TypeORM writes a datetime on SQLite
   * ('2026-11-27 08:30:00.000', the milliseconds always 0 here), so that the audit list's time filter,
   * which compares with that text, sees these events like any other.
   */
  linkStatements(links: readonly { actor: Actor; rec: AuditRecord; head: { seq: number; lastHash: string } }[]): LinkStatement[] {
    if (!links.length) return [];
    const made = links.map((l) => ({ ...this.link(l.actor, l.rec, l.head), headSeq: l.head.seq }));
    return [
      {
        sql: `INSERT INTO audit_events (chain_key, seq, actor_id, actor_role, action, target_type, target_id, \`before\`, \`after\`, request_id, created_at, prev_hash, hash)
          VALUES ${made.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        params: made.flatMap(({ event: e, hash }) => [e.chainKey, e.seq, e.actorId, e.actorRole, e.action, e.targetType, e.targetId, e.before, e.after, e.requestId, e.createdAt.toISOString().slice(0, 23).replace('T', ' '), e.prevHash, hash]),
      },
      {
        sql: `UPDATE audit_chain_heads SET seq = seq + 1, last_hash = CASE chain_key ${made.map(() => 'WHEN ? THEN ?').join(' ')} END
          WHERE ${made.map(() => '(chain_key = ? AND seq = ?)').join(' OR ')}`,
        params: [...made.flatMap(({ event, hash }) => [event.chainKey, hash]), ...made.flatMap(({ event, headSeq }) => [event.chainKey, headSeq])],
      },
    ];
  }

  /**
   * Creates a user's chain head (seq 0) in the transaction that creates the user: later audited
   * writes only ever UPDATE it, which InnoDB orders with a row lock and no gap locks.
   */
  async openChain(manager: EntityManager, userId: number): Promise<void> {
    await manager.getRepository(AuditChainHead).insert({ chainKey: `user:${userId}`, seq: 0, lastHash: GENESIS_HASH });
  }

  /** Recomputes every chain and names the first broken link (edited, removed or reordered rows). */
  async verify(): Promise<AuditVerification> {
    const repo = this.dataSource.getRepository(AuditEvent);
    const heads = await this.dataSource.getRepository(AuditChainHead).find();
    let events = 0;
    let firstBroken: AuditVerification['firstBroken'] = null;
    const note = (e: AuditEvent, problem: string) => {
      if (!firstBroken || e.id < firstBroken.id) firstBroken = { id: e.id, chainKey: e.chainKey, seq: e.seq, problem };
    };
    for (const head of heads) {
      const rows = await repo.find({ where: { chainKey: head.chainKey }, order: { seq: 'ASC' } });
      events += rows.length;
      let prev = GENESIS_HASH;
      let expectedSeq = 1;
      for (const row of rows) {
        if (row.seq !== expectedSeq) { note(row, `missing event before seq ${row.seq}`); break; }
        if (row.prevHash !== prev) { note(row, 'previous-hash link does not match'); break; }
        if (auditHash(row) !== row.hash) { note(row, 'content does not match its hash'); break; }
        prev = row.hash;
        expectedSeq++;
      }
      const last = rows.at(-1);
      if (!firstBroken && (head.lastHash !== prev || head.seq !== rows.length) && last) {
        note(last, 'events after this one were removed');
      }
    }
    return { ok: !firstBroken, chains: heads.length, events, firstBroken };
  }
}

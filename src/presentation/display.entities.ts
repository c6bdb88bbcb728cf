import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../database/transformers.js';

/**
 * The presentation timer of a session (projector display): which entry presents and how much of
 * its time is left. Kept in the database, not in memory, so a reloaded display keeps the remaining
 * time and every service instance reads the same state. Remaining time now =
 * remaining_ms − (now − started_ms) while running, remaining_ms while paused (the server's clock).
 */
@Entity('session_timers')
@Index('uq_session_timers_session', ['sessionId'], { unique: true })
export class SessionTimer {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'session_id', type: 'int' }) sessionId: number;
  /** The entry presenting now; null before the first start. */
  @Column({ name: 'current_entry_id', type: 'int', nullable: true }) currentEntryId: number | null;
  /** The presentation time of one entry (the session's slot minutes when the entry came up). */
  @Column({ name: 'duration_ms', type: 'int' }) durationMs: number;
  @Column({ type: 'boolean' }) running: boolean;
  /** Epoch ms (server clock) of the last start; milliseconds, which a datetime column would drop. 0 while paused. */
  @Column({ name: 'started_ms', type: 'bigint', transformer: bigintNumber }) startedMs: number;
  /** Remaining ms at the last start or pause (negative: overtime). */
  @Column({ name: 'remaining_ms', type: 'int' }) remainingMs: number;
  /** Bumped by every action: the change fingerprint of the displays' streams. */
  @Column({ type: 'int' }) version: number;
  @Column({ name: 'updated_by', type: 'int', nullable: true }) updatedBy: number | null;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}

/**
 * A display link of a session (投屏链接): whoever holds the token sees the public wall of that one
 * session, nothing else. Only the SHA-256 of the token is stored; revoked links answer 410.
 */
@Entity('display_links')
@Index('uq_display_links_hash', ['tokenHash'], { unique: true })
@Index('ix_display_links_session', ['sessionId'])
export class DisplayLink {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'session_id', type: 'int' }) sessionId: number;
  @Column({ name: 'token_hash', type: 'varchar', length: 64 }) tokenHash: string;
  /** What the organizer calls it (e.g. 主会场投影), 1–50 characters. */
  @Column({ type: 'varchar', length: 50 }) label: string;
  @Column({ name: 'created_by', type: 'int' }) createdBy: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'revoked_at', type: 'datetime', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'revoked_by', type: 'int', nullable: true }) revokedBy: number | null;
}

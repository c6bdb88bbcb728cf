import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only audit trail. Rows form hash chains, one per actor (`chain_key`), so that a burst of
 * experts submitting at once does not serialise on a single chain head; each row carries the hash
 * of the previous row of its chain and its own hash over its content.
 */
@Entity('audit_events')
@Index('uq_audit_events_chain_seq', ['chainKey', 'seq'], { unique: true })
@Index('ix_audit_events_target', ['targetType', 'targetId'])
export class AuditEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'chain_key', type: 'varchar', length: 64 })
  chainKey: string;

  @Column({ type: 'int' })
  seq: number;

  @Column({ name: 'actor_id', type: 'int', nullable: true })
  actorId: number | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType: string;

  @Column({ name: 'target_id', type: 'varchar', length: 64 })
  targetId: string;

  /** JSON text, or null. Kept as text so the hash covers exactly what is stored. */
  @Column({ type: 'text', nullable: true })
  before: string | null;

  @Column({ type: 'text', nullable: true })
  after: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}

/** The last link of each chain; updating it first takes a row lock that orders writers of a chain. */
@Entity('audit_chain_heads')
export class AuditChainHead {
  @PrimaryColumn({ name: 'chain_key', type: 'varchar', length: 64 })
  chainKey: string;

  @Column({ type: 'int' })
  seq: number;

  @Column({ name: 'last_hash', type: 'varchar', length: 64 })
  lastHash: string;
}

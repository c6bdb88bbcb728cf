import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One message to one recipient on one channel: the transactional outbox and, for the channel
 * `inbox`, the in-app inbox itself. Rows are written in the transaction of the event that causes
 * them (a rolled-back use case leaves none); the delivery worker claims pending e-mail and SMS rows
 * with a lease (lease_owner/lease_until) and marks them sent, or dead after the last try.
 * `idempotency_key` is unique (one message per event, recipient and channel) and gives the mail
 * its Message-ID and the webhook its X-Idempotency-Key, so a receiver can drop a repeat.
 */
@Entity('notifications')
@Index('uq_notifications_key', ['idempotencyKey'], { unique: true })
@Index('ix_notifications_due', ['status', 'nextAttemptAt'])
@Index('ix_notifications_user', ['userId', 'channel', 'readAt'])
@Index('ix_notifications_lease', ['leaseOwner'])
export class Notification {
  @PrimaryGeneratedColumn() id: number;
  /** The recipient account; null for an address outside the system (an objector's contact). */
  @Column({ name: 'user_id', type: 'int', nullable: true }) userId: number | null;
  @Column({ type: 'varchar', length: 40 }) kind: string;
  /** inbox | email | sms */
  @Column({ type: 'varchar', length: 16 }) channel: string;
  @Column({ name: 'contest_id', type: 'int', nullable: true }) contestId: number | null;
  @Column({ type: 'varchar', length: 200 }) subject: string;
  @Column({ type: 'text' }) body: string;
  /** The deep link into the web interface (a hash route such as #/enterprise/entry/12). */
  @Column({ type: 'varchar', length: 300 }) link: string;
  /** The e-mail address or phone number it goes to (null for the inbox). */
  @Column({ type: 'varchar', length: 200, nullable: true }) address: string | null;
  /** pending | sent | dead | skipped (no channel configured or no address: not a failure). */
  @Column({ type: 'varchar', length: 16 }) status: string;
  @Column({ type: 'int' }) attempts: number;
  @Column({ name: 'next_attempt_at', type: 'datetime' }) nextAttemptAt: Date;
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true }) leaseOwner: string | null;
  @Column({ name: 'lease_until', type: 'datetime', nullable: true }) leaseUntil: Date | null;
  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true }) lastError: string | null;
  @Column({ name: 'idempotency_key', type: 'varchar', length: 191 }) idempotencyKey: string;
  @Column({ name: 'read_at', type: 'datetime', nullable: true }) readAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'sent_at', type: 'datetime', nullable: true }) sentAt: Date | null;
}

/** A channel a user muted for a kind of notification (the inbox cannot be muted: it is the record). */
@Entity('notification_mutes')
export class NotificationMute {
  @PrimaryColumn({ name: 'user_id', type: 'int' }) userId: number;
  @PrimaryColumn({ type: 'varchar', length: 40 }) kind: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) channel: string;
}

/** Where a user wants e-mail and SMS (set on the notification settings screen). */
@Entity('notification_contacts')
export class NotificationContact {
  @PrimaryColumn({ name: 'user_id', type: 'int' }) userId: number;
  @Column({ type: 'varchar', length: 200, nullable: true }) email: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) phone: string | null;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}

/** A lock row per scheduled check: the instance that moves `locked_until` forward runs the check. */
@Entity('scheduler_locks')
export class SchedulerLock {
  @PrimaryColumn({ type: 'varchar', length: 64 }) name: string;
  @Column({ name: 'locked_until', type: 'datetime' }) lockedUntil: Date;
  @Column({ type: 'varchar', length: 64, nullable: true }) owner: string | null;
}

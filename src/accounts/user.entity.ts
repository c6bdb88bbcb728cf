import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from './role.js';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('uq_users_username', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  /**
   * Bumped on deactivation and password changes: tokens carry it, so old ones stop working at once.
   * Any change to a user that the guards read (this, active, role, the organisation ids) must also
   * call bumpAuthRevision (src/auth/auth-sessions.ts) in its transaction: instances cache accounts.
   */
  @Column({ name: 'token_version', type: 'int' })
  tokenVersion: number;

  /** The organisation a recommender, enterprise or expert account belongs to (one of the three). */
  @Index('ix_users_enterprise')
  @Column({ name: 'enterprise_id', type: 'int', nullable: true })
  enterpriseId: number | null;

  @Index('ix_users_unit')
  @Column({ name: 'unit_id', type: 'int', nullable: true })
  unitId: number | null;

  @Index('ix_users_expert')
  @Column({ name: 'expert_id', type: 'int', nullable: true })
  expertId: number | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The one-row change counter of accounts (see migrations/1765460000000-auth-revision.ts and auth-sessions.ts). */
@Entity('auth_revision')
export class AuthRevision {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'int' })
  revision: number;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 评审组: the experts judging one track, with a leader who signs off their sheets. */
@Entity('panels')
@Index('uq_panels_name', ['contestId', 'name'], { unique: true })
export class Panel {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  @Column({ name: 'track_id', type: 'int' }) trackId: number;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ name: 'leader_expert_id', type: 'int', nullable: true }) leaderExpertId: number | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}

@Entity('panel_members')
@Index('uq_panel_members', ['panelId', 'expertId'], { unique: true })
@Index('ix_panel_members_expert', ['expertId'])
export class PanelMember {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'panel_id', type: 'int' }) panelId: number;
  @Column({ name: 'expert_id', type: 'int' }) expertId: number;
}

export const CONFLICT_DECLARERS = ['expert', 'organizer'] as const;
export type ConflictDeclarer = (typeof CONFLICT_DECLARERS)[number];

/** 回避 declared by the expert or the organizer (automatic ones are computed from employers). */
@Entity('declared_conflicts')
@Index('uq_declared_conflicts', ['expertId', 'entryId'], { unique: true })
@Index('ix_declared_conflicts_contest', ['contestId'])
export class DeclaredConflict {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  @Column({ name: 'expert_id', type: 'int' }) expertId: number;
  @Column({ name: 'entry_id', type: 'int' }) entryId: number;
  @Column({ name: 'declared_by_role', type: 'varchar', length: 16 }) declaredByRole: ConflictDeclarer;
  @Column({ type: 'text' }) reason: string;
  @Column({ name: 'declared_by', type: 'int' }) declaredBy: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}

/** Which expert judges which entry (in a panel). */
@Entity('assignments')
@Index('uq_assignments', ['expertId', 'entryId'], { unique: true })
@Index('ix_assignments_entry', ['entryId'])
@Index('ix_assignments_panel', ['panelId'])
export class Assignment {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  @Column({ name: 'panel_id', type: 'int' }) panelId: number;
  @Column({ name: 'expert_id', type: 'int' }) expertId: number;
  @Column({ name: 'entry_id', type: 'int' }) entryId: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}

/** 现场发表场次: a room and a start time; its order is drawn by lot with a committed seed. */
@Entity('presentation_sessions')
@Index('ix_presentation_sessions_contest', ['contestId'])
export class PresentationSession {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  @Column({ name: 'track_id', type: 'int' }) trackId: number;
  @Column({ name: 'panel_id', type: 'int', nullable: true }) panelId: number | null;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'varchar', length: 200 }) venue: string;
  @Column({ name: 'starts_at', type: 'datetime' }) startsAt: Date;
  /** Presentation minutes per entry. */
  @Column({ name: 'slot_minutes', type: 'int' }) slotMinutes: number;
  /** Question-and-answer minutes per entry. */
  @Column({ name: 'qa_minutes', type: 'int' }) qaMinutes: number;
  /** SHA-256 (hex) of the seed, published before the draw. */
  @Column({ name: 'seed_commitment', type: 'varchar', length: 64, nullable: true }) seedCommitment: string | null;
  @Column({ name: 'committed_at', type: 'datetime', nullable: true }) committedAt: Date | null;
  /** Revealed after the draw so anyone can recompute the order. */
  @Column({ type: 'varchar', length: 128, nullable: true }) seed: string | null;
  @Column({ name: 'drawn_at', type: 'datetime', nullable: true }) drawnAt: Date | null;
  @Column({ name: 'signed_off_at', type: 'datetime', nullable: true }) signedOffAt: Date | null;
  @Column({ name: 'signed_off_by', type: 'int', nullable: true }) signedOffBy: number | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}

export const ATTENDANCE = ['pending', 'present', 'absent'] as const;
export type Attendance = (typeof ATTENDANCE)[number];

/** An entry's place in a session: position and time from the draw, and check-in. */
@Entity('session_slots')
@Index('uq_session_slots_entry', ['entryId'], { unique: true })
@Index('uq_session_slots_position', ['sessionId', 'position'], { unique: true })
export class SessionSlot {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'session_id', type: 'int' }) sessionId: number;
  @Column({ name: 'entry_id', type: 'int' }) entryId: number;
  @Column({ type: 'int', nullable: true }) position: number | null;
  @Column({ name: 'starts_at', type: 'datetime', nullable: true }) startsAt: Date | null;
  @Column({ type: 'varchar', length: 16 }) attendance: Attendance;
  @Column({ name: 'checked_at', type: 'datetime', nullable: true }) checkedAt: Date | null;
}

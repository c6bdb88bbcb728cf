import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../database/transformers.js';
import type { EntryType } from '../contests/contest.entities.js';

export const ENTRY_STATUSES = [
  'draft', 'submitted', 'recommended', 'declined', 'passed', 'returned', 'resubmitted', 'rejected',
  'scheduled', 'presented', 'absent', 'scored', 'awarded', 'not_awarded', 'withdrawn',
] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export interface TeamMember {
  name: string;
  jobTitle: string;
  /** e.g. 组长, 副组长, 组员 */
  role: string;
}
export interface Team {
  name: string;
  leader: string;
  members: TeamMember[];
}

/**
 * 攻关成果: what an enterprise submits and the experts judge. A draft may lack any content field (null);
 * submission requires them all (see draftCompleteness), so entries past draft always have them.
 */
@Entity('entries')
@Index('ix_entries_contest_status', ['contestId', 'status'])
@Index('ix_entries_enterprise', ['enterpriseId'])
@Index('ix_entries_unit', ['unitId'])
export class Entry {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  @Column({ name: 'enterprise_id', type: 'int' }) enterpriseId: number;
  @Column({ name: 'unit_id', type: 'int' }) unitId: number;
  @Column({ name: 'track_id', type: 'int', nullable: true }) trackId: number | null;
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ name: 'entry_type', type: 'varchar', length: 16, nullable: true }) entryType: EntryType | null;
  @Column({ type: 'varchar', length: 16 }) status: EntryStatus;
  @Column({ name: 'team_name', type: 'varchar', length: 100, nullable: true }) teamName: string | null;
  @Column({ type: 'text', nullable: true, transformer: jsonText }) team: Team | null;
  @Column({ type: 'text', nullable: true }) summary: string | null;
  /** 'YYYY-MM-DD' */
  @Column({ name: 'activity_start', type: 'varchar', length: 10, nullable: true }) activityStart: string | null;
  @Column({ name: 'activity_end', type: 'varchar', length: 10, nullable: true }) activityEnd: string | null;
  /** Economic benefit in whole yuan. */
  @Column({ name: 'economic_benefit', type: 'bigint', nullable: true, transformer: bigintNumber }) economicBenefit: number | null;
  @Column({ name: 'benefit_description', type: 'text', nullable: true }) benefitDescription: string | null;
  @Column({ name: 'submitted_at', type: 'datetime', nullable: true }) submittedAt: Date | null;
  /** Optimistic lock: bumped on every change. */
  @Column({ type: 'int' }) version: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}

/**
 * The entry type of an entry past draft: submission requires it (missingForSubmission), so null here
 * would be a broken invariant, not user input.
 */
export function submittedEntryType(e: Pick<Entry, 'id' | 'entryType'>): EntryType {
  if (e.entryType === null) throw new Error(`entry ${e.id} has no entry type but is past draft`);
  return e.entryType;
}

/** The status timeline: every transition with who, when and why. */
@Entity('entry_events')
@Index('ix_entry_events_entry', ['entryId'])
export class EntryEvent {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'entry_id', type: 'int' }) entryId: number;
  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true }) fromStatus: EntryStatus | null;
  @Column({ name: 'to_status', type: 'varchar', length: 16 }) toStatus: EntryStatus;
  @Column({ name: 'actor_id', type: 'int', nullable: true }) actorId: number | null;
  @Column({ name: 'actor_role', type: 'varchar', length: 16 }) actorRole: string;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}

export const ATTACHMENT_KINDS = ['report', 'slides', 'evidence'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** An uploaded file; a new upload of the same kind is a new version, earlier ones are kept. */
@Entity('attachments')
@Index('ix_attachments_entry', ['entryId', 'kind'])
export class Attachment {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'entry_id', type: 'int' }) entryId: number;
  @Column({ type: 'varchar', length: 16 }) kind: AttachmentKind;
  @Column({ type: 'int' }) version: number;
  @Column({ name: 'original_name', type: 'varchar', length: 255 }) originalName: string;
  @Column({ type: 'varchar', length: 100 }) mime: string;
  @Column({ type: 'int' }) size: number;
  @Column({ type: 'varchar', length: 64 }) sha256: string;
  @Column({ name: 'storage_key', type: 'varchar', length: 255 }) storageKey: string;
  @Column({ name: 'uploaded_by', type: 'int' }) uploadedBy: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}

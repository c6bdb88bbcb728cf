import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonText } from '../database/transformers.js';

/** A method or specialty of the controlled list the organizer maintains (统计技术, 工艺, 设备…). */
@Entity('expertise_topics')
export class ExpertiseTopic {
  @PrimaryGeneratedColumn() id: number;
  @Index('uq_expertise_topics_name', { unique: true })
  @Column({ type: 'varchar', length: 50 }) name: string;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}

/** The profile fields, as stored (live) and as proposed by the expert (pending the organizer's approval). */
export interface ProfileFields {
  industries: string[];
  entryTypes: string[];
  topics: string[];
  yearsOfExperience: number | null;
  keywords: string[];
}

/** An expert's profile for assignment by expertise; one row per expert. */
@Entity('expert_profiles')
export class ExpertProfile {
  @PrimaryGeneratedColumn() id: number;
  @Index('uq_expert_profiles_expert', { unique: true })
  @Column({ name: 'expert_id', type: 'int' }) expertId: number;
  @Column({ type: 'text', transformer: jsonText }) industries: string[];
  @Column({ name: 'entry_types', type: 'text', transformer: jsonText }) entryTypes: string[];
  @Column({ type: 'text', transformer: jsonText }) topics: string[];
  @Column({ name: 'years_of_experience', type: 'int', nullable: true }) yearsOfExperience: number | null;
  @Column({ type: 'text', transformer: jsonText }) keywords: string[];
  /** The expert's own change, waiting for the organizer (null: none). */
  @Column({ type: 'text', nullable: true, transformer: jsonText }) proposed: ProfileFields | null;
  @Column({ name: 'proposed_at', type: 'datetime', nullable: true }) proposedAt: Date | null;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}

/** The topics an enterprise chose for its entry (from the same controlled list). */
@Entity('entry_topics')
export class EntryTopic {
  @PrimaryGeneratedColumn() id: number;
  @Index('uq_entry_topics_entry', { unique: true })
  @Column({ name: 'entry_id', type: 'int' }) entryId: number;
  @Column({ type: 'text', transformer: jsonText }) topics: string[];
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonText } from '../database/transformers.js';

export const UNIT_KINDS = ['dev_zone_regulator', 'industry_association', 'street_town', 'other'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** 推荐单位: endorses the entries of its enterprises. */
@Entity('recommending_units')
export class RecommendingUnit {
  @PrimaryGeneratedColumn() id: number;

  @Index('uq_recommending_units_name', { unique: true })
  @Column({ type: 'varchar', length: 200 }) name: string;

  @Column({ type: 'varchar', length: 32 }) kind: UnitKind;
  @Column({ name: 'contact_person', type: 'varchar', length: 50, nullable: true }) contactPerson: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) phone: string | null;
  /** When an organizer deactivated it (null: active). Deactivated, it stays with its history; see OrganisationStatusService. */
  @Column({ name: 'deactivated_at', type: 'datetime', nullable: true }) deactivatedAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}

export const ENTERPRISE_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type EnterpriseStatus = (typeof ENTERPRISE_STATUSES)[number];

/** 企业, identified by its 统一社会信用代码. */
@Entity('enterprises')
export class Enterprise {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 200 }) name: string;

  @Index('uq_enterprises_uscc', { unique: true })
  @Column({ type: 'varchar', length: 18 }) uscc: string;

  @Column({ type: 'varchar', length: 50, nullable: true }) industry: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) address: string | null;
  @Column({ name: 'contact_person', type: 'varchar', length: 50, nullable: true }) contactPerson: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) phone: string | null;

  @Index('ix_enterprises_default_unit')
  @Column({ name: 'default_unit_id', type: 'int', nullable: true }) defaultUnitId: number | null;

  @Column({ type: 'varchar', length: 16 }) status: EnterpriseStatus;
  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true }) statusReason: string | null;
  /** The user who registered it (a recommender's pending registration); null for the system (self-registration). */
  @Column({ name: 'created_by', type: 'int', nullable: true }) createdBy: number | null;
  /** When an organizer deactivated it (null: active). Deactivated, it stays with its history; see OrganisationStatusService. */
  @Column({ name: 'deactivated_at', type: 'datetime', nullable: true }) deactivatedAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}

export const EMPLOYER_KINDS = ['enterprise', 'unit', 'other'] as const;
export type EmployerKind = (typeof EMPLOYER_KINDS)[number];

/** 评审专家: a judge, with the employer that decides automatic conflicts of interest. */
@Entity('experts')
export class Expert {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 50 }) name: string;
  @Column({ name: 'employer_kind', type: 'varchar', length: 16 }) employerKind: EmployerKind;
  @Column({ name: 'employer_enterprise_id', type: 'int', nullable: true }) employerEnterpriseId: number | null;
  @Column({ name: 'employer_unit_id', type: 'int', nullable: true }) employerUnitId: number | null;
  @Column({ name: 'employer_name', type: 'varchar', length: 200, nullable: true }) employerName: string | null;
  @Column({ type: 'varchar', length: 50, nullable: true }) title: string | null;
  /** Fields of expertise, e.g. ["制造", "质量管理"]. */
  @Column({ type: 'text', transformer: jsonText }) fields: string[];
  @Column({ type: 'varchar', length: 32, nullable: true }) phone: string | null;
  /** When an organizer deactivated it (null: active). Deactivated, it stays with its history; see OrganisationStatusService. */
  @Column({ name: 'deactivated_at', type: 'datetime', nullable: true }) deactivatedAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The award notice's own fields, set by an organizer (audited): its 文号 (document number, e.g.
 * 津滨质量组办〔2020〕5号), the issuing body and the addressee line. One row per contest.
 */
@Entity('report_documents')
@Index('uq_report_documents_contest', ['contestId'], { unique: true })
export class ReportDocument {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  @Column({ name: 'document_number', type: 'varchar', length: 60 }) documentNumber: string;
  /** 发文机关; null: the contest's 组委会. */
  @Column({ type: 'varchar', length: 100, nullable: true }) issuer: string | null;
  /** 主送 line; null: 各推荐单位、各有关企业. */
  @Column({ type: 'varchar', length: 200, nullable: true }) addressee: string | null;
  @Column({ name: 'updated_by', type: 'int' }) updatedBy: number;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}

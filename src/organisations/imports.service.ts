import { Injectable } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { AppError, fieldError, type FieldError } from '../common/errors.js';
import { flattenValidationErrors } from '../common/validation.js';
import { EnterprisesService } from './enterprises.service.js';
import { ExpertsService } from './experts.service.js';
import type { ImportResult } from './imports.dto.js';
import { Enterprise, RecommendingUnit } from './organisation.entities.js';
import { usccErrors } from './organisation-rules.js';
import { ORGANISATIONS_TEXTS as T } from './organisations.errors.js';
import { CreateEnterpriseDto, CreateExpertDto, CreateUnitDto } from './organisations.dto.js';
import { EMPLOYER_KIND_LABELS, IMPORT_COLUMNS, type ImportKind, readSheet, type SheetRow, UNIT_KIND_LABELS } from './spreadsheet.js';
import { UnitsService } from './units.service.js';
import { ExpertiseService } from '../expertise/expertise.service.js';
import { importedProfile } from '../expertise/expert-profile-import.js';
import type { ProfileFields } from '../expertise/expertise.entities.js';

/** At most this many row errors are listed; the count of all of them is in `details`. */
const MAX_LISTED_ERRORS = 500;

interface Checked<T> {
  row: number;
  dto: T;
  /** An expert row's profile of expertise, when it has any of its columns. */
  profile?: ProfileFields | null;
}

/**
 * Imports units, enterprises or experts from an xlsx sheet or a CSV file. Every row is checked against the same
 * rules as the HTTP routes (and against the other rows of the file) before anything is written; one
 * bad row and nothing is imported, and the answer lists every problem by row and column.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly units: UnitsService,
    private readonly enterprises: EnterprisesService,
    private readonly experts: ExpertsService,
    private readonly expertise: ExpertiseService,
  ) {}

  async run(actor: Actor, kind: ImportKind, file: { buffer: Buffer; filename: string }, dryRun: boolean): Promise<ImportResult> {
    const sheet = await readSheet(file.buffer, IMPORT_COLUMNS[kind]);
    return this.dataSource.transaction(async (m) => {
      const errors: FieldError[] = [];
      const records =
        kind === 'units'
          ? await this.checkUnits(m, sheet.rows, errors)
          : kind === 'enterprises'
            ? await this.checkEnterprises(m, sheet.rows, errors)
            : await this.checkExperts(m, sheet.rows, errors);
      if (errors.length) {
        const invalidRows = new Set(errors.map((e) => e.field.replace(/\].*$/, ''))).size;
        throw AppError.unprocessable(
          'import_invalid',
          T.rowsInvalid(invalidRows),
          errors.slice(0, MAX_LISTED_ERRORS),
          { rowCount: sheet.rows.length, invalidRows, errorCount: errors.length, truncated: errors.length > MAX_LISTED_ERRORS },
        );
      }
      const result: ImportResult = { kind, dryRun, rowCount: sheet.rows.length, created: 0, ids: [], ignoredColumns: sheet.ignoredColumns };
      if (dryRun) return result;
      for (const r of records) {
        try {
          const out =
            kind === 'units'
              ? await this.units.insert(m, actor, r.dto as CreateUnitDto)
              : kind === 'enterprises'
                ? await this.enterprises.insert(m, actor, r.dto as CreateEnterpriseDto, 'approved')
                : await this.experts.insert(m, actor, r.dto as CreateExpertDto);
          if (r.profile) await this.expertise.importProfile(m, actor, out.id, r.profile);
          result.ids.push(out.id);
        } catch (e) {
          // Checked above; only a concurrent write can get here. Name the row, and roll everything back.
          if (!(e instanceof AppError)) throw e;
          throw AppError.unprocessable('import_invalid', T.rowNotImported(r.row), [
            fieldError(`rows[${r.row}]`, String(e.code), e.text?.zh ?? e.message, e.text?.en ?? e.message),
          ]);
        }
      }
      result.created = result.ids.length;
      await this.audit.record(m, actor, {
        action: 'organisations.import',
        targetType: 'import',
        targetId: kind,
        after: { kind, fileName: file.filename, rowCount: result.rowCount, ids: result.ids },
      });
      return result;
    });
  }

  private async checkUnits(m: EntityManager, rows: SheetRow[], errors: FieldError[]): Promise<Checked<CreateUnitDto>[]> {
    const out: Checked<CreateUnitDto>[] = [];
    const seen = new Map<string, number>();
    for (const { row, values: v } of rows) {
      const plain = { name: v.name, kind: v.kind === undefined ? undefined : (UNIT_KIND_LABELS[v.kind] ?? v.kind), contactPerson: v.contactPerson, phone: v.phone };
      const { dto, problems } = await validateRow(CreateUnitDto, plain);
      if (!problems.length) {
        // Names compare without case, as the database's unique index does on MySQL.
        const key = dto.name.toLowerCase();
        if (seen.has(key)) problems.push(duplicateInFile('name', seen.get(key)!));
        else seen.set(key, row);
        problems.push(...(await this.units.nameProblems(m, dto.name)));
      }
      this.collect(errors, 'units', row, problems);
      out.push({ row, dto });
    }
    return out;
  }

  private async checkEnterprises(m: EntityManager, rows: SheetRow[], errors: FieldError[]): Promise<Checked<CreateEnterpriseDto>[]> {
    const out: Checked<CreateEnterpriseDto>[] = [];
    const seen = new Map<string, number>();
    const unitIds = new Map<string, number | null>();
    for (const { row, values: v } of rows) {
      const plain = { name: v.name, uscc: v.uscc, industry: v.industry, address: v.address, contactPerson: v.contactPerson, phone: v.phone };
      const { dto, problems } = await validateRow(CreateEnterpriseDto, plain);
      if (!problems.some((p) => p.field === 'uscc') && typeof dto.uscc === 'string') {
        const uscc = usccErrors(dto.uscc);
        problems.push(...uscc);
        if (!uscc.length) {
          if (seen.has(dto.uscc)) problems.push(duplicateInFile('uscc', seen.get(dto.uscc)!));
          else seen.set(dto.uscc, row);
          problems.push(...(await this.enterprises.usccProblems(m, dto.uscc)));
        }
      }
      if (v.unitName !== undefined) {
        if (!unitIds.has(v.unitName)) unitIds.set(v.unitName, (await m.getRepository(RecommendingUnit).findOneBy({ name: v.unitName }))?.id ?? null);
        const id = unitIds.get(v.unitName)!;
        if (id === null) problems.push(fieldError('unitName', 'unit_not_found', T.unitNameNotFound(v.unitName)));
        else dto.defaultUnitId = id;
      }
      this.collect(errors, 'enterprises', row, problems);
      out.push({ row, dto });
    }
    return out;
  }

  private async checkExperts(m: EntityManager, rows: SheetRow[], errors: FieldError[]): Promise<Checked<CreateExpertDto>[]> {
    const out: Checked<CreateExpertDto>[] = [];
    for (const { row, values: v } of rows) {
      const plain = {
        name: v.name,
        title: v.title,
        fields: v.fields === undefined ? undefined : v.fields.split(/[、,，;；\n]/).map((s) => s.trim()).filter((s) => s !== ''),
        phone: v.phone,
        employerKind: v.employerKind === undefined ? undefined : (EMPLOYER_KIND_LABELS[v.employerKind] ?? v.employerKind),
        employerName: v.employerName,
      };
      const { dto, problems } = await validateRow(CreateExpertDto, plain);
      if (!problems.length) {
        problems.push(...(await this.resolveEmployer(m, dto, v)));
        if (!problems.length) {
          // The shape and existence rules of the HTTP route, on the resolved employer.
          const shape = await this.experts.employerProblems(m, {
            employerKind: dto.employerKind,
            employerEnterpriseId: dto.employerEnterpriseId ?? null,
            employerUnitId: dto.employerUnitId ?? null,
            employerName: dto.employerName ?? null,
          });
          problems.push(...shape.map((p) => ({ ...p, field: p.field === 'employerEnterpriseId' ? 'employerUscc' : p.field === 'employerUnitId' ? 'employerName' : p.field })));
        }
      }
      const profile = await importedProfile(v, (topics) => this.expertise.topicProblems(m, topics));
      problems.push(...profile.problems);
      this.collect(errors, 'experts', row, problems);
      out.push({ row, dto, profile: profile.fields });
    }
    return out;
  }

  /** An enterprise employer by its USCC (or its name when unique); a unit employer by its name. */
  private async resolveEmployer(m: EntityManager, dto: CreateExpertDto, v: Record<string, string>): Promise<FieldError[]> {
    if (dto.employerKind === 'enterprise') {
      dto.employerName = null;
      if (v.employerUscc !== undefined) {
        const e = await m.getRepository(Enterprise).findOneBy({ uscc: v.employerUscc });
        if (!e) return [fieldError('employerUscc', 'enterprise_not_found', T.enterpriseUsccNotFound(v.employerUscc))];
        dto.employerEnterpriseId = e.id;
        return [];
      }
      if (v.employerName !== undefined) {
        const found = await m.getRepository(Enterprise).find({ where: { name: v.employerName }, take: 2 });
        if (found.length === 1) {
          dto.employerEnterpriseId = found[0]!.id;
          return [];
        }
        return found.length
          ? [fieldError('employerName', 'employer_ambiguous', T.employerAmbiguous)]
          : [fieldError('employerName', 'enterprise_not_found', T.enterpriseNameNotFound(v.employerName))];
      }
      return [fieldError('employerUscc', 'required', T.employerUsccRequired)];
    }
    if (dto.employerKind === 'unit') {
      dto.employerName = null;
      if (v.employerName === undefined) return [fieldError('employerName', 'required', T.employerNameRequired)];
      const u = await m.getRepository(RecommendingUnit).findOneBy({ name: v.employerName });
      if (!u) return [fieldError('employerName', 'unit_not_found', T.unitNameNotFound(v.employerName))];
      dto.employerUnitId = u.id;
    }
    return [];
  }

  /** Row problems become `rows[<row>].<column>` errors whose message names the row and the column header. */
  private collect(errors: FieldError[], kind: ImportKind, row: number, problems: FieldError[]): void {
    for (const p of problems) {
      const key = p.field.replace(/\..*$/, '');
      const header = IMPORT_COLUMNS[kind].find((c) => c.key === key)?.header ?? key;
      errors.push(fieldError(`rows[${row}].${key}`, p.code, T.rowProblem(row, header, key, p.text)));
    }
  }
}

async function validateRow<T extends object>(cls: ClassConstructor<T>, plain: Record<string, unknown>): Promise<{ dto: T; problems: FieldError[] }> {
  const dto = plainToInstance(cls, plain);
  const found = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: true } });
  return { dto, problems: flattenValidationErrors(found) };
}

function duplicateInFile(field: string, firstRow: number): FieldError {
  return fieldError(field, 'duplicate_in_file', T.duplicateInFile(firstRow));
}

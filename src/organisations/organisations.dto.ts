import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, buildMessage, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Min, MinLength, ValidateBy,
  ValidateNested, type ValidationOptions,
} from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import {
  EMPLOYER_KINDS, ENTERPRISE_STATUSES, UNIT_KINDS,
  type EmployerKind, type Enterprise, type EnterpriseStatus, type Expert, type RecommendingUnit, type UnitKind,
} from './organisation.entities.js';
import { IsOptionalNonNull } from '../common/validation.js';
import { DeliverCredentialsDto } from '../notifications/notifications.dto.js';

// ---------------------------------------------------------------------------------------------
// Shared field rules

/** Trims text; other values pass through so that the type check reports them. */
const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
/** Trims text and turns an empty optional text into null ("not given"). */
const TrimToNull = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (value.trim() === '' ? null : value.trim()) : value));

/**
 * Length in characters (code points), as MySQL counts a varchar: class-validator's own MaxLength
 * counts differently around emoji, and a value one character too long would fail at the database.
 */
export function MaxChars(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxLength',
      constraints: [max],
      validator: {
        validate: (v: unknown) => typeof v === 'string' && [...v].length <= max,
        defaultMessage: buildMessage((each) => `${each}$property must be at most ${max} characters`, options),
      },
    },
    options,
  );
}

export const charCount = (s: string): number => [...s].length;

/** Digits, spaces, + - ( ) # and 转 (extension): landlines like 022-12345678转123 and mobiles. */
export const PHONE = /^[0-9+()# 转-]{3,32}$/;

/** Present fields must not be null (for the non-null columns of a partial update). */
const NotNullIfPresent = IsOptionalNonNull;

const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;

/** `active` filter of the lists: `true` only active, `false` only deactivated, absent: all. */
export const ACTIVE_FILTER = ['true', 'false'] as const;
export type ActiveFilter = (typeof ACTIVE_FILTER)[number];

function activity(o: { deactivatedAt?: Date | null }): { active: boolean; deactivatedAt: string | null } {
  return { active: !o.deactivatedAt, deactivatedAt: o.deactivatedAt ? new Date(o.deactivatedAt).toISOString() : null };
}

// ---------------------------------------------------------------------------------------------
// 推荐单位

export class CreateUnitDto {
  /** 单位名称, unique among units (1–200 characters). */
  @Trim() @IsString() @MinLength(1) @MaxChars(200)
  name: string;

  @IsIn(UNIT_KINDS)
  kind: UnitKind;

  @IsOptional() @TrimToNull() @IsString() @MaxChars(50)
  contactPerson?: string | null;

  @IsOptional() @TrimToNull() @IsString() @Matches(PHONE)
  phone?: string | null;
}

/** Only the fields sent change; `null` clears an optional field. */
export class UpdateUnitDto {
  @NotNullIfPresent() @Trim() @IsString() @MinLength(1) @MaxChars(200)
  name?: string;

  @NotNullIfPresent() @IsIn(UNIT_KINDS)
  kind?: UnitKind;

  @IsOptional() @TrimToNull() @IsString() @MaxChars(50)
  contactPerson?: string | null;

  @IsOptional() @TrimToNull() @IsString() @Matches(PHONE)
  phone?: string | null;
}

export class ListUnitsQuery extends PageQuery {
  /** `true`: active ones only; `false`: deactivated ones only; absent: all. */
  @IsOptional() @IsIn(ACTIVE_FILTER)
  active?: ActiveFilter;

  @IsOptional() @IsIn(UNIT_KINDS)
  kind?: UnitKind;

  /** Part of the name. */
  @IsOptional() @IsString() @MaxChars(100)
  q?: string;
}

export class UnitResponse {
  id: number;
  name: string;
  kind: UnitKind;
  contactPerson: string | null;
  phone: string | null;
  /** false once an organizer deactivated it (its accounts cannot log in; see POST …/deactivate). */
  active: boolean;
  /** When it was deactivated; null while active. */
  deactivatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What anyone may know of a unit: enough to choose it when registering an enterprise. */
export class PublicUnitResponse {
  id: number;
  name: string;
  kind: UnitKind;
}

export function toPublicUnitResponse(u: Pick<RecommendingUnit, 'id' | 'name' | 'kind'>): PublicUnitResponse {
  return { id: u.id, name: u.name, kind: u.kind };
}

export function toUnitResponse(u: RecommendingUnit): UnitResponse {
  return {
    id: u.id,
    name: u.name,
    kind: u.kind,
    contactPerson: u.contactPerson ?? null,
    phone: u.phone ?? null,
    ...activity(u),
    createdAt: new Date(u.createdAt).toISOString(),
    updatedAt: new Date(u.updatedAt).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// 企业

export class CreateEnterpriseDto {
  @Trim() @IsString() @MinLength(1) @MaxChars(200)
  name: string;

  /** 统一社会信用代码: 18 characters, upper case, with valid check characters (GB 32100-2015). */
  @IsString()
  uscc: string;

  /** 所属行业, e.g. 制造业. */
  @IsOptional() @TrimToNull() @IsString() @MaxChars(50)
  industry?: string | null;

  @IsOptional() @TrimToNull() @IsString() @MaxChars(200)
  address?: string | null;

  @IsOptional() @TrimToNull() @IsString() @MaxChars(50)
  contactPerson?: string | null;

  @IsOptional() @TrimToNull() @IsString() @Matches(PHONE)
  phone?: string | null;

  /** The recommending unit the enterprise usually enters through. A recommender may only name its own (the default for it). */
  @IsOptional() @IsInt() @Min(1)
  defaultUnitId?: number | null;
}

/** Only the fields sent change; `null` clears an optional field. An enterprise may change only its contact fields. */
export class UpdateEnterpriseDto {
  @NotNullIfPresent() @Trim() @IsString() @MinLength(1) @MaxChars(200)
  name?: string;

  @NotNullIfPresent() @IsString()
  uscc?: string;

  @IsOptional() @TrimToNull() @IsString() @MaxChars(50)
  industry?: string | null;

  @IsOptional() @TrimToNull() @IsString() @MaxChars(200)
  address?: string | null;

  @IsOptional() @TrimToNull() @IsString() @MaxChars(50)
  contactPerson?: string | null;

  @IsOptional() @TrimToNull() @IsString() @Matches(PHONE)
  phone?: string | null;

  @IsOptional() @IsInt() @Min(1)
  defaultUnitId?: number | null;
}

/** The fields an enterprise account may change on its own record. */
export const ENTERPRISE_SELF_EDITABLE = ['industry', 'address', 'contactPerson', 'phone'] as const;

export class RejectEnterpriseDto {
  /** Why the registration is refused (shown to the enterprise). */
  @Trim() @IsString() @MinLength(1) @MaxChars(500)
  reason: string;
}

export class ListEnterprisesQuery extends PageQuery {
  /** `true`: active ones only; `false`: deactivated ones only; absent: all. */
  @IsOptional() @IsIn(ACTIVE_FILTER)
  active?: ActiveFilter;

  @IsOptional() @IsIn(ENTERPRISE_STATUSES)
  status?: EnterpriseStatus;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  defaultUnitId?: number;

  /** Part of the name or of the USCC. */
  @IsOptional() @IsString() @MaxChars(100)
  q?: string;
}

export class EnterpriseResponse {
  id: number;
  name: string;
  uscc: string;
  industry: string | null;
  address: string | null;
  contactPerson: string | null;
  phone: string | null;
  defaultUnitId: number | null;
  status: EnterpriseStatus;
  statusReason: string | null;
  /** false once an organizer deactivated it (its accounts cannot log in; see POST …/deactivate). */
  active: boolean;
  /** When it was deactivated; null while active. */
  deactivatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toEnterpriseResponse(e: Enterprise): EnterpriseResponse {
  return {
    id: e.id,
    name: e.name,
    uscc: e.uscc,
    industry: e.industry ?? null,
    address: e.address ?? null,
    contactPerson: e.contactPerson ?? null,
    phone: e.phone ?? null,
    defaultUnitId: e.defaultUnitId ?? null,
    status: e.status,
    statusReason: e.statusReason ?? null,
    ...activity(e),
    createdAt: new Date(e.createdAt).toISOString(),
    updatedAt: new Date(e.updatedAt).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// 评审专家

export class CreateExpertDto {
  @Trim() @IsString() @MinLength(1) @MaxChars(50)
  name: string;

  /** Who employs the expert: an enterprise or a recommending unit in the system (their entries are automatic conflicts), or another body. */
  @IsIn(EMPLOYER_KINDS)
  employerKind: EmployerKind;

  /** Required when employerKind is `enterprise`, refused otherwise. */
  @IsOptional() @IsInt() @Min(1)
  employerEnterpriseId?: number | null;

  /** Required when employerKind is `unit`, refused otherwise. */
  @IsOptional() @IsInt() @Min(1)
  employerUnitId?: number | null;

  /** The employer's name; required when employerKind is `other`. */
  @IsOptional() @TrimToNull() @IsString() @MaxChars(200)
  employerName?: string | null;

  /** 职称, e.g. 高级工程师. */
  @IsOptional() @TrimToNull() @IsString() @MaxChars(50)
  title?: string | null;

  /** Fields of expertise, e.g. ["制造", "质量管理"] (at most 20, each 1–50 characters). */
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxChars(50, { each: true })
  @ApiPropertyOptional({ type: [String] })
  fields?: string[];

  @IsOptional() @TrimToNull() @IsString() @Matches(PHONE)
  phone?: string | null;
}

/**
 * Only the fields sent change. The employer is replaced as a whole: when any employer field is
 * sent, the others not sent are cleared (so send the kind with its id or name).
 */
export class UpdateExpertDto {
  @NotNullIfPresent() @Trim() @IsString() @MinLength(1) @MaxChars(50)
  name?: string;

  @NotNullIfPresent() @IsIn(EMPLOYER_KINDS)
  employerKind?: EmployerKind;

  @IsOptional() @IsInt() @Min(1)
  employerEnterpriseId?: number | null;

  @IsOptional() @IsInt() @Min(1)
  employerUnitId?: number | null;

  @IsOptional() @TrimToNull() @IsString() @MaxChars(200)
  employerName?: string | null;

  @IsOptional() @TrimToNull() @IsString() @MaxChars(50)
  title?: string | null;

  @NotNullIfPresent() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxChars(50, { each: true })
  @ApiPropertyOptional({ type: [String] })
  fields?: string[];

  @IsOptional() @TrimToNull() @IsString() @Matches(PHONE)
  phone?: string | null;
}

export class ListExpertsQuery extends PageQuery {
  /** `true`: active ones only; `false`: deactivated ones only; absent: all. */
  @IsOptional() @IsIn(ACTIVE_FILTER)
  active?: ActiveFilter;

  @IsOptional() @IsIn(EMPLOYER_KINDS)
  employerKind?: EmployerKind;

  /** Part of the name. */
  @IsOptional() @IsString() @MaxChars(50)
  q?: string;
}

export class ExpertResponse {
  id: number;
  name: string;
  employerKind: EmployerKind;
  employerEnterpriseId: number | null;
  employerUnitId: number | null;
  employerName: string | null;
  title: string | null;
  @ApiProperty({ type: [String] })
  fields: string[];
  phone: string | null;
  /** false once an organizer deactivated it (its accounts cannot log in; see POST …/deactivate). */
  active: boolean;
  /** When it was deactivated; null while active. */
  deactivatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toExpertResponse(x: Expert): ExpertResponse {
  return {
    id: x.id,
    name: x.name,
    employerKind: x.employerKind,
    employerEnterpriseId: x.employerEnterpriseId ?? null,
    employerUnitId: x.employerUnitId ?? null,
    employerName: x.employerName ?? null,
    title: x.title ?? null,
    fields: x.fields ?? [],
    phone: x.phone ?? null,
    ...activity(x),
    createdAt: new Date(x.createdAt).toISOString(),
    updatedAt: new Date(x.updatedAt).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Accounts of an organisation

/** A login for a unit (role recommender), an enterprise (role enterprise) or an expert (role expert). */
export class CreateOrganisationAccountDto {
  /** Login name: letters, digits, `.`, `_`, `-`; 3–64 characters. */
  @IsString() @Matches(USERNAME)
  username: string;

  /** Shown name; defaults to the organisation's name. */
  @IsOptional() @Trim() @IsString() @MinLength(1) @MaxChars(100)
  displayName?: string;

  /** At least 8 characters and strong: not a common password, word, name or pattern, and not containing the username or name (400 `weak_password` says why). */
  @IsString() @MinLength(8) @MaxChars(200)
  password: string;

  /** Also send the credentials by e-mail or SMS to this address (the channel must be configured: else 409 `channel_not_configured`); default: only the printable credentials sheet. */
  @IsOptional() @ValidateNested() @Type(() => DeliverCredentialsDto)
  deliverTo?: DeliverCredentialsDto;
}

// ---------------------------------------------------------------------------------------------
// Self-registration of an enterprise (public)

/** The enterprise part of a self-registration: as CreateEnterpriseDto, but the unit is required. */
export class RegisterEnterpriseFieldsDto {
  @Trim() @IsString() @MinLength(1) @MaxChars(200)
  name: string;

  /** 统一社会信用代码: 18 characters, upper case, with valid check characters (GB 32100-2015). */
  @IsString()
  uscc: string;

  @IsOptional() @TrimToNull() @IsString() @MaxChars(50)
  industry?: string | null;

  @IsOptional() @TrimToNull() @IsString() @MaxChars(200)
  address?: string | null;

  @IsOptional() @TrimToNull() @IsString() @MaxChars(50)
  contactPerson?: string | null;

  @IsOptional() @TrimToNull() @IsString() @Matches(PHONE)
  phone?: string | null;

  /** The recommending unit the enterprise enters through (from GET /public/units); its recommender may approve the registration. */
  @IsInt() @Min(1)
  defaultUnitId: number;
}

/** The enterprise's first login; the same rules as an account created by an administrator. */
export class RegisterAccountDto {
  /** Login name: letters, digits, `.`, `_`, `-`; 3–64 characters. */
  @IsString() @Matches(USERNAME)
  username: string;

  /** Shown name, 1–100 characters. */
  @Trim() @IsString() @MinLength(1) @MaxChars(100)
  displayName: string;

  /** At least 8 characters and strong: not a common password, word, name or pattern, and not containing the username or name (400 `weak_password` says why). */
  @IsString() @MinLength(8) @MaxChars(200)
  password: string;
}

export class RegisterEnterpriseDto {
  @IsObject() @ValidateNested() @Type(() => RegisterEnterpriseFieldsDto)
  enterprise: RegisterEnterpriseFieldsDto;

  @IsObject() @ValidateNested() @Type(() => RegisterAccountDto)
  account: RegisterAccountDto;
}

/**
 * The one answer to a registration that passed validation, whether it created the enterprise or
 * matched an existing USCC or username: the answer must not tell which accounts exist.
 */
export class RegistrationReceipt {
  status: 'received';
  /** 注册申请已收到…: what happens next, in the request's language. */
  message: string;
}

import { IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

const NOT_BLANK = /\S/;

/** The award notice's own fields (PUT replaces them all; audited). */
export class ReportDocumentSettingsDto {
  /** 文号, e.g. 津滨质量组办〔2020〕5号 (required, up to 60 characters). */
  @IsString() @Matches(NOT_BLANK) @MaxLength(60)
  documentNumber: string;

  /** 发文机关; omitted or null: the contest's 组委会. */
  @IsOptional() @ValidateIf((_o: object, v: unknown) => v !== null) @IsString() @Matches(NOT_BLANK) @MaxLength(100)
  issuer?: string | null;

  /** 主送 line, e.g. 各推荐单位、各有关企业; omitted or null: that default. */
  @IsOptional() @ValidateIf((_o: object, v: unknown) => v !== null) @IsString() @Matches(NOT_BLANK) @MaxLength(200)
  addressee?: string | null;
}

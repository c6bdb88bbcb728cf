import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ExportQuery {
  /** A result version (default: the current one); the public may read published (and superseded) versions only. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(2_147_483_647)
  version?: number;
}

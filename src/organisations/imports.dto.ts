import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IMPORT_KINDS, type ImportKind } from './spreadsheet.js';

export class ImportKindParam {
  /** What the file holds: `units`, `enterprises` or `experts`. */
  @IsIn(IMPORT_KINDS)
  kind: ImportKind;
}

export class ImportQuery {
  /** `true`: check every row and report, but write nothing. */
  @IsOptional() @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}

export class ImportResult {
  kind: ImportKind;
  dryRun: boolean;
  /** Data rows read (empty rows are skipped). */
  rowCount: number;
  /** Records written (0 on a dry run). */
  created: number;
  /** Ids of the records written, in row order. */
  @ApiProperty({ type: [Number] })
  ids: number[];
  /** Headers that name no known column: their cells were not read. */
  @ApiProperty({ type: [String] })
  ignoredColumns: string[];
}

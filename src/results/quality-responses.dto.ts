// Response body of the panel quality report (GET /contests/:id/results/quality), for the OpenAPI document.
import { ApiProperty } from '@nestjs/swagger';
import type { Stage } from '../judging/final-score.js';
import { ResultsContestRef } from './results-responses.dto.js';

export class KendallDto {
  /** null when fewer than 2 experts or 2 common entries, or every expert tied everything. */
  value: number | null;
  experts: number;
  entries: number;
  tieCorrection: number;
  reason: string;
}

export class ExpertQualityDto {
  expertId: number;
  expertName: string | null;
  count: number;
  mean: string;
  stdDev: number;
  meanDeviation: string;
  droppedHighest: number;
  droppedLowest: number;
  droppedShare: number;
}

export class EntryQualityDto {
  entryId: number;
  title: string | null;
  count: number;
  mean: string;
  min: string;
  max: string;
  disagreement: string;
}

export class PanelQualityDto {
  /** `panel:<id>` or `track:<id>`. */
  panel: string;
  panelName: string | null;
  stage: Stage;
  kendallW: number | null;
  kendall: KendallDto;
  @ApiProperty({ type: [ExpertQualityDto] })
  experts: ExpertQualityDto[];
  @ApiProperty({ type: [EntryQualityDto] })
  entries: EntryQualityDto[];
}

export class QualityReportResponse {
  contest: ResultsContestRef;
  sheetCount: number;
  @ApiProperty({ type: [PanelQualityDto] })
  panels: PanelQualityDto[];
}

import { Body, Controller, createParamDecorator, type ExecutionContext, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, Public } from '../common/auth.decorators.js';
import { PageQuery } from '../common/pagination.js';
import { ObjectionsService } from './objections.service.js';
import { AdjustmentDto, AnswerObjectionDto, ComputeResultsDto, FileObjectionDto, ObjectionsQuery, RepublishDto, ResultsQuery, VersionQuery } from './results.dto.js';
import { PublicResultsService } from './public-results.service.js';
import { ResultsComputationService } from './results-computation.service.js';
import { ResultsPublicationService } from './results-publication.service.js';
import { ResultsVerificationDto } from './verification.dto.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { AdjustmentResultResponse, RepublishResponse, ResultsSummaryResponse, ResultsViewResponse } from './results-responses.dto.js';
import { AwardListResponse, ObjectionPage, ObjectionReceipt, ObjectionResponse, PublicContestPage } from './public-responses.dto.js';
import { QualityReportResponse } from './quality-responses.dto.js';

/** The request id, for audit records of writes made without a login. */
export const RequestId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => String(ctx.switchToHttp().getRequest<FastifyRequest>().id));

/** Results for organizers: nobody else sees any result or score before the notice. */
@ApiTags('results')
@Controller()
@Authenticated('organizer')
export class ResultsController {
  constructor(
    private readonly results: ResultsComputationService,
    private readonly publication: ResultsPublicationService,
    private readonly objections: ObjectionsService,
  ) {}

  /** Computes the results from the submitted sheets (409 `sheets_missing` while any assigned sheet is not submitted). */
  @Post('contests/:id/results/compute')
  @HttpCode(200)
  @ApiOkResponse({ type: ResultsSummaryResponse })
  compute(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ComputeResultsDto): Promise<ResultsSummaryResponse> {
    return this.results.compute(actor, id, dto);
  }

  /** The ranking with every entry's explanation, the quota report, excellent units and unranked entries. */
  @Get('contests/:id/results')
  @ApiOkResponse({ type: ResultsViewResponse })
  view(@Param('id', ParseIdPipe) id: number, @Query() q: ResultsQuery): Promise<ResultsViewResponse> {
    return this.results.view(id, q);
  }

  /** Sets the level shown for an entry, with a reason (finalizing; after publication it issues a new version). */
  @Post('contests/:id/results/adjustments')
  @ApiCreatedResponse({ type: AdjustmentResultResponse })
  adjust(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: AdjustmentDto): Promise<AdjustmentResultResponse> {
    return this.results.adjust(actor, id, dto);
  }

  /** Freezes the computed result as the notice list (after that, no recompute or adjustment). */
  @Post('contests/:id/results/freeze')
  @HttpCode(200)
  @ApiOkResponse({ type: ResultsSummaryResponse })
  freeze(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<ResultsSummaryResponse> {
    return this.results.freeze(actor, id);
  }

  /** The panel quality report: experts against their panel, disagreement per entry, Kendall's W. */
  @Get('contests/:id/results/quality')
  @ApiOkResponse({ type: QualityReportResponse })
  quality(@Param('id', ParseIdPipe) id: number): Promise<QualityReportResponse> {
    return this.results.quality(id);
  }

  /**
   * Recomputes the current (or `?version=`) snapshot from the raw sheets and compares its hash; checks
   * the hash against the audit event that froze it, and every submitted sheet's total and content
   * against its marks, version row and audit event (each problem names the sheet, expert and item).
   */
  @Post('contests/:id/results/verify')
  @HttpCode(200)
  @ApiOkResponse({ type: ResultsVerificationDto, description: '`ok: false` when anything does not match (still 200)' })
  verify(@Param('id', ParseIdPipe) id: number, @Query() q: VersionQuery) {
    return this.results.verify(id, q.version);
  }

  /** Publishes a corrected result as a new version, with a reason; the earlier one stays readable. */
  @Post('contests/:id/results/republish')
  @ApiCreatedResponse({ type: RepublishResponse })
  republish(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: RepublishDto): Promise<RepublishResponse> {
    return this.publication.republish(actor, id, dto);
  }

  /** Objections filed during the notice. */
  @Get('contests/:id/objections')
  @ApiOkResponse({ type: ObjectionPage })
  listObjections(@Param('id', ParseIdPipe) id: number, @Query() q: ObjectionsQuery): Promise<ObjectionPage> {
    return this.objections.list(id, q);
  }

  /** Answers an objection (publication waits until every objection is answered). */
  @Post('objections/:id/answer')
  @HttpCode(200)
  @ApiOkResponse({ type: ObjectionResponse })
  answer(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: AnswerObjectionDto): Promise<ObjectionResponse> {
    return this.objections.answer(actor, id, dto);
  }
}

/** What anyone may read without logging in: award lists from the notice on, and filing objections. */
@ApiTags('public')
@Controller('public')
@Public()
export class PublicResultsController {
  constructor(
    private readonly results: PublicResultsService,
    private readonly objections: ObjectionsService,
  ) {}

  /** Contests whose award list is public (notice, published, archived). */
  @Get('contests')
  @ApiOkResponse({ type: PublicContestPage })
  contests(@Query() q: PageQuery): Promise<PublicContestPage> {
    return this.results.publicContests(q);
  }

  /** The award list: during the notice the notice list, afterwards the published one (`?version=` for earlier ones). */
  @Get('contests/:id/results')
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOkResponse({ type: AwardListResponse })
  awardList(@Param('id', ParseIdPipe) id: number, @Query() q: VersionQuery): Promise<Buffer> {
    // The list's JSON as built once per snapshot (PublicResultsService): sent as it is, not re-serialised.
    return this.results.publicAwardListBytes(id, q.version);
  }

  /** Files an objection (异议) during the notice period. */
  @Post('contests/:id/objections')
  @ApiCreatedResponse({ type: ObjectionReceipt })
  fileObjection(@Param('id', ParseIdPipe) id: number, @Body() dto: FileObjectionDto, @RequestId() requestId: string): Promise<ObjectionReceipt> {
    return this.objections.file(id, dto, requestId);
  }
}

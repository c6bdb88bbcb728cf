import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser } from '../common/auth.decorators.js';
import { BulkPassDto, CloseReviewDto, DecideDto, ReviewQueueQuery } from './review.dto.js';
import { ReviewService } from './review.service.js';
import { ParseIdPipe } from '../common/id.pipe.js';

/**
 * 材料初审 (preliminary review): organizers decide on recommended entries item by item; an
 * entry's enterprise and recommending unit read the decisions on it.
 */
@ApiTags('review')
@Controller()
export class ReviewController {
  constructor(private readonly review: ReviewService) {}

  /** Entries awaiting a decision (recommended or resubmitted), with their round, earlier decisions and the contest's checklist. */
  @Get('contests/:contestId/review/queue')
  @Authenticated('organizer')
  queue(@Param('contestId', ParseIdPipe) contestId: number, @Query() q: ReviewQueueQuery) {
    return this.review.queue(contestId, q);
  }

  /** Counts by review state (awaiting, passed, returned, rejected) per recommending unit and per track. */
  @Get('contests/:contestId/review/stats')
  @Authenticated('organizer')
  stats(@Param('contestId', ParseIdPipe) contestId: number) {
    return this.review.stats(contestId);
  }

  /** Passes up to 500 entries with an all-ok checklist, all or none (409 `entries_not_awaiting` lists the refused ones). */
  @Post('contests/:contestId/review/bulk-pass')
  @HttpCode(200)
  @Authenticated('organizer')
  bulkPass(@CurrentActor() actor: Actor, @Param('contestId', ParseIdPipe) contestId: number, @Body() dto: BulkPassDto) {
    return this.review.bulkPass(actor, contestId, dto);
  }

  /** Closes review: every entry still awaiting a decision or returned is rejected with the note. */
  @Post('contests/:contestId/review/close')
  @HttpCode(200)
  @Authenticated('organizer')
  close(@CurrentActor() actor: Actor, @Param('contestId', ParseIdPipe) contestId: number, @Body() dto: CloseReviewDto) {
    return this.review.close(actor, contestId, dto);
  }

  /** Decides on one entry: pass (all items ok), return (failed items with notes) or reject (with a reason). */
  @Post('contests/:contestId/review/:entryId')
  @HttpCode(201)
  @Authenticated('organizer')
  decide(
    @CurrentActor() actor: Actor,
    @Param('contestId', ParseIdPipe) contestId: number,
    @Param('entryId', ParseIdPipe) entryId: number,
    @Body() dto: DecideDto,
  ) {
    return this.review.decide(actor, contestId, entryId, dto);
  }

  /** The review decisions on an entry, item by item, for its enterprise, its unit's recommender and organizers. */
  @Get('entries/:entryId/review')
  @Authenticated()
  entryReview(@CurrentUser() user: AuthUser, @Param('entryId', ParseIdPipe) entryId: number) {
    return this.review.entryReview(user, entryId);
  }
}

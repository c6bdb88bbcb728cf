import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser } from '../common/auth.decorators.js';
import { CreateEntryDto, DeclineEntryDto, EntryCountsResponse, EntryDetailResponse, ListEntriesQuery, UpdateEntryDto, WithdrawEntryDto } from './entries.dto.js';
import { EntriesService } from './entries.service.js';
import { EntryDraftingService } from './entry-drafting.service.js';
import { EntryRecommendationService } from './entry-recommendation.service.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { EntryEventList, EntryPage } from './entries-responses.dto.js';

/**
 * Entries (攻关成果): enterprises draft, edit, submit and withdraw their own; recommending units
 * recommend or decline what names them; organizers see everything. Others get 403 (role) or 404.
 */
@ApiTags('entries')
@Controller()
export class EntriesController {
  constructor(
    private readonly entries: EntriesService,
    private readonly drafting: EntryDraftingService,
    private readonly recommendation: EntryRecommendationService,
  ) {}

  /** Creates a draft entry in an open contest (enterprise; the enterprise must be approved). */
  @Post('contests/:contestId/entries')
  @Authenticated('enterprise')
  create(
    @CurrentUser() user: AuthUser,
    @CurrentActor() actor: Actor,
    @Param('contestId', ParseIdPipe) contestId: number,
    @Body() dto: CreateEntryDto,
  ) {
    return this.drafting.create(user, actor, contestId, dto);
  }

  /** Number of entries per status in a contest (organizer). */
  @Get('contests/:contestId/entry-counts')
  @Authenticated('organizer')
  @ApiOkResponse({ type: EntryCountsResponse })
  counts(@Param('contestId', ParseIdPipe) contestId: number): Promise<EntryCountsResponse> {
    return this.entries.counts(contestId);
  }

  /** Entries the caller may see (own, own unit's submitted ones, or all for organizers), filtered, sorted and paged. */
  @Get('entries')
  @Authenticated('enterprise', 'recommender', 'organizer', 'expert')
  @ApiOkResponse({ type: EntryPage })
  list(@CurrentUser() user: AuthUser, @Query() q: ListEntriesQuery): Promise<EntryPage> {
    return this.entries.list(user, q);
  }

  /** One entry, if the caller may see it (404 otherwise), with what still blocks its submission (`missing`). */
  @Get('entries/:id')
  @ApiOkResponse({ type: EntryDetailResponse })
  @Authenticated('enterprise', 'recommender', 'organizer', 'expert')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return this.entries.get(user, id);
  }

  /** Changes a draft (or returned) entry of the caller's enterprise; `version` guards against lost updates. */
  @Patch('entries/:id')
  @Authenticated('enterprise')
  update(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateEntryDto) {
    return this.drafting.update(user, actor, id, dto);
  }

  /** The status timeline: who moved the entry from which status to which, when and why. */
  @Get('entries/:id/events')
  @Authenticated('enterprise', 'recommender', 'organizer', 'expert')
  @ApiOkResponse({ type: EntryEventList })
  events(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<EntryEventList> {
    return this.entries.events(user, id);
  }

  /** Submits a draft within the submission window (or resubmits a returned entry); an incomplete one (fields or report) is refused with 422 `entry_incomplete`. */
  @Post('entries/:id/submit')
  @HttpCode(200)
  @Authenticated('enterprise')
  submit(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number) {
    return this.drafting.submit(user, actor, id);
  }

  /** Withdraws the caller's entry before preliminary review has decided on it. */
  @Post('entries/:id/withdraw')
  @HttpCode(200)
  @Authenticated('enterprise')
  withdraw(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: WithdrawEntryDto) {
    return this.drafting.withdraw(user, actor, id, dto.reason);
  }

  /** Recommends a submitted entry of the caller's unit, within the unit's quota. */
  @Post('entries/:id/recommend')
  @HttpCode(200)
  @Authenticated('recommender')
  recommend(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number) {
    return this.recommendation.recommend(user, actor, id);
  }

  /** Declines to recommend a submitted entry of the caller's unit, with a reason. */
  @Post('entries/:id/decline')
  @HttpCode(200)
  @Authenticated('recommender')
  decline(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: DeclineEntryDto) {
    return this.recommendation.decline(user, actor, id, dto.reason);
  }
}

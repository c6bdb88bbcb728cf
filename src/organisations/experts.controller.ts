import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser } from '../common/auth.decorators.js';
import { ExpertsService } from './experts.service.js';
import { CreateExpertDto, CreateOrganisationAccountDto, ExpertResponse, ListExpertsQuery, UpdateExpertDto } from './organisations.dto.js';
import { OrganisationAccountsService } from './organisation-accounts.service.js';
import { OrganisationStatusService } from './organisation-status.service.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { ExpertPage } from './organisations-responses.dto.js';

/** 评审专家 (experts). */
@ApiTags('organisations')
@Controller('experts')
export class ExpertsController {
  constructor(
    private readonly experts: ExpertsService,
    private readonly accounts: OrganisationAccountsService,
    private readonly status: OrganisationStatusService,
  ) {}

  /** Creates an expert with its employer (organizers). */
  @Post()
  @Authenticated('organizer')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateExpertDto) {
    return this.experts.create(actor, dto);
  }

  /** Lists experts (organizers). */
  @Get()
  @Authenticated('organizer')
  @ApiOkResponse({ type: ExpertPage })
  list(@CurrentUser() user: AuthUser, @Query() q: ListExpertsQuery): Promise<ExpertPage> {
    return this.experts.list(user, q);
  }

  /** One expert: any for organizers, itself for an expert. */
  @Get(':id')
  @Authenticated('organizer', 'expert')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return this.experts.get(user, id);
  }

  /** Changes an expert; employer fields are replaced together (organizers). */
  @Patch(':id')
  @Authenticated('organizer')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateExpertDto) {
    return this.experts.update(actor, id, dto);
  }

  /** Creates the expert's login, at most one (organizers). */
  @Post(':id/accounts')
  @Authenticated('organizer')
  createAccount(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: CreateOrganisationAccountDto) {
    return this.accounts.create(actor, 'expert', id, dto);
  }

  /**
   * Deactivates the expert (organizers): nothing is deleted; its account cannot log in and its token stops working, and it cannot be put on a panel or assigned (automatic assignment leaves it out).
   * 409 `already_deactivated` when it is deactivated already.
   */
  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: ExpertResponse })
  @Authenticated('organizer')
  deactivate(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<ExpertResponse> {
    return this.status.setActive(actor, 'expert', id, false);
  }

  /** Reactivates a deactivated expert (organizers); its accounts may log in again. 409 `already_active` when it is active. */
  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: ExpertResponse })
  @Authenticated('organizer')
  reactivate(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<ExpertResponse> {
    return this.status.setActive(actor, 'expert', id, true);
  }
}

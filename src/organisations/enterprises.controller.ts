import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser } from '../common/auth.decorators.js';
import { EnterprisesService } from './enterprises.service.js';
import { CreateEnterpriseDto, CreateOrganisationAccountDto, EnterpriseResponse, ListEnterprisesQuery, RejectEnterpriseDto, UpdateEnterpriseDto } from './organisations.dto.js';
import { OrganisationAccountsService } from './organisation-accounts.service.js';
import { OrganisationStatusService } from './organisation-status.service.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { EnterprisePage } from './organisations-responses.dto.js';

/** 企业 (enterprises). */
@ApiTags('organisations')
@Controller('enterprises')
export class EnterprisesController {
  constructor(
    private readonly enterprises: EnterprisesService,
    private readonly accounts: OrganisationAccountsService,
    private readonly status: OrganisationStatusService,
  ) {}

  /** Registers an enterprise: approved when an organizer registers it, pending approval when a recommender registers one of its unit. */
  @Post()
  @Authenticated('organizer', 'recommender')
  create(@CurrentActor() actor: Actor, @CurrentUser() user: AuthUser, @Body() dto: CreateEnterpriseDto) {
    return this.enterprises.create(actor, user, dto);
  }

  /** Lists enterprises: all for organizers, those of its unit for a recommender, itself for an enterprise. */
  @Get()
  @Authenticated('organizer', 'recommender', 'enterprise')
  @ApiOkResponse({ type: EnterprisePage })
  list(@CurrentUser() user: AuthUser, @Query() q: ListEnterprisesQuery): Promise<EnterprisePage> {
    return this.enterprises.list(user, q);
  }

  /** One enterprise, if the caller may see it. */
  @Get(':id')
  @Authenticated('organizer', 'recommender', 'enterprise')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return this.enterprises.get(user, id);
  }

  /** Changes an enterprise: any field for organizers, the contact fields of itself for an enterprise. */
  @Patch(':id')
  @Authenticated('organizer', 'enterprise')
  update(@CurrentActor() actor: Actor, @CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateEnterpriseDto) {
    return this.enterprises.update(actor, user, id, dto);
  }

  // Approve and reject were organizer-only; they are open to the recommender of the enterprise's
  // default unit as well (the unit knows its enterprises; the organizer can always decide). The
  // object check is requireAccess(user, 'enterprise.decide'): another unit's recommender gets 404.

  /**
   * Approves a pending (or earlier rejected) enterprise (organizers, or a recommender of its default unit);
   * 403 `same_person_approval` for the user who registered it: another person must approve.
   */
  @Post(':id/approve')
  @ApiOperation({ summary: 'Approves a pending (or earlier rejected) enterprise (organizers, or a recommender of its default unit).' })
  @HttpCode(200)
  @Authenticated('organizer', 'recommender')
  approve(@CurrentActor() actor: Actor, @CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return this.enterprises.approve(actor, user, id);
  }

  /** Rejects a pending enterprise with a reason (organizers, or the recommender of its default unit). */
  @Post(':id/reject')
  @HttpCode(200)
  @Authenticated('organizer', 'recommender')
  reject(@CurrentActor() actor: Actor, @CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: RejectEnterpriseDto) {
    return this.enterprises.reject(actor, user, id, dto.reason);
  }

  /** Creates an enterprise login for the enterprise (organizers). */
  @Post(':id/accounts')
  @Authenticated('organizer')
  createAccount(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: CreateOrganisationAccountDto) {
    return this.accounts.create(actor, 'enterprise', id, dto);
  }

  /**
   * Deactivates the enterprise (organizers): nothing is deleted; its accounts cannot log in and their tokens stop working.
   * 409 `already_deactivated` when it is deactivated already.
   */
  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: EnterpriseResponse })
  @Authenticated('organizer')
  deactivate(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<EnterpriseResponse> {
    return this.status.setActive(actor, 'enterprise', id, false);
  }

  /** Reactivates a deactivated enterprise (organizers); its accounts may log in again. 409 `already_active` when it is active. */
  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: EnterpriseResponse })
  @Authenticated('organizer')
  reactivate(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<EnterpriseResponse> {
    return this.status.setActive(actor, 'enterprise', id, true);
  }
}

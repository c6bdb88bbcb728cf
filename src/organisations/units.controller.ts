import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser } from '../common/auth.decorators.js';
import { CreateOrganisationAccountDto, CreateUnitDto, ListUnitsQuery, UnitResponse, UpdateUnitDto } from './organisations.dto.js';
import { OrganisationAccountsService } from './organisation-accounts.service.js';
import { OrganisationStatusService } from './organisation-status.service.js';
import { UnitsService } from './units.service.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { UnitPage } from './organisations-responses.dto.js';

/** 推荐单位 (recommending units). */
@ApiTags('organisations')
@Controller('units')
export class UnitsController {
  constructor(
    private readonly units: UnitsService,
    private readonly accounts: OrganisationAccountsService,
    private readonly status: OrganisationStatusService,
  ) {}

  /** Creates a recommending unit (organizers). */
  @Post()
  @Authenticated('organizer')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUnitDto) {
    return this.units.create(actor, dto);
  }

  /** Lists units: all for organizers and enterprises, its own for a recommender. */
  @Get()
  @Authenticated('organizer', 'recommender', 'enterprise')
  @ApiOkResponse({ type: UnitPage })
  list(@CurrentUser() user: AuthUser, @Query() q: ListUnitsQuery): Promise<UnitPage> {
    return this.units.list(user, q);
  }

  /** One unit (a recommender sees only its own). */
  @Get(':id')
  @Authenticated('organizer', 'recommender', 'enterprise')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return this.units.get(user, id);
  }

  /** Changes a unit's name, kind or contact (organizers). */
  @Patch(':id')
  @Authenticated('organizer')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateUnitDto) {
    return this.units.update(actor, id, dto);
  }

  /** Creates a recommender login for the unit (organizers). */
  @Post(':id/accounts')
  @Authenticated('organizer')
  createAccount(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: CreateOrganisationAccountDto) {
    return this.accounts.create(actor, 'unit', id, dto);
  }

  /**
   * Deactivates the recommending unit (organizers): nothing is deleted; its accounts cannot log in and their tokens stop working, it cannot be chosen for new entries or registrations, nor recommend.
   * 409 `already_deactivated` when it is deactivated already.
   */
  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: UnitResponse })
  @Authenticated('organizer')
  deactivate(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<UnitResponse> {
    return this.status.setActive(actor, 'unit', id, false);
  }

  /** Reactivates a deactivated recommending unit (organizers); its accounts may log in again. 409 `already_active` when it is active. */
  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: UnitResponse })
  @Authenticated('organizer')
  reactivate(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<UnitResponse> {
    return this.status.setActive(actor, 'unit', id, true);
  }
}

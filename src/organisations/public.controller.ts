import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { SYSTEM_ACTOR } from '../auth/auth-user.js';
import { Public } from '../common/auth.decorators.js';
import { type PublicUnitResponse, RegisterEnterpriseDto, type RegistrationResponse } from './organisations.dto.js';
import { RegistrationService } from './registration.service.js';
import { UnitsService } from './units.service.js';

/** What an enterprise needs before it has a login: the units to choose from, and self-registration. */
@ApiTags('organisations')
@Controller('public')
export class PublicOrganisationsController {
  constructor(
    private readonly units: UnitsService,
    private readonly registration: RegistrationService,
  ) {}

  /** Every recommending unit's id, name and kind, sorted by name (no login needed). */
  @Get('units')
  @Public()
  listUnits(): Promise<PublicUnitResponse[]> {
    return this.units.publicList();
  }

  /** Registers an enterprise (status pending) with its first login; it can enter achievements once approved (no login needed). */
  @Post('enterprises/register')
  @Public()
  register(@Req() req: FastifyRequest, @Body() dto: RegisterEnterpriseDto): Promise<RegistrationResponse> {
    // Nobody is logged in: the system is the actor of the audit rows, with this request's id.
    return this.registration.register({ ...SYSTEM_ACTOR, requestId: String(req.id) }, dto);
  }
}

import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { SYSTEM_ACTOR } from '../auth/auth-user.js';
import { Public } from '../common/auth.decorators.js';
import { requestLanguage } from '../common/http-exception.filter.js';
import { type PublicUnitResponse, RegisterEnterpriseDto, RegistrationReceipt } from './organisations.dto.js';
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

  /**
   * Registers an enterprise (status pending) with its first login; it can enter achievements once
   * approved (no login needed). The answer is the same 202 whether the registration was new or its
   * USCC or username is already on file (the owner of those is told instead), so it reveals no
   * account; attempts are limited per client IP (429 `too_many_registrations` with Retry-After).
   */
  @Post('enterprises/register')
  @Public()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RegistrationReceipt, description: 'Received (new, or matching a registered USCC or username: the same answer)' })
  @ApiBadRequestResponse({ description: 'validation_failed: fields (USCC check character, unknown unit, weak password …)' })
  @ApiTooManyRequestsResponse({ description: 'too_many_registrations: too many attempts from this IP; see Retry-After' })
  register(@Req() req: FastifyRequest, @Body() dto: RegisterEnterpriseDto): Promise<RegistrationReceipt> {
    // Nobody is logged in: the system is the actor of the audit rows, with this request's id.
    return this.registration.register({ ...SYSTEM_ACTOR, requestId: String(req.id) }, dto, req.ip, requestLanguage(req));
  }
}

import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Req } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service.js';
import { ChangePasswordDto } from '../accounts/accounts.dto.js';
import type { User } from '../accounts/user.entity.js';
import { Authenticated, CurrentActor, CurrentUser, Public } from '../common/auth.decorators.js';
import type { Actor, AuthUser } from './auth-user.js';
import { LoginDto, LoginResponse } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { LocalAuthGuard } from './guards.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AccountsService,
  ) {}

  /** Exchanges a username and password for a bearer token. Failed attempts are throttled per username and IP. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiBody({ type: LoginDto })
  @ApiTooManyRequestsResponse({ description: 'Too many failed logins' })
  login(@Req() req: FastifyRequest & { user: User }): Promise<LoginResponse> {
    return this.auth.issueToken(req.user);
  }

  /** The current user. */
  @Get('me')
  @Authenticated()
  me(@CurrentUser() user: AuthUser) {
    return this.accounts.get(user.id);
  }

  /** Changes the caller's own password (needs the old one); other sessions end. */
  @Post('password')
  @HttpCode(204)
  @Authenticated()
  async changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.accounts.changeOwnPassword(actor, dto.oldPassword, dto.newPassword);
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentActor } from '../common/auth.decorators.js';
import type { Actor } from '../auth/auth-user.js';
import { AppError, fieldError, MESSAGES } from '../common/errors.js';
import { CreateUserDto, ListUsersQuery, ResetPasswordDto } from './accounts.dto.js';
import { AccountsService } from './accounts.service.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { UserPage } from './accounts-responses.dto.js';

/** Account administration: admins only. */
@ApiTags('users')
@Controller('users')
@Authenticated('admin')
export class UsersController {
  constructor(private readonly accounts: AccountsService) {}

  /** Creates an account; a taken username is 409 `username_taken` with the error on the field `username`. */
  @Post()
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto) {
    try {
      return await this.accounts.create(actor, dto);
    } catch (e) {
      if (e instanceof AppError && e.code === 'username_taken') {
        throw new AppError(409, 'username_taken', undefined, [fieldError('username', 'username_taken', MESSAGES.username_taken)]);
      }
      throw e;
    }
  }

  /** Accounts by role, active state and part of the username or display name (`q`), paged. */
  @Get()
  @ApiOkResponse({ type: UserPage })
  list(@Query() q: ListUsersQuery): Promise<UserPage> {
    return this.accounts.list(q);
  }

  /** One account. */
  @Get(':id')
  get(@Param('id', ParseIdPipe) id: number) {
    return this.accounts.get(id);
  }

  /** Deactivates an account (not one's own). */
  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number) {
    return this.accounts.setActive(actor, id, false);
  }

  /** Reactivates a deactivated account. */
  @Post(':id/reactivate')
  @HttpCode(200)
  reactivate(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number) {
    return this.accounts.setActive(actor, id, true);
  }

  /** Sets a new password for an account (the password policy applies; its earlier tokens stop working). */
  @Post(':id/reset-password')
  @HttpCode(200)
  resetPassword(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ResetPasswordDto) {
    return this.accounts.resetPassword(actor, id, dto.password);
  }
}

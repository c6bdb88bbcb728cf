import { type ExecutionContext, Injectable, type CanActivate } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../accounts/role.js';
import { IS_PUBLIC, ROLES_KEY } from '../common/auth.decorators.js';
import { AppError } from '../common/errors.js';
import { createValidationPipe } from '../common/validation.js';
import { isDatabaseUnavailable } from '../database/db-errors.js';
import type { AuthUser } from './auth-user.js';
import { LoginDto } from './auth.dto.js';

/** Global: every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(ctx: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()]);
    if (isPublic) return true;
    return super.canActivate(ctx);
  }

  override handleRequest<T>(err: unknown, user: T, info: unknown, ctx: ExecutionContext): T {
    // The user lookup failing because the database is down is a 503, not a bad token (clients would sign out).
    if (err) throw err instanceof AppError || isDatabaseUnavailable(err) ? err : AppError.unauthorized('token_invalid');
    if (!user) {
      const req = ctx.switchToHttp().getRequest<FastifyRequest>();
      throw AppError.unauthorized(req.headers.authorization ? 'token_invalid' : 'unauthenticated');
    }
    return user;
  }
}

/** Global: enforces the roles named by @Authenticated(...roles). */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (!roles?.length) return true;
    const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user || !roles.includes(user.role)) throw AppError.forbidden();
    return true;
  }
}

/** Login: validates the body like any DTO (400 with field errors) before passport-local runs. */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  private readonly pipe = createValidationPipe();

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    await this.pipe.transform(req.body ?? {}, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(ctx)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    // A database outage is a 503, never "wrong password".
    if (err) throw err instanceof AppError || isDatabaseUnavailable(err) ? err : AppError.unauthorized('invalid_credentials');
    if (!user) throw AppError.unauthorized('invalid_credentials');
    return user;
  }
}

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
import { AuthService } from './auth.service.js';

const BEARER = /(\S+)\s+(\S+)/;

/**
 * Global: every route needs a valid bearer token unless marked @Public(). Not passport's AuthGuard:
 * its strategy machinery (a new strategy object, callbacks and a promise chain per request) cost as
 * much CPU as the rest of the request's authentication (bench:auth); the checks are the same (see
 * AuthService.payloadOf and AuthSessions). The 'jwt' strategy stays for OptionalJwtGuard.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const header = req.headers.authorization;
    if (!header) throw AppError.unauthorized('unauthenticated');
    // As passport-jwt's fromAuthHeaderAsBearerToken: "<scheme> <token>", the scheme case-insensitive.
    const m = BEARER.exec(header);
    if (!m || m[1].toLowerCase() !== 'bearer') throw AppError.unauthorized('token_invalid');
    try {
      req.user = await this.auth.userForToken(this.auth.payloadOf(m[2]));
    } catch (err) {
      // The user lookup failing because the database is down is a 503, not a bad token (clients would sign out).
      throw err instanceof AppError || isDatabaseUnavailable(err) ? err : AppError.unauthorized('token_invalid');
    }
    return true;
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

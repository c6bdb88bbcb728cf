import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors.js';
import { isDatabaseUnavailable } from '../../database/db-errors.js';

/**
 * For @Public() routes that answer an organizer differently: without an Authorization header the
 * caller is anonymous; with one, the token must be valid (401 otherwise) and sets the user.
 */
@Injectable()
export class OptionalJwtGuard extends AuthGuard('jwt') {
  override canActivate(ctx: ExecutionContext) {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    if (!req.headers.authorization) return true;
    return super.canActivate(ctx);
  }

  override handleRequest<T>(err: unknown, user: T): T {
    // A database outage is a 503, not a bad token.
    if (err) throw err instanceof AppError || isDatabaseUnavailable(err) ? err : AppError.unauthorized('token_invalid');
    if (!user) throw AppError.unauthorized('token_invalid');
    return user;
  }
}

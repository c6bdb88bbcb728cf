import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors.js';

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
    if (err) throw err instanceof AppError ? err : AppError.unauthorized('token_invalid');
    if (!user) throw AppError.unauthorized('token_invalid');
    return user;
  }
}

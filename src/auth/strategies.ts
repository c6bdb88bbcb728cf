import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy as LocalStrategyBase } from 'passport-local';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { User } from '../accounts/user.entity.js';
import type { AuthUser } from './auth-user.js';
import { AuthService, type TokenPayload } from './auth.service.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';

@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // Expiry is checked in validate() against the service's clock (it may be set, see common/clock.ts).
      ignoreExpiration: true,
      // A KeyObject: given a string, jsonwebtoken tries to parse it as a PEM key on every request
      // (the largest single cost of an authenticated request, measured by the scoring benchmark).
      // (passport-jwt's types say string | Buffer; it hands the key to jsonwebtoken, which takes a KeyObject).
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
    });
  }

  validate(payload: TokenPayload & { exp?: unknown }): Promise<AuthUser> {
    if (typeof payload?.exp !== 'number' || this.clock.seconds() >= payload.exp) throw AppError.unauthorized('token_invalid');
    return this.auth.userForToken(payload);
  }
}

@Injectable()
export class LocalStrategy extends PassportStrategy(LocalStrategyBase, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true });
  }

  validate(req: FastifyRequest, username: string, password: string): Promise<User> {
    return this.auth.validateCredentials(username, password, req.ip);
  }
}

import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { DataSource } from 'typeorm';
import { toUserResponse } from '../accounts/accounts.dto.js';
import { User } from '../accounts/user.entity.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AppError } from '../common/errors.js';
import type { AuthUser } from './auth-user.js';
import { AuthSessions } from './auth-sessions.js';
import type { LoginResponse } from './auth.dto.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { findOneOrNull } from '../database/row-lock.js';
import { verifyAgainstDummy, verifyPassword } from './password.js';
import { Clock } from '../common/clock.js';
import type { OrganisationKind } from '../organisations/organisation-accounts.service.js';
import { ORGANISATION_DEACTIVATED } from './auth.errors.js';
import { Enterprise, Expert, RecommendingUnit } from '../organisations/organisation.entities.js';

/** Distinct live tokens remembered as verified; past this the memory starts again empty. */
const MAX_VERIFIED = 20_000;

export interface TokenPayload {
  sub: number;
  /** token version: must equal the user's current one */
  tv: number;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly sessions: AuthSessions,
  ) {
    // A KeyObject: given a string, jsonwebtoken parses it as a PEM key on every verification.
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  private readonly key: KeyObject;
  private readonly verified = new Map<string, TokenPayload & { exp: number }>();

  /** Unknown user and wrong password answer alike (same code, same message, similar time). */
  async validateCredentials(username: string, password: string, ip: string): Promise<User> {
    await this.throttle.assertAllowed(username, ip);
    const user = await findOneOrNull(this.dataSource.manager, User, { username });
    const ok = user ? await verifyPassword(user.passwordHash, password) : (await verifyAgainstDummy(password), false);
    if (!user || !ok) {
      await this.throttle.recordFailure(username, ip);
      throw AppError.unauthorized('invalid_credentials');
    }
    if (!user.active) throw AppError.unauthorized('account_inactive');
    // Like account_inactive, told only to whoever knows the password: it reveals nothing to a guesser.
    const deactivated = await this.deactivatedOrganisation(user);
    if (deactivated) throw new AppError(HttpStatus.UNAUTHORIZED, 'account_deactivated', ORGANISATION_DEACTIVATED[deactivated]);
    await this.throttle.clearUsername(username);
    return user;
  }

  /** The kind of the user's organisation when an organizer has deactivated it, else null. */
  private async deactivatedOrganisation(user: User): Promise<OrganisationKind | null> {
    const m = this.dataSource.manager;
    const off = async (entity: typeof RecommendingUnit | typeof Enterprise | typeof Expert, id: number | null) =>
      id !== null && !!(await findOneOrNull<{ id: number; deactivatedAt: Date | null }>(m, entity, { id }, { select: { id: true, deactivatedAt: true } }))?.deactivatedAt;
    if (await off(RecommendingUnit, user.unitId)) return 'unit';
    if (await off(Enterprise, user.enterpriseId)) return 'enterprise';
    if (await off(Expert, user.expertId)) return 'expert';
    return null;
  }

  async issueToken(user: User): Promise<LoginResponse> {
    const payload: TokenPayload = { sub: user.id, tv: user.tokenVersion };
    // Signed with the KeyObject: given the string, jsonwebtoken first tries it as a PEM private key and
    // fails (≈ 2 ms of CPU a token), then makes the same HMAC key from it.
    const accessToken = await this.jwt.signAsync({ ...payload, iat: this.clock.seconds() }, { secret: this.key as unknown as string });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwtTtlSeconds, user: toUserResponse(user) };
  }

  /** The account of a token's payload: refused at once when deactivated or outdated (see AuthSessions). */
  async userForToken(payload: TokenPayload): Promise<AuthUser> {
    if (!Number.isInteger(payload?.sub) || !Number.isInteger(payload?.tv)) throw AppError.unauthorized('token_invalid');
    return this.sessions.userFor(payload.sub, payload.tv);
  }

  /**
   * The payload of a bearer token whose signature is good and which has not expired by the service's
   * clock; 401 token_invalid otherwise. Tokens already verified are remembered (a token is sent with
   * every request of a session): the signature check and JSON parse then cost nothing; expiry is
   * checked every time.
   */
  payloadOf(token: string): TokenPayload & { exp: number } {
    let payload = this.verified.get(token);
    if (!payload) {
      try {
        payload = this.jwt.verify<TokenPayload & { exp: number }>(token, { algorithms: ['HS256'], ignoreExpiration: true, secret: this.key as unknown as string });
      } catch {
        throw AppError.unauthorized('token_invalid');
      }
      if (typeof payload?.exp !== 'number') throw AppError.unauthorized('token_invalid');
      if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
      this.verified.set(token, payload);
    }
    if (this.clock.seconds() >= payload.exp) throw AppError.unauthorized('token_invalid');
    return payload;
  }

  /**
   * The payload of a bearer token verified here rather than by the guard: for the one route that
   * also takes its token in the query (the progress stream; EventSource cannot send headers).
   */
  verifyToken(token: string | undefined): Promise<TokenPayload & { exp?: unknown }> {
    try {
      if (!token) throw AppError.unauthorized('unauthenticated');
      return Promise.resolve(this.payloadOf(token));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }
}

import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { toUserResponse } from '../accounts/accounts.dto.js';
import { User } from '../accounts/user.entity.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AppError } from '../common/errors.js';
import type { AuthUser } from './auth-user.js';
import type { LoginResponse } from './auth.dto.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { verifyAgainstDummy, verifyPassword } from './password.js';
import { Clock } from '../common/clock.js';
import type { OrganisationKind } from '../organisations/organisation-accounts.service.js';
import { ORGANISATION_DEACTIVATED } from './auth.errors.js';
import { Enterprise, Expert, RecommendingUnit } from '../organisations/organisation.entities.js';

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
  ) {}

  /** Unknown user and wrong password answer alike (same code, same message, similar time). */
  async validateCredentials(username: string, password: string, ip: string): Promise<User> {
    await this.throttle.assertAllowed(username, ip);
    const user = await this.dataSource.getRepository(User).findOneBy({ username });
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
      id !== null && !!(await m.getRepository(entity).findOne({ where: { id }, select: { id: true, deactivatedAt: true } }))?.deactivatedAt;
    if (await off(RecommendingUnit, user.unitId)) return 'unit';
    if (await off(Enterprise, user.enterpriseId)) return 'enterprise';
    if (await off(Expert, user.expertId)) return 'expert';
    return null;
  }

  async issueToken(user: User): Promise<LoginResponse> {
    const payload: TokenPayload = { sub: user.id, tv: user.tokenVersion };
    const accessToken = await this.jwt.signAsync({ ...payload, iat: this.clock.seconds() });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwtTtlSeconds, user: toUserResponse(user) };
  }

  /** One primary-key read per request: a deactivated user or an outdated token is refused at once. */
  async userForToken(payload: TokenPayload): Promise<AuthUser> {
    if (!Number.isInteger(payload?.sub) || !Number.isInteger(payload?.tv)) throw AppError.unauthorized('token_invalid');
    const user = await this.dataSource.getRepository(User).findOne({
      where: { id: payload.sub },
      select: { id: true, username: true, displayName: true, role: true, active: true, tokenVersion: true, unitId: true, enterpriseId: true, expertId: true },
    });
    if (!user || !user.active || user.tokenVersion !== payload.tv) throw AppError.unauthorized('token_invalid');
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      unitId: user.unitId,
      enterpriseId: user.enterpriseId,
      expertId: user.expertId,
    };
  }

  /**
   * The payload of a bearer token verified here rather than by the guard: for the one route that
   * also takes its token in the query (the progress stream; EventSource cannot send headers).
   */
  async verifyToken(token: string | undefined): Promise<TokenPayload & { exp?: unknown }> {
    if (!token) throw AppError.unauthorized('unauthenticated');
    try {
      return await this.jwt.verifyAsync<TokenPayload>(token, { algorithms: ['HS256'], clockTimestamp: this.clock.seconds() });
    } catch {
      throw AppError.unauthorized('token_invalid');
    }
  }
}

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { SYSTEM_ACTOR, type Actor } from '../auth/auth-user.js';
import { bumpAuthRevision } from '../auth/auth-sessions.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { closePasswordJudge, judgePasswordOffThread, warmUpPasswordJudge } from '../auth/password-strength-thread.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AppError, fieldError, MESSAGES } from '../common/errors.js';
import { pageWindow, type Page } from '../common/pagination.js';
import { containsPattern } from '../database/like.js';
import { exclusiveTransaction } from '../database/startup-lock.js';
import { type CreateUserDto, type ListUsersQuery, toUserResponse, type UserResponse } from './accounts.dto.js';
import { assertStrongPassword, prejudgePassword, type Prejudged } from './password-policy.js';
import { User } from './user.entity.js';
import { Clock } from '../common/clock.js';
import { existsByColumns, findOr404 } from '../database/row-lock.js';

@Injectable()
export class AccountsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Accounts');
  /** The first start's check of ADMIN_PASSWORD (a warning when weak), settled when it has been judged. */
  adminPasswordJudged: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates the first admin when there is none (from ADMIN_USERNAME/PASSWORD, or a generated password printed once).
   * Instances starting together take turns (a database lock), so exactly one creates it and none fails.
   */
  async onApplicationBootstrap(): Promise<void> {
    // The estimator's dictionaries take a few hundred ms to build: at start (in its thread), not in the first request.
    await warmUpPasswordJudge();
    if (await this.dataSource.getRepository(User).existsBy({ role: 'admin' })) return;
    const username = this.config.adminUsername ?? 'admin';
    // A generated one is 16 random base64url characters (96 bits): strong by construction.
    const password = this.config.adminPassword ?? randomBytes(12).toString('base64url');
    const displayName = '系统管理员';
    if (this.config.adminPassword) {
      // Warned, not refused: ADMIN_PASSWORD is used once, on a first start, and refusing it would leave
      // a fresh deployment without any admin. The admin should change it at once (POST /api/auth/password).
      // Not waited for: the verdict comes when the check's thread has built its dictionaries (≈ 0.7 s),
      // and the service need not start that much later for a warning (onApplicationShutdown waits for it).
      this.adminPasswordJudged = judgePasswordOffThread(password, { username, displayName }).then(
        (verdict) => {
          if (!verdict.ok) {
            this.logger.warn(
              `!!! ADMIN_PASSWORD is weak (${verdict.text!.en}). The admin "${username}" is created with it: change it right after the first login. !!!`,
            );
          }
        },
        (e: unknown) => this.logger.warn(`ADMIN_PASSWORD could not be judged: ${String(e)}`),
      );
    }
    const created = await exclusiveTransaction(this.dataSource, 'first_admin', this.config.migrationsWaitSeconds, async (m) => {
      // Checked again under the lock: another instance may have created it meanwhile.
      if (await m.getRepository(User).existsBy({ role: 'admin' })) return false;
      try {
        await this.create(SYSTEM_ACTOR, { username, displayName, role: 'admin', password }, m, {}, { checkStrength: false });
        return true;
      } catch (e) {
        if (e instanceof AppError && e.code === 'username_taken') {
          this.logger.warn(`No active admin, and the username "${username}" is taken by another role; set ADMIN_USERNAME.`);
          return false;
        }
        throw e;
      }
    });
    if (created && !this.config.adminPassword) {
      // Printed once, on stdout, so that whoever started the service can log in.
      process.stdout.write(`\n  First admin account created: ${username} / ${password}\n  (change it after logging in)\n\n`);
    }
  }

  /** Ends the strength check's worker thread (started again if another instance of the app asks). */
  async onApplicationShutdown(): Promise<void> {
    await this.adminPasswordJudged;
    await closePasswordJudge();
  }

  /**
   * Creates an account. `link` ties a recommender, enterprise or expert account to its organisation
   * (the organisations service passes it, inside its own transaction through `manager`). The password
   * must pass the strength check (400 `weak_password` on `password`), judged against the username,
   * the display name and `opts.personal` (the organisation's name); `checkStrength: false` is for a
   * caller that judged it already (registration) or must accept it (the ADMIN_PASSWORD bootstrap).
   * `passwordHash`: the password's hash, made by a caller before its transaction (see below).
   */
  async create(
    actor: Actor,
    dto: CreateUserDto,
    manager?: EntityManager,
    link: { unitId?: number; enterpriseId?: number; expertId?: number } = {},
    opts: { checkStrength?: boolean; personal?: string[]; passwordHash?: string; prejudged?: Prejudged | null } = {},
  ): Promise<UserResponse> {
    // Hashed (and judged) before the transaction opens: argon2 takes ≈ 25 ms on the thread pool, and on
    // SQLite transactions run one at a time, so a hash inside one held every other write back meanwhile.
    const context = { username: dto.username, displayName: dto.displayName, personal: opts.personal };
    const [passwordHash, prejudged] = manager
      ? [opts.passwordHash, opts.prejudged]
      : await Promise.all([
          opts.passwordHash ?? hashPassword(dto.password),
          opts.checkStrength !== false ? prejudgePassword(this.dataSource.manager, dto.password, context) : null,
        ]);
    const run = async (m: EntityManager) => {
      const repo = m.getRepository(User);
      if (opts.checkStrength !== false) {
        await assertStrongPassword(m, dto.password, context, 'password', prejudged);
      }
      if (await existsByColumns(m, User, { username: dto.username })) throw AppError.conflict('username_taken');
      const now = this.clock.now();
      const user = repo.create({
        username: dto.username,
        displayName: dto.displayName,
        role: dto.role,
        active: true,
        passwordHash: passwordHash ?? (await hashPassword(dto.password)),
        tokenVersion: 0,
        unitId: link.unitId ?? null,
        enterpriseId: link.enterpriseId ?? null,
        expertId: link.expertId ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await repo.save(user);
      await this.audit.openChain(m, user.id);
      const out = toUserResponse(user);
      await this.audit.record(m, actor, { action: 'user.create', targetType: 'user', targetId: user.id, after: out });
      return out;
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  async list(q: ListUsersQuery): Promise<Page<UserResponse>> {
    const { skip, take, page, pageSize } = pageWindow(q);
    const qb = this.dataSource.getRepository(User).createQueryBuilder('u');
    if (q.role) qb.andWhere('u.role = :role', { role: q.role });
    if (q.active) qb.andWhere('u.active = :active', { active: q.active === 'true' ? 1 : 0 });
    if (q.q?.trim()) {
      qb.andWhere(`(u.username LIKE :pattern ESCAPE '!' OR u.displayName LIKE :pattern ESCAPE '!')`, { pattern: containsPattern(q.q.trim()) });
    }
    const [rows, total] = await qb.orderBy('u.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return { items: rows.map(toUserResponse), total, page, pageSize };
  }

  async get(id: number): Promise<UserResponse> {
    return toUserResponse(await this.find(this.dataSource.manager, id));
  }

  private async find(m: EntityManager, id: number): Promise<User> {
    const user = await findOr404(m, User, { id });
    return user;
  }

  async setActive(actor: Actor, id: number, active: boolean): Promise<UserResponse> {
    if (!active && actor.id === id) throw AppError.conflict('cannot_deactivate_self');
    return this.dataSource.transaction(async (m) => {
      const user = await this.find(m, id);
      const before = toUserResponse(user);
      user.active = active;
      // Deactivation ends every session of the user at once.
      if (!active) user.tokenVersion += 1;
      user.updatedAt = this.clock.now();
      await m.getRepository(User).save(user);
      await bumpAuthRevision(m);
      const after = toUserResponse(user);
      await this.audit.record(m, actor, { action: active ? 'user.reactivate' : 'user.deactivate', targetType: 'user', targetId: id, before, after });
      return after;
    });
  }

  async resetPassword(actor: Actor, id: number, password: string): Promise<UserResponse> {
    return this.dataSource.transaction(async (m) => {
      const user = await this.find(m, id);
      await assertStrongPassword(m, password, { username: user.username, displayName: user.displayName });
      user.passwordHash = await hashPassword(password);
      user.tokenVersion += 1;
      user.updatedAt = this.clock.now();
      await m.getRepository(User).save(user);
      await bumpAuthRevision(m);
      await this.audit.record(m, actor, { action: 'user.reset_password', targetType: 'user', targetId: id });
      return toUserResponse(user);
    });
  }

  async changeOwnPassword(actor: Actor, oldPassword: string, newPassword: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const user = await this.find(m, actor.id as number);
      if (!(await verifyPassword(user.passwordHash, oldPassword))) {
        throw AppError.badRequest('wrong_old_password', undefined, [
          fieldError('oldPassword', 'wrong_old_password', MESSAGES.wrong_old_password),
        ]);
      }
      await assertStrongPassword(m, newPassword, { username: user.username, displayName: user.displayName }, 'newPassword');
      user.passwordHash = await hashPassword(newPassword);
      // Other sessions end; the caller logs in again with the new password.
      user.tokenVersion += 1;
      user.updatedAt = this.clock.now();
      await m.getRepository(User).save(user);
      await bumpAuthRevision(m);
      await this.audit.record(m, actor, { action: 'user.change_password', targetType: 'user', targetId: user.id });
    });
  }
}

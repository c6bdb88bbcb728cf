import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service.js';
import { passwordProblems } from '../accounts/password-policy.js';
import { User } from '../accounts/user.entity.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { LoginThrottleService } from '../auth/login-throttle.service.js';
import { hashPassword } from '../auth/password.js';
import { AppError } from '../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { isDuplicateKey } from '../database/db-errors.js';
import { EnterprisesService } from './enterprises.service.js';
import { Enterprise } from './organisation.entities.js';
import { usccErrors } from './organisation-rules.js';
import { ORGANISATIONS_TEXTS as T } from './organisations.errors.js';
import type { RegisterEnterpriseDto, RegistrationReceipt } from './organisations.dto.js';

/** The one answer to every registration that passes validation (see RegistrationReceipt). */
export const REGISTRATION_RECEIVED = T.registrationReceived;

/**
 * Self-registration of an enterprise: the enterprise (status pending) and its first login, in one
 * transaction, so that a refusal leaves neither behind. The login works at once, but the enterprise
 * cannot act (enter achievements) until an organizer or its unit's recommender approves it.
 *
 * Anyone may call it, so it must not be an oracle for who is registered: a USCC or a username already
 * on file gets the same 202 and body as a fresh registration, in about the same time (one password
 * hash either way), and attempts are throttled per client IP.
 */
@Injectable()
export class RegistrationService {
  private readonly logger = new Logger('Registration');

  constructor(
    private readonly dataSource: DataSource,
    private readonly enterprises: EnterprisesService,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `actor` is the system (the caller is anonymous), with the request id for the audit trail; `ip` the client's. */
  async register(actor: Actor, dto: RegisterEnterpriseDto, ip: string, lang: 'zh' | 'en'): Promise<RegistrationReceipt> {
    const { maxPerIp, windowSeconds } = this.config.registration;
    await this.throttle.countAttempt(`register:${ip}`, maxPerIp, windowSeconds, 'too_many_registrations');
    const receipt: RegistrationReceipt = { status: 'received', message: REGISTRATION_RECEIVED[lang] };
    try {
      await this.dataSource.transaction(async (m) => {
        // 400s first, all at once: they depend on the request and on public data (the unit list) only,
        // never on which enterprises or accounts exist.
        const { enterprise: e, account: a } = dto;
        const problems = [
          ...usccErrors(e.uscc, 'enterprise.uscc'),
          ...(await this.enterprises.unitProblems(m, e.defaultUnitId, 'enterprise.defaultUnitId')),
          ...(await passwordProblems(m, a.password, { username: a.username, displayName: a.displayName, personal: [e.name, e.contactPerson, e.phone] }, 'account.password')),
        ];
        if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);

        const enterprise = await m.getRepository(Enterprise).findOne({ where: { uscc: e.uscc }, select: { id: true } });
        const user = await m.getRepository(User).findOne({ where: { username: a.username }, select: { id: true } });
        if (!enterprise && !user) {
          const created = await this.enterprises.insert(m, actor, e, 'pending', { action: 'enterprise.register', fieldPrefix: 'enterprise.' });
          await this.accounts.create(
            actor,
            { username: a.username, displayName: a.displayName, role: 'enterprise', password: a.password },
            m,
            { enterpriseId: created.id },
            { checkStrength: false }, // judged above, with the enterprise's details
          );
          return;
        }
        // Nothing is written for the caller; the hash only makes this path cost what the fresh one does.
        await hashPassword(a.password);
        // The real owner is to be told through the contact details on file. There is no notification
        // system yet: these audit events (`*.registration_attempt`) are what it will pick up.
        if (enterprise) await this.recordAttempt(m, actor, 'enterprise', enterprise.id, 'uscc');
        if (user) await this.recordAttempt(m, actor, 'user', user.id, 'username');
      });
    } catch (e) {
      // Two registrations of the same USCC or username at once: the slower one hits the unique key.
      if (!isDuplicateKey(e) && !(e instanceof AppError && (e.code === 'uscc_taken' || e.code === 'username_taken'))) throw e;
      this.logger.log({ requestId: actor.requestId }, 'registration lost a race for a USCC or username; answered as received');
    }
    return receipt;
  }

  private async recordAttempt(
    m: EntityManager,
    actor: Actor,
    targetType: 'enterprise' | 'user',
    targetId: number,
    matched: 'uscc' | 'username',
  ): Promise<void> {
    await this.audit.record(m, actor, { action: `${targetType}.registration_attempt`, targetType, targetId, after: { matched, notifyOwner: true } });
    // Ids only: no name, USCC, username or address of the caller in the log.
    this.logger.log({ requestId: actor.requestId, targetType, targetId, matched }, 'registration matched an existing record; its owner is to be notified');
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service.js';
import type { Actor } from '../auth/auth-user.js';
import { EnterprisesService } from './enterprises.service.js';
import type { RegisterEnterpriseDto, RegistrationResponse } from './organisations.dto.js';

/**
 * Self-registration of an enterprise: the enterprise (status pending) and its first login, in one
 * transaction, so that a refusal leaves neither behind. The login works at once, but the enterprise
 * cannot act (enter achievements) until an organizer or its unit's recommender approves it.
 */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly enterprises: EnterprisesService,
    private readonly accounts: AccountsService,
  ) {}

  /** `actor` is the system (the caller is anonymous), with the request id for the audit trail. */
  register(actor: Actor, dto: RegisterEnterpriseDto): Promise<RegistrationResponse> {
    return this.dataSource.transaction(async (m) => {
      // In order: field problems (400: USCC, unknown unit), a registered USCC (409 uscc_taken), a taken
      // username (409 username_taken, from AccountsService). Any of them rolls back the whole transaction,
      // so a refused registration leaves no enterprise, no login and no audit row behind.
      const enterprise = await this.enterprises.insert(m, actor, dto.enterprise, 'pending', {
        action: 'enterprise.register',
        fieldPrefix: 'enterprise.',
      });
      const user = await this.accounts.create(
        actor,
        { username: dto.account.username, displayName: dto.account.displayName, role: 'enterprise', password: dto.account.password },
        m,
        { enterpriseId: enterprise.id },
      );
      return { enterprise, user };
    });
  }
}

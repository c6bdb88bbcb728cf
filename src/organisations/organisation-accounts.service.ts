import { Injectable } from '@nestjs/common';
import { DataSource, type EntityTarget } from 'typeorm';
import { type UserResponse } from '../accounts/accounts.dto.js';
import { AccountsService } from '../accounts/accounts.service.js';
import { prejudgePassword } from '../accounts/password-policy.js';
import type { Role } from '../accounts/role.js';
import { User } from '../accounts/user.entity.js';
import type { Actor } from '../auth/auth-user.js';
import { hashPassword } from '../auth/password.js';
import { AppError } from '../common/errors.js';
import { Enterprise, Expert, RecommendingUnit } from './organisation.entities.js';
import type { CreateOrganisationAccountDto } from './organisations.dto.js';
import { existsByColumns, findOneOrNull, findOr404 } from '../database/row-lock.js';
import { NotificationsService } from '../notifications/notifications.service.js';

export type OrganisationKind = 'unit' | 'enterprise' | 'expert';

const displayNameOf = (dto: CreateOrganisationAccountDto, orgName: string) => dto.displayName ?? [...orgName].slice(0, 100).join('');

const ROLE_OF: Record<OrganisationKind, Role> = { unit: 'recommender', enterprise: 'enterprise', expert: 'expert' };

/** Logins that belong to an organisation: the account carries the unit, enterprise or expert it acts for. */
@Injectable()
export class OrganisationAccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly notifications: NotificationsService,
  ) {}

  async create(actor: Actor, kind: OrganisationKind, id: number, dto: CreateOrganisationAccountDto): Promise<UserResponse> {
    // Hashed before the transaction (see AccountsService.create): concurrent creations overlap their hashes.
    // The strength check is started then too, against the organisation's name as on file now (judged
    // again in the transaction should the name or the contests' names have changed meanwhile).
    const entity = kind === 'unit' ? RecommendingUnit : kind === 'enterprise' ? Enterprise : Expert;
    const [passwordHash, prejudged] = await Promise.all([
      hashPassword(dto.password),
      findOneOrNull(this.dataSource.manager, entity as EntityTarget<{ id: number; name: string }>, { id }, { select: { id: true, name: true } }).then((o) =>
        o ? prejudgePassword(this.dataSource.manager, dto.password, { username: dto.username, displayName: displayNameOf(dto, o.name), personal: [o.name] }) : null,
      ),
    ]);
    return this.dataSource.transaction(async (m) => {
      const org = await findOr404(m, entity, { id });
      // An expert is one person: one login. Units and enterprises may have several staff.
      if (kind === 'expert' && (await existsByColumns(m, User, { expertId: id }))) {
        throw AppError.conflict('expert_has_account');
      }
      const displayName = displayNameOf(dto, org.name);
      const link = kind === 'unit' ? { unitId: id } : kind === 'enterprise' ? { enterpriseId: id } : { expertId: id };
      // The account and its audit record are written in this transaction, through `m`. The organizer
      // chooses the initial password: it must not be built from the organisation's name either.
      const user = await this.accounts.create(actor, { username: dto.username, displayName, role: ROLE_OF[kind], password: dto.password }, m, link, {
        personal: [org.name],
        passwordHash,
        prejudged,
      });
      await this.notifications.notify(m, { event: 'account.issued', userId: user.id, password: dto.password, deliverTo: dto.deliverTo ?? null });
      return user;
    });
  }
}

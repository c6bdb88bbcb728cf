import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { User } from '../accounts/user.entity.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { bumpAuthRevision } from '../auth/auth-sessions.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import type { OrganisationKind } from './organisation-accounts.service.js';
import { Enterprise, Expert, RecommendingUnit } from './organisation.entities.js';
import { nowToSecond } from './organisation-rules.js';
import { findOr404 } from '../database/row-lock.js';
import { ORGANISATIONS_TEXTS as T } from './organisations.errors.js';
import { type EnterpriseResponse, type ExpertResponse, toEnterpriseResponse, toExpertResponse, toUnitResponse, type UnitResponse } from './organisations.dto.js';

/** The audit actions, [deactivate, reactivate] per kind. */
const AUDIT_ACTIONS: Record<OrganisationKind, [string, string]> = { unit: ['unit.deactivate', 'unit.reactivate'], enterprise: ['enterprise.deactivate', 'enterprise.reactivate'], expert: ['expert.deactivate', 'expert.reactivate'] };


/**
 * Deactivation and reactivation of units, enterprises and experts (organizers). Nothing is deleted:
 * entries, sheets, results and the audit trail keep naming the organisation. While deactivated:
 *  - its accounts cannot log in (401 `account_deactivated`), and deactivation bumps their token
 *    version, so tokens already issued stop working on the next request (AuthService.userForToken);
 *  - a unit cannot be chosen for a new entry or an enterprise registration, nor recommend;
 *  - an expert cannot be added to a panel or assigned (and automatic assignment leaves it out).
 * The users' own `active` flag is left alone, so reactivation restores exactly the accounts that were
 * usable before (a new login is needed: old tokens stay invalid).
 */
@Injectable()
export class OrganisationStatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  setActive(actor: Actor, kind: 'unit', id: number, active: boolean): Promise<UnitResponse>;
  setActive(actor: Actor, kind: 'enterprise', id: number, active: boolean): Promise<EnterpriseResponse>;
  setActive(actor: Actor, kind: 'expert', id: number, active: boolean): Promise<ExpertResponse>;
  setActive(actor: Actor, kind: OrganisationKind, id: number, active: boolean): Promise<UnitResponse | EnterpriseResponse | ExpertResponse> {
    return this.dataSource.transaction(async (m) => {
      const entity = kind === 'unit' ? RecommendingUnit : kind === 'enterprise' ? Enterprise : Expert;
      const repo = m.getRepository<RecommendingUnit | Enterprise | Expert>(entity);
      const org = await findOr404<RecommendingUnit | Enterprise | Expert>(m, entity, { id }, { lock: true });
      const respond = (o: typeof org) =>
        kind === 'unit' ? toUnitResponse(o as RecommendingUnit) : kind === 'enterprise' ? toEnterpriseResponse(o as Enterprise) : toExpertResponse(o as Expert);
      const isActive = !org.deactivatedAt;
      if (isActive === active) {
        throw active ? AppError.conflict('already_active', T.alreadyActive(kind)) : AppError.conflict('already_deactivated', T.alreadyDeactivated(kind));
      }
      const before = respond(org);
      const now = nowToSecond(this.clock);
      org.deactivatedAt = active ? null : now;
      org.updatedAt = now;
      await repo.save(org);
      let signedOut = 0;
      if (!active) {
        const link = kind === 'unit' ? { unitId: id } : kind === 'enterprise' ? { enterpriseId: id } : { expertId: id };
        const res = await m.getRepository(User).increment(link, 'tokenVersion', 1);
        signedOut = res.affected ?? 0;
        await bumpAuthRevision(m);
      }
      const after = respond(org);
      await this.audit.record(m, actor, {
        action: AUDIT_ACTIONS[kind][active ? 1 : 0],
        targetType: kind,
        targetId: id,
        before,
        after: active ? after : { ...after, accountsSignedOut: signedOut },
      });
      return after;
    });
  }
}

// The membership queries behind every access decision, each one batched SQL over a list of ids
// (one round trip whatever the number of ids). Each returns the ids the caller may act on; the
// filters are the very ones the lists use (entryVisibility, sessionVisibility, …), so that what a
// caller may GET is exactly what its lists show.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { entryVisibility } from './entry.access.js';
import { enterpriseVisibility, expertVisibility, unitVisibility } from './organisation.access.js';
import { sessionVisibility } from './session.access.js';

type Filter = <T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, user: AuthUser, alias: string) => unknown;

@Injectable()
export class AccessRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The ids among `ids` of table `table` (alias `alias`) that pass `filter`. */
  private async idsOf(m: EntityManager | undefined, table: string, alias: string, ids: readonly number[], build: (qb: SelectQueryBuilder<ObjectLiteral>) => boolean | void): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const qb = (m ?? this.dataSource.manager).createQueryBuilder().select(`${alias}.id`, 'id').from(table, alias).where(`${alias}.id IN (:...accIds)`, { accIds: [...ids] });
    if (build(qb) === false) return new Set();
    const rows = await qb.getRawMany<{ id: unknown }>();
    return new Set(rows.map((r) => Number(r.id)));
  }

  private visible(m: EntityManager | undefined, table: string, alias: string, ids: readonly number[], user: AuthUser, filter: Filter) {
    return this.idsOf(m, table, alias, ids, (qb) => filter(qb, user, alias) as boolean | void);
  }

  /** Entries the caller sees (organizer; enterprise ↔ entry; recommender ↔ submitted entry of its unit; expert ↔ assigned, not conflicted). */
  entries(user: AuthUser, ids: readonly number[], m?: EntityManager): Promise<Set<number>> {
    return this.visible(m, 'entries', 'e', ids, user, entryVisibility);
  }

  /** Attachments whose entry the caller sees (enterprise ↔ attachment through its entry, and so on). */
  attachments(user: AuthUser, ids: readonly number[], m?: EntityManager): Promise<Set<number>> {
    return this.idsOf(m, 'attachments', 'att', ids, (qb) => {
      qb.innerJoin('entries', 'e', 'e.id = att.entry_id');
      return entryVisibility(qb, user, 'e');
    });
  }

  /** Inbox messages addressed to the caller (nobody sees another's, organizers included). */
  ownNotifications(user: AuthUser, ids: readonly number[], m?: EntityManager): Promise<Set<number>> {
    return this.idsOf(m, 'notifications', 'n', ids, (qb) => {
      qb.andWhere('n.user_id = :accUser AND n.channel = :accInbox', { accUser: user.id, accInbox: 'inbox' });
    });
  }

  /** Entries of the enterprise itself (organizers: all). */
  ownEntries(user: AuthUser, ids: readonly number[], m?: EntityManager): Promise<Set<number>> {
    return this.idsOf(m, 'entries', 'e', ids, (qb) => {
      if (user.role === 'organizer') return true;
      if (user.role !== 'enterprise' || user.enterpriseId === null) return false;
      qb.andWhere('e.enterprise_id = :accOwn', { accOwn: user.enterpriseId });
      return true;
    });
  }

  /** Expert ↔ entry through a panel: entries of a track one of the expert's panels judges. */
  panelEntries(expertId: number, ids: readonly number[], m?: EntityManager): Promise<Set<number>> {
    return this.idsOf(m, 'entries', 'e', ids, (qb) => {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM panel_members acc_pm JOIN panels acc_p ON acc_p.id = acc_pm.panel_id
          WHERE acc_pm.expert_id = :accExpert AND acc_p.track_id = e.track_id)`,
        { accExpert: expertId },
      );
    });
  }

  /** Expert ↔ session: sessions whose panel the expert is a member of (organizers: all). */
  sessions(user: AuthUser, ids: readonly number[], m?: EntityManager): Promise<Set<number>> {
    return this.visible(m, 'presentation_sessions', 's', ids, user, sessionVisibility);
  }

  /** Units the caller sees (recommender ↔ its unit). */
  units(user: AuthUser, ids: readonly number[], m?: EntityManager): Promise<Set<number>> {
    return this.visible(m, 'recommending_units', 'u', ids, user, unitVisibility);
  }

  /** Enterprises the caller sees (unit ↔ enterprise by default unit; enterprise ↔ itself). */
  enterprises(user: AuthUser, ids: readonly number[], m?: EntityManager): Promise<Set<number>> {
    return this.visible(m, 'enterprises', 'e', ids, user, enterpriseVisibility);
  }

  experts(user: AuthUser, ids: readonly number[], m?: EntityManager): Promise<Set<number>> {
    return this.visible(m, 'experts', 'x', ids, user, expertVisibility);
  }
}

// Reminders: scheduled checks (submission deadline in 3 days and 1 day for enterprises with drafts,
// the recommendation deadline for units with entries waiting, experts with missing sheets once a
// session is over) and the organizer's "remind the missing experts". With several instances each
// check runs on one of them per interval: the one whose UPDATE moves the check's lock row forward
// (scheduler_locks). The reminders' idempotency keys make a repeated check write nothing new.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { isDuplicateKey } from '../database/db-errors.js';
import { dbDate, exec, readDate, rows } from '../scoring/sql.js';
import { STAGES } from '../contests/contest.entities.js';
import { SchedulerLock } from './notification.entities.js';
import { cst, NotificationsService } from './notifications.service.js';

const DAY_MS = 86_400_000;
const CHECKS = ['reminder.submission', 'reminder.recommendation', 'reminder.sheets'] as const;
type Check = (typeof CHECKS)[number];

export interface MissingExpert {
  expertId: number;
  name: string;
  /** Sheets this expert still owes (entries × stages), in the contest or the session. */
  missing: number;
}

/** The window a deadline `ms` away falls in: 1 (a day or less), 3 (three days or less), or none. */
export function reminderWindow(ms: number): 1 | 3 | null {
  if (ms <= 0) return null;
  if (ms <= DAY_MS) return 1;
  if (ms <= 3 * DAY_MS) return 3;
  return null;
}

@Injectable()
export class RemindersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
  ) {}

  /** Runs each check whose lock this instance takes now; returns the checks it ran. */
  async runDue(): Promise<Check[]> {
    const ran: Check[] = [];
    for (const check of CHECKS) {
      if (!(await this.takeLock(check))) continue;
      await this.dataSource.transaction((m) => this.run(m, check));
      ran.push(check);
    }
    return ran;
  }

  /**
   * Moves the check's lock row to now + interval if it is due (or set in the future by a clock moved
   * back); exactly one instance's UPDATE matches.
   */
  private async takeLock(name: Check): Promise<boolean> {
    const now = this.clock.now();
    const interval = this.config.notify.reminderIntervalSeconds * 1000;
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(SchedulerLock);
      if (!(await repo.findOneBy({ name }))) {
        try {
          await repo.insert({ name, lockedUntil: new Date(0), owner: null });
        } catch (e) {
          if (!isDuplicateKey(e)) throw e;
        }
      }
      const res = await exec(m, 'UPDATE scheduler_locks SET locked_until = ?, owner = ? WHERE name = ? AND (locked_until <= ? OR locked_until > ?)', [
        dbDate(new Date(now.getTime() + interval)), `${process.pid}`, name, dbDate(now), dbDate(new Date(now.getTime() + interval)),
      ]);
      return res.affected === 1;
    });
  }

  private async run(m: EntityManager, check: Check): Promise<void> {
    const now = this.clock.now();
    switch (check) {
      case 'reminder.submission': {
        const contests = await rows<Record<string, unknown>>(m, "SELECT id, name, submission_closes_at FROM contests WHERE phase = 'open' AND submission_closes_at > ?", [dbDate(now)]);
        for (const c of contests) {
          const closes = readDate(c.submission_closes_at)!;
          const days = reminderWindow(closes.getTime() - now.getTime());
          if (!days) continue;
          const drafts = await rows<Record<string, unknown>>(m, "SELECT id, title, enterprise_id FROM entries WHERE contest_id = ? AND status = 'draft'", [c.id]);
          for (const d of drafts) {
            const users = await this.usersOf(m, 'enterprise_id', Number(d.enterprise_id));
            await this.notifications.enqueue(m, users, {
              kind: 'reminder_submission', contestId: Number(c.id), facts: { contest: String(c.name), entryTitle: String(d.title), deadline: cst(closes), days },
              link: `#/enterprise/entry/${Number(d.id)}`, key: `remind:submit:${Number(c.id)}:${days}d:entry:${Number(d.id)}`,
            });
          }
        }
        return;
      }
      case 'reminder.recommendation': {
        const contests = await rows<Record<string, unknown>>(m, "SELECT id, name, recommendation_closes_at FROM contests WHERE phase IN ('open', 'review') AND recommendation_closes_at > ?", [dbDate(now)]);
        for (const c of contests) {
          const closes = readDate(c.recommendation_closes_at)!;
          const days = reminderWindow(closes.getTime() - now.getTime());
          if (!days) continue;
          const units = await rows<Record<string, unknown>>(m, "SELECT unit_id, COUNT(*) AS n FROM entries WHERE contest_id = ? AND status = 'submitted' GROUP BY unit_id", [c.id]);
          for (const u of units) {
            const users = await this.usersOf(m, 'unit_id', Number(u.unit_id));
            await this.notifications.enqueue(m, users, {
              kind: 'reminder_recommendation', contestId: Number(c.id), facts: { contest: String(c.name), count: Number(u.n), deadline: cst(closes), days },
              link: '#/unit', key: `remind:recommend:${Number(c.id)}:${days}d:unit:${Number(u.unit_id)}`,
            });
          }
        }
        return;
      }
      case 'reminder.sheets': {
        // Sessions of contests in presentation, over (start + slots × (talk + questions)) and not signed off.
        const sessions = await rows<Record<string, unknown>>(
          m,
          `SELECT ps.id, ps.name, ps.contest_id, ps.starts_at, ps.slot_minutes, ps.qa_minutes, c.name AS contest,
             (SELECT COUNT(*) FROM session_slots ss WHERE ss.session_id = ps.id) AS slots
           FROM presentation_sessions ps JOIN contests c ON c.id = ps.contest_id
           WHERE c.phase = 'presentation' AND ps.signed_off_at IS NULL AND ps.starts_at <= ?`,
          [dbDate(now)],
        );
        for (const s of sessions) {
          const ends = readDate(s.starts_at)!.getTime() + Number(s.slots) * (Number(s.slot_minutes) + Number(s.qa_minutes)) * 60_000;
          if (ends > now.getTime()) continue;
          for (const x of await this.missingExperts(m, Number(s.contest_id), Number(s.id))) {
            await this.notifications.enqueue(m, await this.usersOf(m, 'expert_id', x.expertId), {
              kind: 'reminder_sheets', contestId: Number(s.contest_id), facts: { contest: String(s.contest), count: x.missing, sessionName: String(s.name) },
              link: '#/expert', key: `remind:sheets:session:${Number(s.id)}:x${x.expertId}`,
            });
          }
        }
        return;
      }
    }
  }

  private async usersOf(m: EntityManager, column: 'enterprise_id' | 'unit_id' | 'expert_id', id: number): Promise<{ userId: number }[]> {
    const found = await rows<{ id: unknown }>(m, `SELECT id FROM users WHERE ${column} = ? AND active = 1 ORDER BY id`, [id]);
    return found.map((u) => ({ userId: Number(u.id) }));
  }

  /** Experts with sheets still to submit for entries scheduled in the contest's sessions (or one session), absent entries aside. */
  async missingExperts(m: EntityManager, contestId: number, sessionId?: number): Promise<MissingExpert[]> {
    const list = await rows<Record<string, unknown>>(
      m,
      `SELECT a.expert_id, x.name,
         (SELECT COUNT(*) FROM score_sheets sh WHERE sh.entry_id = a.entry_id AND sh.expert_id = a.expert_id AND sh.status = 'submitted') AS done
       FROM assignments a JOIN session_slots ss ON ss.entry_id = a.entry_id JOIN presentation_sessions ps ON ps.id = ss.session_id
         LEFT JOIN experts x ON x.id = a.expert_id
       WHERE ps.contest_id = ?${sessionId ? ' AND ps.id = ?' : ''} AND ss.attendance <> 'absent'
       ORDER BY a.expert_id`,
      sessionId ? [contestId, sessionId] : [contestId],
    );
    const out = new Map<number, MissingExpert>();
    for (const r of list) {
      const owed = STAGES.length - Number(r.done);
      if (owed <= 0) continue;
      const id = Number(r.expert_id);
      const x = out.get(id) ?? { expertId: id, name: String(r.name ?? ''), missing: 0 };
      x.missing += owed;
      out.set(id, x);
    }
    return [...out.values()];
  }

  /** The organizer's button: one reminder to every expert with missing sheets (the caller audits). */
  async remindMissing(m: EntityManager, contestId: number, sessionId: number | undefined): Promise<{ experts: MissingExpert[]; messages: number }> {
    const experts = await this.missingExperts(m, contestId, sessionId);
    const [c] = await rows<{ name: string }>(m, 'SELECT name FROM contests WHERE id = ?', [contestId]);
    let messages = 0;
    const stamp = this.clock.now().getTime();
    for (const x of experts) {
      messages += await this.notifications.enqueue(m, await this.usersOf(m, 'expert_id', x.expertId), {
        kind: 'reminder_sheets', contestId, facts: { contest: c?.name ?? '', count: x.missing }, link: '#/expert',
        key: `remind:sheets:manual:${contestId}:${sessionId ?? 'all'}:x${x.expertId}:${stamp}`,
      });
    }
    return { experts, messages };
  }
}

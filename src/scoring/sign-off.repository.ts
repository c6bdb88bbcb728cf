// The SQL of the panel leader's sign-off of a presentation session, of what is still missing, and
// the phase facts of scoring: typed rows and their mappers.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { dbDate, exec, num, readDate, rows } from './sql.js';

/** presentation_sessions as the sign-off reads it, with the panel's leader and whether the caller is a member. */
interface SessionRow {
  id: number;
  contestId: number | null;
  phase: string | null;
  signedOffAt: unknown;
  signedOffBy: number | null;
  leaderExpertId: number | null;
  member: unknown;
}

export interface SessionSignOff {
  id: number;
  phase: string | null;
  signedOffAt: Date | null;
  signedOffBy: number | null;
  leaderExpertId: number | null;
  /** The caller is a member of the session's panel. */
  member: boolean;
}

/** The one mapper of presentation_sessions rows here. */
function toSession(r: SessionRow): SessionSignOff {
  return {
    id: Number(r.id),
    phase: r.phase ?? null,
    signedOffAt: readDate(r.signedOffAt),
    signedOffBy: r.signedOffBy === null || r.signedOffBy === undefined ? null : Number(r.signedOffBy),
    leaderExpertId: r.leaderExpertId === null || r.leaderExpertId === undefined ? null : Number(r.leaderExpertId),
    member: num(r.member) > 0,
  };
}

interface MissingRow {
  entryId: number;
  entryTitle: string;
  expertId: number;
  expertName: string | null;
  stage: string;
  status: string | null;
}

export interface MissingSheetLine {
  entryId: number;
  entryTitle: string;
  expertId: number;
  expertName: string;
  stage: string;
  status: string;
}

@Injectable()
export class SignOffRepository {
  /** Signs the session off if it is not yet; the row lock taken orders this against a concurrent reopen. */
  async take(m: EntityManager, sessionId: number, by: number | null, now: Date): Promise<boolean> {
    const res = await exec(m, 'UPDATE presentation_sessions SET signed_off_at = ?, signed_off_by = ? WHERE id = ? AND signed_off_at IS NULL', [dbDate(now), by, sessionId]);
    return res.affected > 0;
  }

  /** Clears the session's sign-off if any (always taking the row lock); true when one was cleared. */
  async clear(m: EntityManager, sessionId: number): Promise<boolean> {
    const res = await exec(m, 'UPDATE presentation_sessions SET signed_off_at = NULL, signed_off_by = NULL WHERE id = ? AND signed_off_at IS NOT NULL', [sessionId]);
    return res.affected > 0;
  }

  /** The session with its contest's phase, its panel's leader and whether the expert is a member; null when none. */
  async session(m: EntityManager, sessionId: number, expertId: number | null): Promise<SessionSignOff | null> {
    const [s] = await rows<SessionRow>(
      m,
      `SELECT ps.id AS id, ps.contest_id AS contestId, c.phase AS phase, ps.signed_off_at AS signedOffAt, ps.signed_off_by AS signedOffBy,
         p.leader_expert_id AS leaderExpertId,
         (SELECT COUNT(*) FROM panel_members pm WHERE pm.panel_id = ps.panel_id AND pm.expert_id = ?) AS member
       FROM presentation_sessions ps JOIN contests c ON c.id = ps.contest_id LEFT JOIN panels p ON p.id = ps.panel_id
       WHERE ps.id = ?`,
      [expertId ?? -1, sessionId],
    );
    return s ? toSession(s) : null;
  }

  /** Assigned sheets of the session's non-absent entries that are not submitted, for both stages. */
  async missingOfSession(m: EntityManager, sessionId: number): Promise<MissingSheetLine[]> {
    const list = await rows<MissingRow>(
      m,
      `SELECT a.entry_id AS entryId, e.title AS entryTitle, a.expert_id AS expertId, x.name AS expertName, st.stage AS stage, s.status AS status
       FROM session_slots ss
       JOIN assignments a ON a.entry_id = ss.entry_id
       JOIN entries e ON e.id = ss.entry_id
       LEFT JOIN experts x ON x.id = a.expert_id
       CROSS JOIN (SELECT 'material' AS stage UNION ALL SELECT 'presentation' AS stage) st
       LEFT JOIN score_sheets s ON s.expert_id = a.expert_id AND s.entry_id = a.entry_id AND s.stage = st.stage
       WHERE ss.session_id = ? AND ss.attendance <> 'absent' AND (s.id IS NULL OR s.status <> 'submitted')
       ORDER BY ss.position, a.entry_id, a.expert_id, st.stage`,
      [sessionId],
    );
    return list.map((r) => ({
      entryId: Number(r.entryId),
      entryTitle: String(r.entryTitle),
      expertId: Number(r.expertId),
      expertName: String(r.expertName ?? ''),
      stage: String(r.stage),
      status: r.status === null || r.status === undefined ? 'not_started' : String(r.status),
    }));
  }

  /** Assignments of non-absent entries × both stages without a submitted sheet. */
  async missingSheetCount(m: EntityManager, contestId: number): Promise<number> {
    const [r] = await rows<{ n: unknown }>(
      m,
      `SELECT COUNT(*) AS n FROM assignments a
       CROSS JOIN (SELECT 'material' AS stage UNION ALL SELECT 'presentation' AS stage) st
       LEFT JOIN session_slots ss ON ss.entry_id = a.entry_id
       LEFT JOIN score_sheets s ON s.expert_id = a.expert_id AND s.entry_id = a.entry_id AND s.stage = st.stage AND s.status = 'submitted'
       WHERE a.contest_id = ? AND (ss.attendance IS NULL OR ss.attendance <> 'absent') AND s.id IS NULL`,
      [contestId],
    );
    return num(r?.n);
  }

  /** Sessions with a panel and non-absent entries whose leader has not signed off. */
  async unsignedSessionCount(m: EntityManager, contestId: number): Promise<number> {
    const [r] = await rows<{ n: unknown }>(
      m,
      `SELECT COUNT(*) AS n FROM presentation_sessions ps
       WHERE ps.contest_id = ? AND ps.panel_id IS NOT NULL AND ps.signed_off_at IS NULL
         AND EXISTS (SELECT 1 FROM session_slots ss WHERE ss.session_id = ps.id AND ss.attendance <> 'absent')`,
      [contestId],
    );
    return num(r?.n);
  }
}

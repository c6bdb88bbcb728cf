// The GROUP BY queries the statistics of a contest need, as SQL text for either database (the
// service runs them through TypeORM; the bench runs the very same text through mysql2 as its raw
// baseline). Only team-member counting and minute differences differ between the dialects.
export type Dialect = 'sqlite' | 'mysql';

const TAKING_PART = `e.status NOT IN ('draft', 'withdrawn')`;

function membersOf(d: Dialect): string {
  return d === 'sqlite' ? `COALESCE(json_array_length(e.team, '$.members'), 0)` : `COALESCE(JSON_LENGTH(e.team, '$.members'), 0)`;
}

function minutesBetween(d: Dialect, from: string, to: string): string {
  return d === 'sqlite' ? `CAST(ROUND((julianday(${to}) - julianday(${from})) * 1440) AS INTEGER)` : `TIMESTAMPDIFF(MINUTE, ${from}, ${to})`;
}

export interface StatisticsQueries {
  totals: string;
  enterprisesPerUnit: string;
  cube: string;
  review: string;
  failedChecklists: string;
  attendance: string;
  workload: string;
  minutes: string;
  totalsByStage: string;
  rubrics: string;
  objections: string;
}

/** Every query of one contest's statistics; each takes the contest id as its only parameter (`?`). */
export function statisticsQueries(d: Dialect): StatisticsQueries {
  return {
    totals: `SELECT COUNT(*) AS entries, COUNT(DISTINCT e.enterprise_id) AS enterprises, COUNT(DISTINCT e.unit_id) AS units FROM entries e WHERE e.contest_id = ? AND ${TAKING_PART}`,
    enterprisesPerUnit: `SELECT e.unit_id AS unitId, COUNT(DISTINCT e.enterprise_id) AS enterprises FROM entries e WHERE e.contest_id = ? AND ${TAKING_PART} GROUP BY e.unit_id`,
    cube:
      `SELECT e.unit_id AS unitId, u.name AS unitName, en.industry AS industry, e.entry_type AS entryType, e.track_id AS trackId, t.name AS trackName, e.status AS status, ` +
      `COUNT(*) AS entries, SUM(${membersOf(d)}) AS members, SUM(COALESCE(e.economic_benefit, 0)) AS benefitYuan, SUM(CASE WHEN e.economic_benefit > 0 THEN 1 ELSE 0 END) AS declaring ` +
      `FROM entries e JOIN recommending_units u ON u.id = e.unit_id JOIN enterprises en ON en.id = e.enterprise_id LEFT JOIN tracks t ON t.id = e.track_id ` +
      `WHERE e.contest_id = ? AND ${TAKING_PART} GROUP BY e.unit_id, u.name, en.industry, e.entry_type, e.track_id, t.name, e.status`,
    review:
      `SELECT r.passed AS passed, r.returned AS returned, r.rejected AS rejected, COUNT(*) AS entries FROM (` +
      `SELECT d.entry_id, MAX(CASE WHEN d.decision = 'pass' THEN 1 ELSE 0 END) AS passed, MAX(CASE WHEN d.decision = 'return' THEN 1 ELSE 0 END) AS returned, ` +
      `MAX(CASE WHEN d.decision = 'reject' THEN 1 ELSE 0 END) AS rejected FROM review_decisions d WHERE d.contest_id = ? GROUP BY d.entry_id) r GROUP BY r.passed, r.returned, r.rejected`,
    failedChecklists: `SELECT d.checklist AS checklist FROM review_decisions d WHERE d.contest_id = ? AND d.decision <> 'pass'`,
    attendance: `SELECT sl.attendance AS attendance, COUNT(*) AS n FROM session_slots sl JOIN presentation_sessions s ON s.id = sl.session_id WHERE s.contest_id = ? GROUP BY sl.attendance`,
    workload:
      `SELECT sh.expert_id AS expertId, x.name AS expertName, sh.stage AS stage, COUNT(*) AS sheets, SUM(CASE WHEN sh.status = 'submitted' THEN 1 ELSE 0 END) AS submitted ` +
      `FROM score_sheets sh JOIN experts x ON x.id = sh.expert_id WHERE sh.contest_id = ? GROUP BY sh.expert_id, x.name, sh.stage`,
    // From the entry's presentation slot to the submission of the expert's presentation sheet.
    minutes:
      `SELECT m.expertId AS expertId, COUNT(*) AS timed, SUM(m.minutes) AS totalMinutes, MAX(m.minutes) AS maxMinutes FROM (` +
      `SELECT sh.expert_id AS expertId, ${minutesBetween(d, 'sl.starts_at', 'sh.submitted_at')} AS minutes FROM score_sheets sh ` +
      `JOIN session_slots sl ON sl.entry_id = sh.entry_id JOIN presentation_sessions s ON s.id = sl.session_id AND s.contest_id = sh.contest_id ` +
      `WHERE sh.contest_id = ? AND sh.stage = 'presentation' AND sh.status = 'submitted' AND sl.starts_at IS NOT NULL AND sh.submitted_at IS NOT NULL) m GROUP BY m.expertId`,
    totalsByStage: `SELECT sh.stage AS stage, sh.rubric_id AS rubricId, sh.total AS total, COUNT(*) AS sheets FROM score_sheets sh WHERE sh.contest_id = ? AND sh.status = 'submitted' AND sh.total IS NOT NULL GROUP BY sh.stage, sh.rubric_id, sh.total`,
    rubrics: `SELECT r.id AS id, r.items AS items FROM rubrics r WHERE r.contest_id = ?`,
    // Upheld: the entry's result was adjusted after the objection was filed.
    objections:
      `SELECT COUNT(*) AS filed, SUM(CASE WHEN o.status = 'answered' THEN 1 ELSE 0 END) AS answered, ` +
      `SUM(CASE WHEN EXISTS (SELECT 1 FROM result_adjustments a WHERE a.contest_id = o.contest_id AND a.entry_id = o.entry_id AND a.created_at > o.created_at) THEN 1 ELSE 0 END) AS upheld ` +
      `FROM objections o WHERE o.contest_id = ?`,
  };
}

/** Entries, enterprises and units of every contest (year on year), and the review pass counts. */
export const YEAR_QUERIES = {
  participation: `SELECT e.contest_id AS contestId, COUNT(*) AS entries, COUNT(DISTINCT e.enterprise_id) AS enterprises, COUNT(DISTINCT e.unit_id) AS units FROM entries e WHERE ${TAKING_PART} GROUP BY e.contest_id`,
  review: `SELECT d.contest_id AS contestId, COUNT(DISTINCT d.entry_id) AS reviewed, COUNT(DISTINCT CASE WHEN d.decision = 'pass' THEN d.entry_id END) AS passed FROM review_decisions d GROUP BY d.contest_id`,
};

/** The industry and type of given entries (the awarded ones), by id. */
export const AWARDED_FACTS = `SELECT e.id AS id, e.entry_type AS entryType, en.industry AS industry FROM entries e JOIN enterprises en ON en.id = e.enterprise_id WHERE e.contest_id = ? AND e.id IN `;

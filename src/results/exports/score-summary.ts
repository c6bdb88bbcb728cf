// 评分汇总表: the paper a session's panel signs. One A4-landscape PDF per session: for each stage a
// table of the session's entries × the experts' sheet totals (dropped marks marked 去高/去低), the
// stage score, the final score, then a signature line per expert and for the panel leader, the
// sign-off time and the session's data hash.
//
// The numbers are the results' own: the contest's facts are loaded and aggregated with
// loadResultsFacts + buildPayload (the functions a result snapshot is computed with), so the paper
// equals what the computation will say, and is drawn from the submitted sheets at the time of printing.
import type { EntityManager } from 'typeorm';
import type { Contest } from '../../contests/contest.entities.js';
import type { Stage } from '../../judging/final-score.js';
import { placeholders, readDate, rows } from '../../scoring/sql.js';
import { canonicalHash } from '../canonical-json.js';
import { loadResultsFacts } from '../results-data.js';
import { buildPayload, formatPoints, formatTenths, STAGES } from '../results-payload.js';
import { chineseDate, renderPdf } from './certificate-pdf.js';

export interface SummaryExpert {
  expertId: number;
  name: string;
  leader: boolean;
}

export interface SummaryMark {
  expertId: number;
  /** points, one decimal, as on the sheet */
  points: string;
  status: 'used' | 'dropped_highest' | 'dropped_lowest' | 'not_middle';
}

export interface SummaryEntry {
  position: number | null;
  entryId: number;
  title: string;
  teamName: string;
  enterpriseName: string;
  attendance: string;
  /** Per stage: the marks and the stage score (points, 4 decimals), null for an entry not judged. */
  stages: Record<Stage, { marks: SummaryMark[]; score: string; method: string } | null>;
  finalScore: string | null;
}

export interface SessionSummary {
  contest: { id: number; name: string; year: number };
  session: { id: number; name: string; venue: string; startsAt: string; panelName: string | null; signedOffAt: string };
  experts: SummaryExpert[];
  entries: SummaryEntry[];
  /** SHA-256 of the canonical JSON of everything above: the session's snapshot hash printed on the paper. */
  hash: string;
}

const num = (v: unknown) => Number(v);
/** A raw datetime column (a Date from mysql2, a UTC string from SQLite) as ISO 8601. */
const iso = (v: unknown) => readDate(v)!.toISOString();

/**
 * The summary of a signed-off session (the caller checks the sign-off). The session's entries in
 * running order; the experts of its panel (leader first), plus any other expert with a counted sheet.
 */
export async function loadSessionSummary(m: EntityManager, contest: Contest, sessionId: number): Promise<SessionSummary> {
  const [s] = await rows<Record<string, unknown>>(
    m,
    `SELECT ps.id, ps.name, ps.venue, ps.starts_at, ps.signed_off_at, ps.panel_id, p.name AS panel_name, p.leader_expert_id
       FROM presentation_sessions ps LEFT JOIN panels p ON p.id = ps.panel_id WHERE ps.id = ?`,
    [sessionId],
  );
  const slots = await rows<Record<string, unknown>>(
    m,
    `SELECT ss.entry_id, ss.position, ss.attendance, e.title, e.team_name, en.name AS enterprise_name
       FROM session_slots ss JOIN entries e ON e.id = ss.entry_id LEFT JOIN enterprises en ON en.id = e.enterprise_id
      WHERE ss.session_id = ? ORDER BY CASE WHEN ss.position IS NULL THEN 1 ELSE 0 END, ss.position, ss.entry_id`,
    [sessionId],
  );
  const members = s!.panel_id === null ? [] : await rows<Record<string, unknown>>(m, 'SELECT expert_id FROM panel_members WHERE panel_id = ?', [s!.panel_id]);

  const { facts } = await loadResultsFacts(m, contest);
  // Format 1: every stage full (its marks with their status), as the sheet shows them.
  const payload = buildPayload(facts, { format: 1 });
  const byEntry = new Map(payload.entries.map((e) => [e.entryId, e]));

  const leaderId = s!.leader_expert_id === null ? null : num(s!.leader_expert_id);
  const expertIds = new Set<number>(members.map((r) => num(r.expert_id)));
  const entries: SummaryEntry[] = slots.map((r) => {
    const e = byEntry.get(num(r.entry_id));
    const stages = {} as SummaryEntry['stages'];
    for (const stage of STAGES) {
      const a = e?.participation === 'judged' ? e.stages[stage] : null;
      if (a) for (const mk of a.marks) expertIds.add(mk.expertId);
      stages[stage] = a ? { marks: a.marks.map((mk) => ({ expertId: mk.expertId, points: formatTenths(mk.total), status: mk.status })), score: formatPoints(a.value), method: a.method } : null;
    }
    return {
      position: r.position === null ? null : num(r.position),
      entryId: num(r.entry_id),
      title: String(r.title),
      teamName: String(r.team_name),
      enterpriseName: String(r.enterprise_name ?? ''),
      attendance: String(r.attendance),
      stages,
      finalScore: e && e.participation === 'judged' && e.finalScore !== null ? formatPoints(e.finalScore) : null,
    };
  });
  const ids = [...expertIds];
  const names = ids.length ? await rows<Record<string, unknown>>(m, `SELECT id, name FROM experts WHERE id IN (${placeholders(ids)})`, ids) : [];
  const nameOf = new Map(names.map((r) => [num(r.id), String(r.name)]));
  const experts = ids
    .map((id) => ({ expertId: id, name: nameOf.get(id) ?? `专家 ${id}`, leader: id === leaderId }))
    .sort((a, b) => Number(b.leader) - Number(a.leader) || a.expertId - b.expertId);

  const body = {
    contest: { id: contest.id, name: contest.name, year: contest.year },
    session: {
      id: sessionId,
      name: String(s!.name),
      venue: String(s!.venue),
      startsAt: iso(s!.starts_at),
      panelName: s!.panel_name === null || s!.panel_name === undefined ? null : String(s!.panel_name),
      signedOffAt: iso(s!.signed_off_at),
    },
    experts,
    entries,
  };
  return { ...body, hash: canonicalHash(body) };
}

// ---------------------------------------------------------------------------------------------
// Rendering

const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = 36;
const INK = '#111111';
const GREY = '#555555';
const STAGE_TITLES: Record<Stage, string> = { material: '材料评审（成果报告）', presentation: '现场发表' };
const MARK_NOTE: Record<SummaryMark['status'], string> = { used: '', dropped_highest: '（去高）', dropped_lowest: '（去低）', not_middle: '（未计）' };
const ATTENDANCE_NOTE: Record<string, string> = { absent: '缺席', pending: '未签到' };

/** Date and time in China time: 2020年9月29日 09:00. */
function chinaDateTime(isoText: string): string {
  const d = new Date(Date.parse(isoText) + 8 * 3600_000);
  return `${chineseDate(new Date(isoText))} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** The 评分汇总表 of a session as an A4-landscape PDF, with page numbers (第 i 页 共 n 页). */
export function renderScoreSummaryPdf(sum: SessionSummary): Promise<Buffer> {
  return renderPdf({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: `评分汇总表 ${sum.contest.name} ${sum.session.name}`, Subject: `场次数据校验码 ${sum.hash}`, Creator: '质量攻关成果评审系统' },
  }, (doc, p) => {
    const width = PAGE.width - 2 * MARGIN;
    const bottom = PAGE.height - MARGIN - 18;

    const pageHead = () => {
      doc.fontSize(9).fillColor(GREY).text(`${p(sum.contest.name)} · ${p(sum.session.name)} · 评分汇总表`, MARGIN, MARGIN - 18, { width, lineBreak: false });
      doc.fillColor(INK);
    };
    pageHead();
    doc.fontSize(18).fillColor(INK).text(`${p(sum.contest.name)}`, MARGIN, MARGIN, { width, align: 'center' });
    doc.fontSize(16).text(`现场发表评分汇总表（${p(sum.session.name)}）`, { width, align: 'center' });
    doc.moveDown(0.3).fontSize(10).text(
      `场地：${p(sum.session.venue)}    发表时间：${chinaDateTime(sum.session.startsAt)}    评审组：${p(sum.session.panelName ?? '—')}    组长确认：${chinaDateTime(sum.session.signedOffAt)}`,
      { width, align: 'center' },
    );
    let y = doc.y + 8;

    // Columns: 序号 | 成果 | one per expert | 阶段得分 (| 最终得分 on the last stage)
    const n = Math.max(1, sum.experts.length);
    const fixed = { pos: 28, entry: 190, score: 62, final: 62 };
    const expertW = Math.max(34, (width - fixed.pos - fixed.entry - fixed.score - fixed.final) / n);
    const lastStage = STAGES[STAGES.length - 1];

    for (const stage of STAGES) {
      const withFinal = stage === lastStage;
      const cols: { title: string; w: number }[] = [
        { title: '序号', w: fixed.pos },
        { title: '小组 · 企业 · 成果', w: fixed.entry },
        ...sum.experts.map((x) => ({ title: `${p(x.name)}${x.leader ? '（组长）' : ''}`, w: expertW })),
        { title: '阶段得分', w: fixed.score },
        ...(withFinal ? [{ title: '最终得分', w: fixed.final }] : []),
      ];
      const drawRow = (cells: string[], bold: boolean): void => {
        doc.fontSize(bold ? 8.5 : 8.5);
        const pad = 3;
        const h = Math.max(16, ...cells.map((c, k) => doc.heightOfString(c, { width: cols[k]!.w - 2 * pad }) + 2 * pad));
        if (y + h > bottom) {
          doc.addPage();
          pageHead();
          y = MARGIN;
          if (!bold) drawRow(cols.map((c) => c.title), true);
        }
        let x = MARGIN;
        if (bold) doc.rect(MARGIN, y, cols.reduce((a, c) => a + c.w, 0), h).fillColor('#EEEEEE').fill().fillColor(INK);
        for (const [k, c] of cells.entries()) {
          doc.lineWidth(0.5).strokeColor('#888888').rect(x, y, cols[k]!.w, h).stroke();
          doc.fillColor(INK).text(c, x + pad, y + pad, { width: cols[k]!.w - 2 * pad, align: k === 1 ? 'left' : 'center' });
          x += cols[k]!.w;
        }
        y += h;
      };
      if (y + 60 > bottom) {
        doc.addPage();
        pageHead();
        y = MARGIN;
      }
      doc.fontSize(12).fillColor(INK).text(STAGE_TITLES[stage], MARGIN, y + 4, { width });
      y = doc.y + 4;
      drawRow(cols.map((c) => c.title), true);
      for (const e of sum.entries) {
        const st = e.stages[stage];
        const note = ATTENDANCE_NOTE[e.attendance];
        const cells = [
          e.position === null ? '—' : String(e.position),
          `${p(e.teamName)} · ${p(e.enterpriseName)}\n《${p(e.title)}》`,
          ...sum.experts.map((x) => {
            if (!st) return note ?? '—';
            const mk = st.marks.find((mm) => mm.expertId === x.expertId);
            return mk ? `${mk.points}${MARK_NOTE[mk.status]}` : '回避/未分配';
          }),
          st ? st.score : (note ?? '—'),
          ...(withFinal ? [e.finalScore ?? (note ?? '—')] : []),
        ];
        drawRow(cells, false);
      }
      y += 6;
    }
    doc.fontSize(8).fillColor(GREY).text('注：（去高）（去低）为按规则去掉的最高分和最低分，不计入阶段得分；阶段得分与最终得分保留四位小数，与评审结果计算一致。', MARGIN, y, { width });
    y = doc.y + 10;

    // Signatures: every expert, then the leader.
    const signH = 26;
    const needed = 20 + Math.ceil(sum.experts.length / 3) * signH + signH + 40;
    if (y + needed > bottom) {
      doc.addPage();
      pageHead();
      y = MARGIN;
    }
    doc.fontSize(12).fillColor(INK).text('评审专家签字', MARGIN, y, { width });
    y = doc.y + 6;
    const colW = width / 3;
    sum.experts.forEach((x, k) => {
      const cx = MARGIN + (k % 3) * colW;
      const cy = y + Math.floor(k / 3) * signH;
      doc.fontSize(10).text(`${p(x.name)}：`, cx, cy + 6, { width: 90, lineBreak: false });
      doc.lineWidth(0.7).strokeColor(INK).moveTo(cx + 92, cy + 18).lineTo(cx + colW - 16, cy + 18).stroke();
    });
    y += Math.ceil(sum.experts.length / 3) * signH + 8;
    const leader = sum.experts.find((x) => x.leader);
    doc.fontSize(10).text(`评审组组长签字（${p(leader?.name ?? '—')}）：`, MARGIN, y + 6, { width: 240, lineBreak: false });
    doc.lineWidth(0.7).moveTo(MARGIN + 240, y + 18).lineTo(MARGIN + 460, y + 18).stroke();
    doc.text('日期：', MARGIN + 480, y + 6, { width: 40, lineBreak: false });
    doc.moveTo(MARGIN + 520, y + 18).lineTo(MARGIN + 640, y + 18).stroke();
    y += signH + 8;
    doc.fontSize(8).fillColor(GREY).text(`场次数据校验码（SHA-256）：${sum.hash}`, MARGIN, y, { width });

    const range = doc.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      // The footer sits in the bottom margin: without this pdfkit would start a new page for it.
      doc.page.margins.bottom = 0;
      doc.fontSize(8).fillColor(GREY).text(`第 ${i + 1} 页 共 ${range.count} 页`, MARGIN, PAGE.height - MARGIN, { width, align: 'center', lineBreak: false });
    }
  });
}

// Schedule exports (issue 13): a contest's presentation sessions as an Excel workbook (one sheet per
// session) and as an iCalendar file (RFC 5545: one VEVENT per drawn presentation slot), so teams and
// experts put their slots in their calendars. The builders are pure; ScheduleExportService loads the
// rows each caller may see.
import { excelJs } from '../common/file-libraries.js';

export interface ScheduleSlot {
  sessionId: number;
  entryId: number;
  position: number | null;
  /** null until the draw */
  startsAt: Date | null;
  attendance: string;
  title: string;
  teamName: string;
  enterpriseName: string;
}

export interface ScheduleSession {
  id: number;
  name: string;
  venue: string;
  startsAt: Date;
  slotMinutes: number;
  qaMinutes: number;
  drawnAt: Date | null;
  panelName: string | null;
  slots: ScheduleSlot[];
}

export interface Schedule {
  contest: { id: number; name: string };
  sessions: ScheduleSession[];
}

const CST_MS = 8 * 3600_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A UTC instant as China time, 'YYYY-MM-DD HH:mm' (China has no daylight saving time). */
export function chinaTime(at: Date): string {
  const d = new Date(at.getTime() + CST_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** The end of a slot: its start + presentation + questions. */
export function slotEnd(session: Pick<ScheduleSession, 'slotMinutes' | 'qaMinutes'>, start: Date): Date {
  return new Date(start.getTime() + (session.slotMinutes + session.qaMinutes) * 60_000);
}

/** The ideographic space between title parts, as on the award list's title row. */
const SP = '\u3000';
const ATTENDANCE_ZH: Record<string, string> = { pending: '待签到', present: '已签到', absent: '缺席' };

// ---------------------------------------------------------------------------------------------
// xlsx

/** A sheet name Excel accepts (≤ 31 characters, none of []:*?/\), unique in the workbook. */
function sheetName(name: string, id: number, used: Set<string>): string {
  const base = [...name.replace(/[[\]:*?/\\]/gu, '_').trim()].slice(0, 24).join('') || '场次';
  let out = base;
  if (used.has(out)) out = `${base}（${id}）`;
  used.add(out);
  return out;
}

export const SCHEDULE_COLUMNS = ['顺序', '开始时间', '结束时间', '小组名称', '企业名称', '成果名称', '签到'];

/** One sheet per session (by start time): a title row, a header row, then the slots in presentation order. */
export async function buildScheduleXlsx(schedule: Schedule): Promise<Buffer> {
  const wb = new (await excelJs()).Workbook();
  wb.creator = '质量攻关成果评审系统';
  const used = new Set<string>();
  for (const s of schedule.sessions) {
    const ws = wb.addWorksheet(sheetName(s.name, s.id, used), { views: [{ state: 'frozen', ySplit: 2, xSplit: 0 }] });
    [6, 18, 18, 22, 30, 46, 10].forEach((w, i) => (ws.getColumn(i + 1).width = w));
    ws.mergeCells(1, 1, 1, SCHEDULE_COLUMNS.length);
    const title = ws.getCell(1, 1);
    title.value = `${schedule.contest.name}${SP}${s.name}${SP}${s.venue}${SP}${chinaTime(s.startsAt)} 起${s.panelName ? `${SP}${s.panelName}` : ''}${s.drawnAt ? '' : '（尚未抽签）'}`;
    title.font = { bold: true, size: 13 };
    const header = ws.getRow(2);
    header.values = SCHEDULE_COLUMNS;
    header.font = { bold: true };
    for (const x of s.slots) {
      ws.addRow([
        x.position ?? '',
        x.startsAt ? chinaTime(x.startsAt) : '待抽签',
        x.startsAt ? chinaTime(slotEnd(s, x.startsAt)) : '',
        x.teamName,
        x.enterpriseName,
        x.title,
        ATTENDANCE_ZH[x.attendance] ?? x.attendance,
      ]).alignment = { vertical: 'top', wrapText: true };
    }
  }
  if (!schedule.sessions.length) wb.addWorksheet('无场次').getCell(1, 1).value = `${schedule.contest.name}：没有可显示的发表场次`;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------
// iCalendar

/** TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline. */
export function icsText(text: string): string {
  return text.replace(/\\/gu, '\\\\').replace(/;/gu, '\\;').replace(/,/gu, '\\,').replace(/\r\n|\r|\n/gu, '\\n');
}

/**
 * Folds a content line at 75 octets (RFC 5545 3.1): CRLF + one space, never inside a UTF-8 character
 * (a continuation line holds 74 octets after its leading space).
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > limit) {
      parts.push(current);
      current = '';
      bytes = 0;
      limit = 74;
    }
    current += ch;
    bytes += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** Local China time as an iCalendar DATE-TIME with TZID=Asia/Shanghai: 20200929T090000. */
function icsLocal(at: Date): string {
  const d = new Date(at.getTime() + CST_MS);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

function icsUtc(at: Date): string {
  return at.toISOString().replace(/[-:]/gu, '').replace(/\.\d{3}/u, '');
}

/** The UID of a slot's event: the same for the same entry in the same session, whenever the file is made. */
export function slotUid(sessionId: number, entryId: number): string {
  return `session-${sessionId}-entry-${entryId}@qc-judging`;
}

/**
 * The calendar of the given sessions' drawn slots (undrawn slots have no time yet and are left
 * out). Times are local Asia/Shanghai with its VTIMEZONE (UTC+8, no daylight saving time since 1991).
 */
export function buildScheduleIcs(schedule: Schedule, stamp: Date, calendarName: string): string {
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//质量攻关成果评审系统//现场发表日程//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(calendarName)}`,
    'X-WR-TIMEZONE:Asia/Shanghai',
    'BEGIN:VTIMEZONE',
    'TZID:Asia/Shanghai',
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    'TZOFFSETFROM:+0800',
    'TZOFFSETTO:+0800',
    'TZNAME:CST',
    'END:STANDARD',
    'END:VTIMEZONE',
  ];
  for (const s of schedule.sessions) {
    for (const x of s.slots) {
      if (!x.startsAt) continue;
      const description = [
        `${schedule.contest.name}`,
        `场次：${s.name}（第 ${x.position ?? '—'} 位）`,
        `企业：${x.enterpriseName}`,
        `小组：${x.teamName}`,
        `成果：${x.title}`,
        `发表 ${s.slotMinutes} 分钟，提问答辩 ${s.qaMinutes} 分钟`,
      ].join('\n');
      lines.push(
        'BEGIN:VEVENT',
        `UID:${slotUid(s.id, x.entryId)}`,
        `DTSTAMP:${icsUtc(stamp)}`,
        `DTSTART;TZID=Asia/Shanghai:${icsLocal(x.startsAt)}`,
        `DTEND;TZID=Asia/Shanghai:${icsLocal(slotEnd(s, x.startsAt))}`,
        `SUMMARY:${icsText(`现场发表 第${x.position ?? '—'}位：${x.title}（${x.teamName}）`)}`,
        `LOCATION:${icsText(s.venue)}`,
        `DESCRIPTION:${icsText(description)}`,
        'END:VEVENT',
      );
    }
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

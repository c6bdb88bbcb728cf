// The Chinese texts of every notification: each names the contest, says what happened and the next
// step; the deep link (a hash route of the web interface) goes with it. Pure: facts in, text out.
import type { NotificationKind } from './notification-rules.js';

export interface Facts {
  contest: string;
  entryTitle?: string;
  entryId?: number;
  enterprise?: string;
  reason?: string | null;
  sessionName?: string;
  venue?: string;
  position?: number | null;
  time?: string;
  count?: number;
  deadline?: string;
  days?: number;
  objector?: string;
  answer?: string;
  stage?: string;
  username?: string;
  password?: string;
  url?: string;
}

export interface Rendered {
  subject: string;
  text: string;
}

const q = (s: string | undefined) => `《${s ?? ''}》`;
const why = (r: string | null | undefined, label = '说明') => (r && r.trim() ? `\n${label}：\n${r.trim()}` : '');

/** Subject and text of a notification of `kind` from its facts. */
export function render(kind: NotificationKind, f: Facts): Rendered {
  const c = `「${f.contest}」`;
  switch (kind) {
    case 'entry_submitted':
      return { subject: `【待推荐】${f.enterprise ?? ''}提交了成果${q(f.entryTitle)}`, text: `${c}：${f.enterprise ?? '企业'}提交了成果${q(f.entryTitle)}，等待贵单位推荐。\n下一步：请在推荐截止前登录系统，推荐或不予推荐（须说明理由）。` };
    case 'entry_recommended':
      return { subject: `【已推荐】成果${q(f.entryTitle)}已获推荐`, text: `${c}：贵企业的成果${q(f.entryTitle)}已由推荐单位推荐。\n下一步：等待组委会材料初审，结论会另行通知。` };
    case 'entry_declined':
      return { subject: `【未推荐】成果${q(f.entryTitle)}未获推荐`, text: `${c}：推荐单位未推荐贵企业的成果${q(f.entryTitle)}。${why(f.reason, '理由')}\n下一步：如有疑问，请与推荐单位联系。` };
    case 'entry_returned':
      return { subject: `【退回修改】成果${q(f.entryTitle)}需修改后重新提交`, text: `${c}：贵企业的成果${q(f.entryTitle)}在材料初审中被退回修改。${why(f.reason, '需修改的检查项')}\n下一步：请登录系统按检查项修改材料，并重新提交。` };
    case 'entry_rejected':
      return { subject: `【初审未通过】成果${q(f.entryTitle)}`, text: `${c}：贵企业的成果${q(f.entryTitle)}未通过材料初审。${why(f.reason, '理由')}\n下一步：如有疑问，请与组委会联系。` };
    case 'entry_passed':
      return { subject: `【初审通过】成果${q(f.entryTitle)}进入现场发表`, text: `${c}：贵企业的成果${q(f.entryTitle)}已通过材料初审。\n下一步：请留意现场发表的场次与抽签顺序通知，准备发表材料。` };
    case 'registration_approved':
      return { subject: '【注册通过】企业注册已审核通过', text: `${f.enterprise ?? '贵企业'}的注册已审核通过。\n下一步：现在可以登录系统申报成果${f.contest ? `（当前活动${c}）` : ''}。` };
    case 'registration_rejected':
      return { subject: '【注册未通过】企业注册未通过审核', text: `${f.enterprise ?? '贵企业'}的注册未通过审核${f.contest ? `，暂不能参加${c}` : ''}。${why(f.reason, '理由')}\n下一步：如有疑问，请与推荐单位或组委会联系。` };
    case 'expert_assigned':
      return { subject: `【评审任务】${f.contest}：${f.count ?? 0} 项成果待评`, text: `${c}：您已被分配评审 ${f.count ?? 0} 项成果。\n下一步：请登录系统查看评审任务与日程（「我的现场评审日程」可下载 .ics 日历文件导入手机或电脑日历），阅读成果材料；如与某项成果有利益冲突，请及时声明。` };
    case 'session_drawn':
      return f.position !== undefined && f.position !== null
        ? { subject: `【发表顺序】${f.sessionName ?? ''}第 ${f.position} 位`, text: `${c}：「${f.sessionName ?? ''}」已抽签，贵企业的成果${q(f.entryTitle)}排在第 ${f.position} 位，预计 ${f.time ?? ''} 发表（地点：${f.venue ?? ''}）。\n下一步：请提前到场签到，准备发表。` }
        : { subject: `【评审日程】${f.sessionName ?? ''}已抽签`, text: `${c}：「${f.sessionName ?? ''}」（${f.time ?? ''}，${f.venue ?? ''}）已完成抽签，发表顺序已确定。\n下一步：请登录系统查看评审日程（可下载 .ics 日历文件），按时到场评分。` };
    case 'sheet_reopened':
      return { subject: `【重新评分】成果${q(f.entryTitle)}的评分表已退回`, text: `${c}：组委会重新打开了您对成果${q(f.entryTitle)}的${f.stage ?? ''}评分表。${why(f.reason, '原因')}\n下一步：请登录系统修改后重新提交。` };
    case 'results_notice':
      return { subject: `【结果公示】${f.contest}评审结果公示`, text: `${c}的评审结果已进入公示期${f.deadline ? `（至 ${f.deadline}）` : ''}。\n下一步：请登录系统查看结果；如有异议，请在公示期内通过公示页面提出。` };
    case 'results_published':
      return f.entryTitle
        ? { subject: `【结果发布】${f.contest}评审结果正式发布`, text: `${c}的评审结果已正式发布（成果${q(f.entryTitle)}）。\n下一步：打开下方链接查看成果的评审结果；获奖成果可在该页面下载荣誉证书（PDF）。` }
        : { subject: `【结果发布】${f.contest}评审结果正式发布`, text: `${c}的评审结果已正式发布。\n下一步：请登录系统查看获奖名单。` };
    case 'objection_received':
      return { subject: `【异议】${f.contest}收到一条异议`, text: `${c}：${f.objector ?? ''}对成果${q(f.entryTitle)}提出异议。\n下一步：请在评审结果页面的异议处理中核实并答复。` };
    case 'objection_answered':
      return { subject: `【异议答复】${f.contest}`, text: `${c}：您对成果${q(f.entryTitle)}提出的异议已答复。${why(f.answer, '答复')}` };
    case 'reminder_submission':
      return { subject: `【申报提醒】${f.contest}还有 ${f.days ?? 1} 天截止`, text: `${c}成果申报将于 ${f.deadline ?? ''} 截止，贵企业的成果${q(f.entryTitle)}仍是草稿。\n下一步：请补全材料并提交申报。` };
    case 'reminder_recommendation':
      return { subject: `【推荐提醒】${f.contest}还有 ${f.days ?? 1} 天截止推荐`, text: `${c}的推荐将于 ${f.deadline ?? ''} 截止，贵单位尚有 ${f.count ?? 0} 项成果待推荐。\n下一步：请登录系统推荐或不予推荐。` };
    case 'account_issued':
      return f.password
        ? { subject: '【账号开通】质量攻关成果评审系统账号', text: `${f.enterprise ?? ''}的评审系统账号已开通${f.contest ? `（当前活动${c}）` : ''}。\n用户名：${f.username ?? ''}\n初始密码：${f.password}\n登录地址：${f.url ?? ''}\n下一步：请登录后立即修改密码（右上角账号菜单 › 修改密码）。` }
        : { subject: '【账号开通】欢迎使用质量攻关成果评审系统', text: `${f.enterprise ?? ''}的账号已开通${f.contest ? `（当前活动${c}）` : ''}。\n下一步：请修改初始密码，并在「通知设置」中填写接收通知的邮箱和手机号码。` };
    case 'reminder_sheets':
      return { subject: `【评分提醒】${f.contest}还有 ${f.count ?? 0} 张评分表未提交`, text: `${c}：您还有 ${f.count ?? 0} 张评分表未提交${f.sessionName ? `（${f.sessionName}）` : ''}。\n下一步：请登录系统完成评分并提交。` };
  }
}

// The presentation feature's error catalogue (placement, panels, conflicts, assignments, sessions,
// the draw, check-in, the projector display): code → Chinese and English text, variants and texts
// with values (see src/common/errors.ts).
import type { Text } from '../common/errors.js';

export const PRESENTATION_ERRORS = {
  presentation_closed: { zh: '现场发表阶段已结束，评审组、分配和场次不能再修改', en: 'Presentation is over; panels, assignments and sessions are frozen' },
  // Placement and conflicts
  entry_in_session: { zh: '该成果已安排发表场次，不能再调整分组', en: 'The entry is in a presentation session; its track cannot change' },
  conflict_already_declared: { zh: '该专家与该成果的回避已申报', en: 'This conflict has already been declared' },
  conflict_of_interest: { zh: '该专家与该成果存在回避关系，不能评审', en: 'The expert has a conflict of interest with this entry' },
  // Panels and assignments
  panel_name_taken: { zh: '本次评比已有同名评审组', en: 'A panel of this name exists in the contest' },
  track_has_panel: { zh: '该分组已有评审组', en: 'The track already has a panel' },
  entry_not_assignable: { zh: '只能为通过初审的成果分配评审专家', en: 'Only entries that passed review can be assigned' },
  entry_not_placed: { zh: '该成果尚未分组', en: 'The entry has no track yet' },
  expert_not_in_panel: { zh: '该专家不在该成果所在分组的评审组中', en: "The expert is not on the panel of the entry's track" },
  already_assigned: { zh: '该专家已分配评审该成果', en: 'The expert is already assigned to this entry' },
  // Sessions and the draw
  entry_already_scheduled: { zh: '部分成果已安排在其他发表场次', en: 'Some entries are already in a presentation session' },
  entry_not_passed: { zh: '只能安排通过初审的成果', en: 'Only entries that passed review can be scheduled' },
  no_entries_to_schedule: { zh: '该分组没有待安排的通过初审的成果', en: 'The track has no passed entries left to schedule' },
  venue_overlap: { zh: '与同一场地的其他场次时间重叠', en: 'Overlaps another session in the same venue' },
  not_committed: { zh: '抽签前须先公布随机种子的承诺值（SHA-256）', en: 'Publish the seed commitment (SHA-256) before the draw' },
  seed_mismatch: { zh: '随机种子与已公布的承诺值不符', en: 'SHA-256 of the seed does not match the published commitment' },
  already_drawn: { zh: '本场次已抽签，不能更改', en: 'The order of this session has already been drawn' },
  not_drawn: { zh: '本场次尚未抽签', en: 'The order of this session has not been drawn yet' },
  // Check-in
  already_checked_in: { zh: '已签到的成果不能再调整顺序', en: 'An entry already checked in cannot change places' },
  session_signed_off: { zh: '该场次评分已由组长确认，不能再更正签到', en: 'The session was signed off; its check-in can no longer be corrected' },
  not_checked_in: { zh: '该成果尚未签到，无需撤销', en: 'The entry has not been checked in' },
  scoring_started: { zh: '该成果已开始评分，不能撤销签到', en: 'Scoring of this entry has started; its check-in cannot be undone' },
  entry_absent: { zh: '该成果已记录缺席，不能发表', en: 'The entry was recorded absent' },
  // The projector display
  no_presenting_entries: { zh: '本场次没有到场发表的成果', en: 'No entry of this session presents' },
  timer_running: { zh: '计时已在进行中', en: 'The timer is already running' },
  timer_not_running: { zh: '计时未在进行，无法暂停', en: 'The timer is not running' },
  no_next_entry: { zh: '已是本场次最后一项成果', en: 'This is the last entry of the session' },
  display_link_not_found: { zh: '投屏链接无效', en: 'No such display link' },
  display_link_revoked: { zh: '该投屏链接已作废', en: 'The display link is already revoked' },
} satisfies Record<string, Text>;

/** Variants of the texts above where a use case says more, texts with values, and field-level texts. */
export const PRESENTATION_TEXTS = {
  presentationClosed: (phase: string): Text => ({ zh: '现场发表阶段已结束，评审组、分配和场次不能再修改', en: `Presentation is over (phase ${phase}); panels, assignments and sessions are frozen` }),
  conflictOfInterest: (reason: string, source: string): Text => ({ zh: `该专家与该成果存在回避关系，不能评审：${reason}`, en: `The expert has a conflict of interest with this entry (${source})` }),
  trackHasPanel: (name: string): Text => ({ zh: `该分组已有评审组「${name}」`, en: `The track already has a panel (${name})` }),
  entryNotAssignable: (status: string): Text => ({ zh: '只能为通过初审的成果分配评审专家', en: `Only entries that passed review can be assigned (status ${status})` }),
  venueOverlap: (name: string): Text => ({ zh: `与同一场地的场次「${name}」时间重叠`, en: `Overlaps session "${name}" in the same venue` }),
  notDrawnBeforeCheckIn: { zh: '本场次尚未抽签，不能签到', en: 'Draw the order of this session before check-in' },
  notDrawnNoOrder: { zh: '本场次尚未抽签，没有发表顺序', en: 'The order of this session has not been drawn yet' },
  alreadyCheckedIn: (attendance: string): Text => ({ zh: '该成果已签到，不能更改', en: `The entry was already recorded as ${attendance}` }),
  signedOffTimerOver: { zh: '本场次已由组长确认，计时已结束', en: 'The session is signed off' },
  displayLinkRevokedGone: { zh: '该投屏链接已被组委会作废，请向组委会索取新链接', en: 'This display link was revoked' },
  // Field-level texts
  expertNotFound: { zh: '专家不存在', en: 'No such expert' },
  entryNotFound: { zh: '本次评比没有该成果', en: 'No such entry in this contest' },
  trackNotFound: { zh: '本次评比没有该分组', en: 'No such track in this contest' },
  trackTypeMismatch: { zh: '该分组不接受此成果类型', en: 'This track is for another entry type' },
  panelNotFound: { zh: '本次评比没有该评审组', en: 'No such panel in this contest' },
  panelTrackMismatch: { zh: '该评审组不负责此分组', en: 'The panel judges another track' },
  entryNotInTrack: { zh: '该成果不属于此分组', en: 'The entry is in another track' },
  entryNotInSession: { zh: '该成果不在本场次', en: 'The entry is not in this session' },
  seedMismatch: (message: string): Text => ({ zh: message, en: 'SHA-256 of the seed does not match the published commitment' }),
  sameEntry: { zh: '不能与自身交换', en: 'Choose two different entries' },
} as const;

import type { Text } from '../common/errors.js';
import type { UnmetConstraint } from '../judging/affinity-assignment.js';

/** Error texts of assignment by expertise (profiles, the topic list, entry topics, the optimal assignment). */
export const EXPERTISE_ERRORS = {
  topic_name_taken: { zh: '专业类别已存在', en: 'The topic is already on the list' },
  topic_in_use: { zh: '该专业类别已被专家或成果选用，不能删除', en: 'Experts or entries use this topic; it cannot be deleted' },
  unknown_topic: { zh: '不在组委会维护的专业类别中', en: 'Not on the organizer\'s list of topics' },
  no_pending_profile: { zh: '该专家没有待审核的专业信息修改', en: 'The expert has no profile change waiting for approval' },
  assignment_infeasible: { zh: '无法满足分配约束', en: 'The assignment constraints cannot be met' },
} satisfies Record<string, Text>;

/** The exact unmet constraint of an infeasible assignment, naming the entries by title. */
export function unmetText(unmet: UnmetConstraint, entries: readonly { id: number; title: string }[]): Text {
  const title = (id: number) => entries.find((e) => e.id === id)?.title ?? `#${id}`;
  if (unmet.constraint === 'min_judges_per_entry') {
    return {
      zh: `${EXPERTISE_ERRORS.assignment_infeasible.zh}：成果「${title(unmet.entryId)}」需要 ${unmet.required} 位评审，但评审组中无回避的专家只有 ${unmet.eligible} 位`,
      en: `Entry ${unmet.entryId} needs ${unmet.required} judges but only ${unmet.eligible} panel members have no conflict with it`,
    };
  }
  const names = unmet.entryIds.slice(0, 5).map((id) => `「${title(id)}」`).join('、');
  return {
    zh: `${EXPERTISE_ERRORS.assignment_infeasible.zh}：每位专家最多评审 ${unmet.maxLoadPerExpert} 项时，${names}${unmet.entryIds.length > 5 ? ` 等 ${unmet.entryIds.length} 项成果` : ''}凑不足 ${unmet.required} 位评审`,
    en: `With at most ${unmet.maxLoadPerExpert} entries per expert, ${unmet.entryIds.length} entries cannot get ${unmet.required} judges`,
  };
}

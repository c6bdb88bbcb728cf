import type { Text } from '../common/errors.js';

/** Error texts of assignment by expertise (profiles, the topic list, entry topics, the optimal assignment). */
export const EXPERTISE_ERRORS = {
  topic_name_taken: { zh: '专业类别已存在', en: 'The topic is already on the list' },
  topic_in_use: { zh: '该专业类别已被专家或成果选用，不能删除', en: 'Experts or entries use this topic; it cannot be deleted' },
  unknown_topic: { zh: '不在组委会维护的专业类别中', en: 'Not on the organizer\'s list of topics' },
  no_pending_profile: { zh: '该专家没有待审核的专业信息修改', en: 'The expert has no profile change waiting for approval' },
  assignment_infeasible: { zh: '无法满足分配约束', en: 'The assignment constraints cannot be met' },
} satisfies Record<string, Text>;

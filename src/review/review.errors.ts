// The review feature's error catalogue (材料初审): code → Chinese and English text, and the texts
// with values as functions (see src/common/errors.ts). Pure: the review rules use it too.
import type { Text } from '../common/errors.js';

export const REVIEW_ERRORS = {
  entry_not_in_contest: { zh: '本次评比中没有该成果', en: 'No such entry in this contest' },
  review_closed: { zh: '材料初审已结束，不能再作出初审结论', en: 'Preliminary review has been closed' },
  already_decided: { zh: '该成果本轮初审已有结论', en: 'This round of the entry already has a decision' },
  entry_not_awaiting_review: { zh: '该成果未处于待初审状态（须经推荐单位推荐或退回后重新提交）', en: 'The entry is not awaiting preliminary review' },
  entries_not_awaiting: { zh: '部分成果不在本次评比或不处于待初审状态，均未处理', en: 'Some entries are not awaiting review in this contest; nothing was decided' },
} satisfies Record<string, Text>;

/** The field-level texts of a decision's checklist (review-rules.ts). */
export const REVIEW_TEXTS = {
  unknownChecklistKey: (key: string): Text => ({ zh: `本次评比的初审检查项中没有「${key}」`, en: `"${key}" is not an item of this contest's review checklist` }),
  duplicateChecklistKey: (key: string): Text => ({ zh: `检查项「${key}」重复`, en: `The item "${key}" appears twice` }),
  checklistItemMissing: (title: string, key: string): Text => ({ zh: `缺少检查项「${title}」（${key}）的结论`, en: `The item "${key}" has no result` }),
  passRequiresAllOk: (title: string | undefined, key: string): Text => ({ zh: `通过初审要求所有检查项合格，「${title}」不合格`, en: `A pass needs every item ok; "${key}" failed` }),
  returnRequiresFailedItem: { zh: '退回修改须至少指出一项不合格的检查项', en: 'A return needs at least one failed item' },
  noteRequired: (title: string | undefined, key: string): Text => ({ zh: `请说明检查项「${title}」不合格的原因`, en: `Say why the item "${key}" failed` }),
  rejectionNeedsReason: { zh: '不予通过须说明理由', en: 'A rejection needs a reason' },
} as const;

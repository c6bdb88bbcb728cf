// Rules of one expert's score sheet, as plain functions over plain data (no Nest, no TypeORM):
// the comments and the canonical content of a submission. Who may score what, when: src/access/sheet.access.ts.
import { createHash } from 'node:crypto';
import type { RubricItem } from '../judging/rubric.js';

export const COMMENT_MAX = 500;

export interface CommentError {
  field: string;
  code: 'not_an_object' | 'unknown_item' | 'not_a_string' | 'too_long';
  message: string;
}

/**
 * Comments per rubric item: text up to 500 characters (counted in code points, so an emoji is one);
 * null or '' removes a comment. Returned in rubric order.
 */
export function validateComments(items: readonly RubricItem[], input: unknown): { ok: true; comments: Record<string, string> } | { ok: false; errors: CommentError[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '', code: 'not_an_object', message: '评语应为「评分项代码: 文字」形式的对象' }] };
  }
  const values = input as Record<string, unknown>;
  const known = new Set(items.map((i) => i.key));
  const errors: CommentError[] = [];
  for (const key of Object.keys(values)) {
    if (!known.has(key)) errors.push({ field: key, code: 'unknown_item', message: `评分表中没有评分项「${key}」` });
  }
  const comments: Record<string, string> = {};
  for (const item of items) {
    const v = Object.hasOwn(values, item.key) ? values[item.key] : undefined;
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') errors.push({ field: item.key, code: 'not_a_string', message: `「${item.title}」的评语应为文字` });
    else if ([...v].length > COMMENT_MAX) errors.push({ field: item.key, code: 'too_long', message: `「${item.title}」的评语不能超过 ${COMMENT_MAX} 字` });
    else comments[item.key] = v;
  }
  return errors.length ? { ok: false, errors } : { ok: true, comments };
}

function sortedEntries<V>(o: Record<string, V>): [string, V][] {
  return Object.keys(o)
    .sort()
    .map((k) => [k, o[k]!]);
}

/** sha256 over the canonical marks (tenths) and comments, keys sorted: the same content is the same hash. */
export function contentHash(marks: Record<string, number>, comments: Record<string, string>): string {
  return createHash('sha256')
    .update(JSON.stringify({ marks: sortedEntries(marks), comments: sortedEntries(comments) }))
    .digest('hex');
}

/** Total in tenths when every item is marked, else null (a draft in progress). */
export function completeTotal(items: readonly RubricItem[], marks: Record<string, number>): number | null {
  let total = 0;
  for (const i of items) {
    const v = marks[i.key];
    if (typeof v !== 'number') return null;
    total += v;
  }
  return total;
}

import type { EntryType } from '../contests/contest.entities.js';

/** The Chinese names of the entry types, as a spreadsheet writes them. */
export const ENTRY_TYPE_LABELS: Record<string, EntryType> = { 问题解决型: 'problem_solving', 创新型: 'innovation' };

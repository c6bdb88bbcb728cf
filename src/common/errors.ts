import { HttpStatus } from '@nestjs/common';
import { ACCOUNTS_ERRORS } from '../accounts/accounts.errors.js';
import { AUTH_ERRORS } from '../auth/auth.errors.js';
import { CONTESTS_ERRORS } from '../contests/contests.errors.js';
import { COMMON_ERRORS, COMMON_TEXTS } from './common.errors.js';
import { ENTRIES_ERRORS } from '../entries/entries.errors.js';
import { CONTEST_PHASE_LABELS, type ContestPhase } from '../judging/contest-phase.js';
import { EXPERTISE_ERRORS } from '../expertise/expertise.errors.js';
import { NOTIFICATION_ERRORS } from '../notifications/notifications.errors.js';
import { ORGANISATIONS_ERRORS } from '../organisations/organisations.errors.js';
import { PRESENTATION_ERRORS } from '../presentation/presentation.errors.js';
import { REPORT_ERRORS } from '../reports/reports.errors.js';
import { RESULTS_ERRORS } from '../results/results.errors.js';
import { SCORING_ERRORS } from '../scoring/scoring.errors.js';
import { REVIEW_ERRORS } from '../review/review.errors.js';

/**
 * Coded domain errors. Every error body has one shape:
 *   { statusCode, code, message, errors?: [{ field, code, message }], requestId }
 * `code` is stable and machine-readable; `message` is Chinese by default, English on
 * `Accept-Language: en`. Each feature keeps its codes and texts in its catalogue
 * (`src/<feature>/<feature>.errors.ts`); MESSAGES below composes them, and ErrorCode is its keys.
 */
export type Text = { zh: string; en: string };

/** A field-level problem, rendered as { field, code, message } in the request's language. */
export interface FieldError {
  field: string;
  code: string;
  text: Text;
}

/** Every code the service answers with, and its text: the features' catalogues, composed. */
export const MESSAGES = {
  ...COMMON_ERRORS,
  ...AUTH_ERRORS,
  ...ACCOUNTS_ERRORS,
  ...ORGANISATIONS_ERRORS,
  ...CONTESTS_ERRORS,
  ...ENTRIES_ERRORS,
  ...REVIEW_ERRORS,
  ...PRESENTATION_ERRORS,
  ...REPORT_ERRORS,
  ...RESULTS_ERRORS,
  ...SCORING_ERRORS,
  ...NOTIFICATION_ERRORS,
  ...EXPERTISE_ERRORS,
} satisfies Record<string, Text>;

/** The catalogues one by one (a test checks that no two define the same code). */
export const CATALOGUES: Readonly<Record<string, Readonly<Record<string, Text>>>> = {
  COMMON_ERRORS, AUTH_ERRORS, ACCOUNTS_ERRORS, ORGANISATIONS_ERRORS, CONTESTS_ERRORS, ENTRIES_ERRORS, REVIEW_ERRORS, PRESENTATION_ERRORS, REPORT_ERRORS, RESULTS_ERRORS, SCORING_ERRORS, NOTIFICATION_ERRORS, EXPERTISE_ERRORS,
};

/** A closed union: a misspelled code does not compile. */
export type ErrorCode = keyof typeof MESSAGES;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    /** Overrides the catalogue message (e.g. with details); Chinese first. */
    readonly text?: Text,
    readonly errors?: FieldError[],
    /** Extra machine-readable detail (e.g. the blockers of a phase change). */
    readonly details?: Record<string, unknown>,
  ) {
    super(text?.en ?? MESSAGES[code]?.en ?? code);
  }

  static badRequest(code: ErrorCode, text?: Text, errors?: FieldError[], details?: Record<string, unknown>) {
    return new AppError(HttpStatus.BAD_REQUEST, code, text, errors, details);
  }
  static unauthorized(code: ErrorCode = 'unauthenticated') {
    return new AppError(HttpStatus.UNAUTHORIZED, code);
  }
  static forbidden(code: ErrorCode = 'forbidden', text?: Text) {
    return new AppError(HttpStatus.FORBIDDEN, code, text);
  }
  static notFound(code: ErrorCode = 'not_found', text?: Text) {
    return new AppError(HttpStatus.NOT_FOUND, code, text);
  }
  static conflict(code: ErrorCode = 'conflict', text?: Text, details?: Record<string, unknown>) {
    return new AppError(HttpStatus.CONFLICT, code, text, undefined, details);
  }
  static unprocessable(code: ErrorCode, text?: Text, errors?: FieldError[], details?: Record<string, unknown>) {
    return new AppError(HttpStatus.UNPROCESSABLE_ENTITY, code, text, errors, details);
  }
}

export function messageFor(code: ErrorCode, lang: 'zh' | 'en', text?: Text): string {
  const t = text ?? (MESSAGES[code] as Text | undefined) ?? MESSAGES.internal_error;
  return t[lang];
}

/** Field-level messages by class-validator constraint (Chinese); English falls back to class-validator's. */
const CONSTRAINT_ZH: Record<string, string> = {
  isNotEmpty: '不能为空',
  isDefined: '必填',
  isString: '必须是文本',
  isInt: '必须是整数',
  isNumber: '必须是数字',
  isBoolean: '必须是布尔值',
  isEnum: '取值不在允许范围内',
  isIn: '取值不在允许范围内',
  isIso8601: '必须是 ISO 8601 日期时间',
  isDateString: '必须是 ISO 8601 日期',
  minLength: '太短',
  maxLength: '太长',
  length: '长度不符',
  min: '太小',
  max: '太大',
  matches: '格式不正确',
  isArray: '必须是数组',
  arrayMaxSize: '条目过多',
  arrayMinSize: '条目过少',
  arrayNotEmpty: '不能为空',
  isObject: '必须是对象',
  whitelistValidation: '不允许的字段',
  nestedValidation: '格式不正确',
  isEmail: '必须是电子邮箱',
  isUrl: '必须是网址',
  isPositive: '必须大于 0',
};

/** Stable codes for constraints; unknown fields get `unknown_field`, missing ones `required`. */
export function constraintCode(constraint: string): string {
  switch (constraint) {
    case 'whitelistValidation':
      return 'unknown_field';
    case 'isNotEmpty':
    case 'isDefined':
    case 'arrayNotEmpty':
      return 'required';
    default:
      return constraint.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
  }
}

export function constraintText(constraint: string, en: string): Text {
  return { zh: CONSTRAINT_ZH[constraint] ?? '取值无效', en };
}

/** A field error from its catalogue text, or (still in src/scoring and src/results) from the two texts. */
export function fieldError(field: string, code: string, text: Text): FieldError;
export function fieldError(field: string, code: string, zh: string, en: string): FieldError;
export function fieldError(field: string, code: string, zhOrText: string | Text, en?: string): FieldError {
  return { field, code, text: typeof zhOrText === 'string' ? { zh: zhOrText, en: en ?? zhOrText } : zhOrText };
}

/**
 * The one `wrong_phase` error (409): where the contest is and where the action belongs, named by
 * the phases' Chinese labels. `details` carries both as codes ({ phase, needs }).
 */
export function wrongPhase(current: ContestPhase, allowed: ContestPhase | readonly ContestPhase[], details?: Record<string, unknown>): AppError {
  const needs = typeof allowed === 'string' ? [allowed] : [...allowed];
  return AppError.conflict(
    'wrong_phase',
    COMMON_TEXTS.wrongPhase(CONTEST_PHASE_LABELS[current], needs.map((p) => CONTEST_PHASE_LABELS[p]), current, needs),
    { phase: current, needs: needs.length === 1 ? needs[0] : needs, ...details },
  );
}

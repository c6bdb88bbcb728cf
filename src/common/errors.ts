import { HttpStatus } from '@nestjs/common';
import { EXPERTISE_ERRORS } from '../expertise/expertise.errors.js';

/**
 * Coded domain errors. Every error body has one shape:
 *   { statusCode, code, message, errors?: [{ field, code, message }], requestId }
 * `code` is stable and machine-readable; `message` is Chinese by default, English on
 * `Accept-Language: en`. Features add their codes to MESSAGES below.
 */
export type Text = { zh: string; en: string };

/** A field-level problem, rendered as { field, code, message } in the request's language. */
export interface FieldError {
  field: string;
  code: string;
  text: Text;
}

export const MESSAGES = {
  ...EXPERTISE_ERRORS,
  validation_failed: { zh: '提交的数据有误，请检查标出的字段', en: 'The request has invalid fields' },
  malformed_json: { zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  json_too_deep: { zh: '请求体 JSON 嵌套层数过多', en: 'The JSON request body is nested too deeply' },
  invalid_id: { zh: '路径中的编号无效（应为正整数）', en: 'The id in the path is not a valid positive integer' },
  bad_url: { zh: '请求地址无效（编码错误）', en: 'The request URL is malformed' },
  uri_too_long: { zh: '请求地址过长', en: 'The request URL is too long' },
  header_too_large: { zh: '请求头过大', en: 'The request headers are too large' },
  bad_request: { zh: '请求格式错误', en: 'The request is malformed' },
  request_timeout: { zh: '请求超时', en: 'The request timed out' },
  payload_too_large: { zh: '请求体过大', en: 'The request body is too large' },
  unsupported_media_type: { zh: '不支持的内容类型', en: 'Unsupported content type' },
  unauthenticated: { zh: '请先登录', en: 'Authentication required' },
  token_invalid: { zh: '登录凭证无效或已过期，请重新登录', en: 'The access token is invalid or expired' },
  invalid_credentials: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  account_inactive: { zh: '账号已停用', en: 'The account is deactivated' },
  account_deactivated: { zh: '所属单位或专家资格已停用，暂时不能登录', en: 'The organisation of this account is deactivated' },
  too_many_login_attempts: { zh: '登录失败次数过多，请稍后再试', en: 'Too many failed logins; try again later' },
  too_many_registrations: { zh: '注册尝试过于频繁，请稍后再试', en: 'Too many registration attempts; try again later' },
  wrong_old_password: { zh: '原密码不正确', en: 'The current password is wrong' },
  forbidden: { zh: '无权执行此操作', en: 'You are not allowed to do this' },
  not_found: { zh: '资源不存在', en: 'Not found' },
  route_not_found: { zh: '接口不存在', en: 'No such route' },
  duplicate: { zh: '数据已存在（唯一性冲突）', en: 'Already exists (duplicate key)' },
  username_taken: { zh: '用户名已被使用', en: 'The username is taken' },
  cannot_deactivate_self: { zh: '不能停用自己的账号', en: 'You cannot deactivate your own account' },
  conflict: { zh: '与当前状态冲突', en: 'Conflicts with the current state' },
  invalid_pdf: { zh: '文件不是完整有效的 PDF（可能已损坏或被截断），请重新导出后上传', en: 'The file is not a complete, valid PDF (damaged or truncated); export it again and upload' },
  same_person_approval: { zh: '登记人不能审核通过自己登记的企业，请由本单位其他人员或组委会审核', en: 'Whoever registered the enterprise cannot approve it; another person of the unit or an organizer must' },
  internal_error: { zh: '服务器内部错误', en: 'Internal server error' },
  service_unavailable: { zh: '服务暂不可用', en: 'Service unavailable' },
  database_unavailable: { zh: '数据库暂时无法连接，请稍后重试', en: 'The database cannot be reached; try again shortly' },
} satisfies Record<string, Text>;

export type ErrorCode = keyof typeof MESSAGES | (string & {});

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
    super(text?.en ?? (MESSAGES as Record<string, Text>)[code]?.en ?? code);
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
  const t = text ?? (MESSAGES as Record<string, Text>)[code] ?? MESSAGES.internal_error;
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

export function fieldError(field: string, code: string, zh: string, en: string): FieldError {
  return { field, code, text: { zh, en } };
}

// The common error catalogue: the HTTP-level codes (filter, pipes, guards) and the generic ones
// every feature may throw (see src/common/errors.ts, which composes every feature's catalogue).
import type { Text } from './errors.js';

/**
 * Codes every feature may throw: the HTTP-level ones (filter, pipes, guards) and the generic ones.
 * Feature codes live in each feature's catalogue, `src/<feature>/<feature>.errors.ts`.
 */
export const COMMON_ERRORS = {
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
  forbidden: { zh: '无权执行此操作', en: 'You are not allowed to do this' },
  not_found: { zh: '资源不存在', en: 'Not found' },
  route_not_found: { zh: '接口不存在', en: 'No such route' },
  duplicate: { zh: '数据已存在（唯一性冲突）', en: 'Already exists (duplicate key)' },
  conflict: { zh: '与当前状态冲突', en: 'Conflicts with the current state' },
  wrong_phase: { zh: '评比活动当前所处阶段不允许此操作', en: 'Not allowed in the current phase of the contest' },
  internal_error: { zh: '服务器内部错误', en: 'Internal server error' },
  service_unavailable: { zh: '服务暂不可用', en: 'Service unavailable' },
  database_unavailable: { zh: '数据库暂时无法连接，请稍后重试', en: 'The database cannot be reached; try again shortly' },
} satisfies Record<string, Text>;

export const COMMON_TEXTS = {
  invalidId: (field: string): Text => ({ zh: '必须是正整数编号', en: `${field} must be a positive integer without sign, spaces or leading zeros` }),
  /** `current` and `needs`: the phases' Chinese labels (CONTEST_PHASE_LABELS). */
  wrongPhase: (current: string, needs: readonly string[], currentCode: string, needsCodes: readonly string[]): Text => ({
    zh: `评比处于「${current}」阶段，此操作须在${needs.map((p) => `「${p}」`).join('或')}阶段进行`,
    en: `Not allowed in phase ${currentCode}; needs ${needsCodes.join(' or ')}`,
  }),
} as const;

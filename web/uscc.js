// 统一社会信用代码 (GB 32100-2015) checked in the browser as typed, so the enterprise sees a slip at
// once. A port of src/judging/uscc.ts (validateUscc, same messages); test/unit/web-uscc.spec.ts
// compares the two on many codes. The API decides in the end.

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Registration authority → [its name, the organisation types it may issue]. */
const TYPES = {
  1: ['机构编制', '1239'], 2: ['外交', '19'], 3: ['司法行政', '123459'], 4: ['文化', '19'], 5: ['民政', '1239'],
  6: ['旅游', '129'], 7: ['宗教', '129'], 8: ['工会', '19'], 9: ['工商', '123'], A: ['中央军委改革和编制办公室', '19'],
  N: ['农业', '1239'], Y: ['其他', '1'],
};

function usccCheck(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  const check = 31 - (sum % 31);
  return ALPHABET[check === 31 ? 0 : check];
}

function orgCheck(body8) {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8[i];
    sum += (/[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55) * ORG_WEIGHTS[i];
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * { valid: true } or { valid: false, code, message, position? }, exactly as the server's validateUscc.
 * @param {unknown} code
 * @returns {{ valid: boolean, code?: string, message?: string, position?: number }} code and message when not valid
 */
export function validateUscc(code) {
  const fail = (c, message, position) => (position === undefined ? { valid: false, code: c, message } : { valid: false, code: c, message, position });
  if (typeof code !== 'string') return fail('uscc_not_string', '统一社会信用代码必须是字符串');
  if (code.length !== 18) return fail('uscc_length', `统一社会信用代码应为 18 位，实际为 ${code.length} 位`);
  const lower = code.search(/[a-z]/);
  if (lower >= 0) return fail('uscc_lowercase', `统一社会信用代码中的字母应为大写（第 ${lower + 1} 位）`, lower + 1);
  for (let i = 0; i < 18; i++) {
    if (!ALPHABET.includes(code[i])) return fail('uscc_charset', `统一社会信用代码第 ${i + 1} 位含有不允许的字符（只允许数字和除 I、O、Z、S、V 以外的大写字母）`, i + 1);
  }
  const authority = Object.hasOwn(TYPES, code[0]) ? TYPES[code[0]] : undefined;
  if (!authority) return fail('uscc_registration_authority', `统一社会信用代码第 1 位（登记管理部门代码）“${code[0]}”无效`, 1);
  if (!authority[1].includes(code[1])) return fail('uscc_organization_type', `统一社会信用代码第 2 位（机构类别代码）“${code[1]}”对登记管理部门“${authority[0]}”无效`, 2);
  const nonDigit = code.slice(2, 8).search(/[^0-9]/);
  if (nonDigit >= 0) return fail('uscc_division', `统一社会信用代码第 3–8 位（行政区划码）应为数字（第 ${nonDigit + 3} 位）`, nonDigit + 3);
  if (orgCheck(code.slice(8, 16)) !== code[16]) return fail('uscc_organization_code', '统一社会信用代码第 9–17 位（组织机构代码）校验不通过', 17);
  if (usccCheck(code.slice(0, 17)) !== code[17]) return fail('uscc_check_character', '统一社会信用代码校验码（第 18 位）不正确', 18);
  return { valid: true };
}

/**
 * null when valid, else the reason in Chinese (the organisations screens' form of validateUscc).
 * @param {string} code
 * @returns {string | null}
 */
export function usccProblem(code) {
  const v = validateUscc(code);
  return v.valid ? null : v.message;
}

/**
 * While typing (fewer than 18 characters): only what is already wrong, i.e. a lower-case or disallowed character.
 * @param {string} partial
 * @returns {string | null}
 */
export function usccTypingProblem(partial) {
  if (partial.length >= 18) return usccProblem(partial);
  const lower = partial.search(/[a-z]/);
  if (lower >= 0) return `统一社会信用代码中的字母应为大写（第 ${lower + 1} 位）`;
  for (let i = 0; i < partial.length; i++) {
    if (!ALPHABET.includes(partial[i])) return `统一社会信用代码第 ${i + 1} 位含有不允许的字符（只允许数字和除 I、O、Z、S、V 以外的大写字母）`;
  }
  return null;
}

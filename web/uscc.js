// 统一社会信用代码 check as typed (GB 32100-2015), a browser port of src/judging/uscc.ts
// validateUscc: the form says what is wrong before the API is asked (the API checks again).

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
/** Registration authority → the organisation types it may issue (GB 32100-2015 Annex A and amendment). */
const TYPES = { 1: '1239', 2: '19', 3: '123459', 4: '19', 5: '1239', 6: '129', 7: '129', 8: '19', 9: '123', A: '19', N: '1239', Y: '1' };

function checkCharacter(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  const c = 31 - (sum % 31);
  return ALPHABET[c === 31 ? 0 : c];
}

function orgCodeCheck(body8) {
  if (!/^[0-9A-Z]{8}$/.test(body8)) return null;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (/[0-9]/.test(body8[i]) ? Number(body8[i]) : body8.charCodeAt(i) - 55) * ORG_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** null when valid, else the reason in Chinese (the same wording as the API). */
export function usccProblem(code) {
  if (code.length !== 18) return `统一社会信用代码应为 18 位，实际为 ${code.length} 位`;
  const lower = code.search(/[a-z]/);
  if (lower >= 0) return `统一社会信用代码中的字母应为大写（第 ${lower + 1} 位）`;
  for (let i = 0; i < 18; i++) {
    if (!ALPHABET.includes(code[i])) return `统一社会信用代码第 ${i + 1} 位含有不允许的字符（只允许数字和除 I、O、Z、S、V 以外的大写字母）`;
  }
  if (!TYPES[code[0]]) return `统一社会信用代码第 1 位（登记管理部门代码）“${code[0]}”无效`;
  if (!TYPES[code[0]].includes(code[1])) return `统一社会信用代码第 2 位（机构类别代码）“${code[1]}”无效`;
  const nonDigit = code.slice(2, 8).search(/[^0-9]/);
  if (nonDigit >= 0) return `统一社会信用代码第 3–8 位（行政区划码）应为数字（第 ${nonDigit + 3} 位）`;
  if (orgCodeCheck(code.slice(8, 16)) !== code[16]) return '统一社会信用代码第 9–17 位（组织机构代码）校验不通过';
  if (checkCharacter(code.slice(0, 17)) !== code[17]) return '统一社会信用代码校验码（第 18 位）不正确';
  return null;
}

/** While typing (fewer than 18 characters): only what is already wrong, i.e. a lower-case or disallowed character. */
export function usccTypingProblem(partial) {
  if (partial.length >= 18) return usccProblem(partial);
  const lower = partial.search(/[a-z]/);
  if (lower >= 0) return `统一社会信用代码中的字母应为大写（第 ${lower + 1} 位）`;
  for (let i = 0; i < partial.length; i++) {
    if (!ALPHABET.includes(partial[i])) return `统一社会信用代码第 ${i + 1} 位含有不允许的字符（只允许数字和除 I、O、Z、S、V 以外的大写字母）`;
  }
  return null;
}

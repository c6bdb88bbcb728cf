// 统一社会信用代码 (unified social credit code) per GB 32100-2015.
//
// Layout (1-based positions):
//   1      登记管理部门代码 registration authority
//   2      机构类别代码 organisation type (its meaning depends on position 1)
//   3-8    登记管理机关行政区划码 administrative division (GB/T 2260, digits)
//   9-17   主体标识码 = 组织机构代码 per GB 11714 (8 body characters + its own check)
//   18     check character over positions 1-17
//
// Alphabet: the 31 characters 0-9 and A-Z without I, O, Z, S, V; a character's value is its index.

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

// GB 11714-1997: weights of the 8 body characters of an organisation code.
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * Registration authorities and the organisation types each may issue (GB 32100-2015 Annex A, with
 * its amendment adding A and N). Kept as data so that a newly published category is a one-line change.
 */
export const USCC_ORGANIZATION_TYPES: Readonly<Record<string, { authority: string; types: Readonly<Record<string, string>> }>> = {
  '1': { authority: '机构编制', types: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { authority: '外交', types: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    authority: '司法行政',
    types: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' },
  },
  '4': { authority: '文化', types: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { authority: '民政', types: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { authority: '旅游', types: { '1': '外国政府旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { authority: '宗教', types: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { authority: '工会', types: { '1': '基层工会', '9': '其他' } },
  '9': { authority: '工商', types: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { authority: '中央军委改革和编制办公室', types: { '1': '军队事业单位', '9': '其他' } },
  N: { authority: '农业', types: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { authority: '其他', types: { '1': '其他' } },
};

export type UsccErrorCode =
  | 'uscc_not_string'
  | 'uscc_length'
  | 'uscc_lowercase'
  | 'uscc_charset'
  | 'uscc_registration_authority'
  | 'uscc_organization_type'
  | 'uscc_division'
  | 'uscc_organization_code'
  | 'uscc_check_character';

export type UsccValidation =
  | { valid: true }
  | { valid: false; code: UsccErrorCode; message: string; /** 1-based position of the offending character, when one is to blame */ position?: number };

export interface UsccValidationOptions {
  /**
   * Also verify the GB 11714 check of positions 9-17 (default true). Every code issued under
   * GB 32100 satisfies it; the switch exists only for an organizer who meets a legacy code that does not.
   */
  organizationCodeCheck?: boolean;
}

/** Check character for the first 17 characters (which must be in the USCC alphabet). */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError('usccCheckCharacter needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new RangeError(`character ${JSON.stringify(first17[i])} is not in the USCC alphabet`);
    sum += value * USCC_WEIGHTS[i]!;
  }
  const check = 31 - (sum % 31);
  return USCC_ALPHABET[check === 31 ? 0 : check]!;
}

// GB 11714 values: digits as themselves, letters A=10 … Z=35 (the full Latin alphabet, unlike USCC).
function orgCodeValue(ch: string): number {
  return /[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
}

/** GB 11714 check character ('0'-'9' or 'X') for the 8 body characters of an organisation code. */
export function organizationCodeCheckCharacter(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) throw new RangeError('organizationCodeCheckCharacter needs 8 characters 0-9/A-Z');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += orgCodeValue(body8[i]!) * ORG_CODE_WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

function fail(code: UsccErrorCode, message: string, position?: number): UsccValidation {
  return position === undefined ? { valid: false, code, message } : { valid: false, code, message, position };
}

/**
 * Validates a USCC exactly as typed: no trimming and no upper-casing, so that what is stored is what
 * was checked (a lower-case code is refused with its own code, and the client may offer to fix it).
 */
export function validateUscc(code: string, options: UsccValidationOptions = {}): UsccValidation {
  if (typeof code !== 'string') return fail('uscc_not_string', '统一社会信用代码必须是字符串');
  if (code.length !== 18) return fail('uscc_length', `统一社会信用代码应为 18 位，实际为 ${code.length} 位`);
  const lower = code.search(/[a-z]/);
  if (lower >= 0) return fail('uscc_lowercase', `统一社会信用代码中的字母应为大写（第 ${lower + 1} 位）`, lower + 1);
  for (let i = 0; i < 18; i++) {
    if (!USCC_ALPHABET.includes(code[i]!)) {
      return fail('uscc_charset', `统一社会信用代码第 ${i + 1} 位含有不允许的字符（只允许数字和除 I、O、Z、S、V 以外的大写字母）`, i + 1);
    }
  }
  const authority = USCC_ORGANIZATION_TYPES[code[0]!];
  if (authority === undefined) return fail('uscc_registration_authority', `统一社会信用代码第 1 位（登记管理部门代码）“${code[0]}”无效`, 1);
  if (authority.types[code[1]!] === undefined) {
    return fail('uscc_organization_type', `统一社会信用代码第 2 位（机构类别代码）“${code[1]}”对登记管理部门“${authority.authority}”无效`, 2);
  }
  const nonDigit = code.slice(2, 8).search(/[^0-9]/);
  if (nonDigit >= 0) return fail('uscc_division', `统一社会信用代码第 3–8 位（行政区划码）应为数字（第 ${nonDigit + 3} 位）`, nonDigit + 3);
  if (options.organizationCodeCheck !== false && organizationCodeCheckCharacter(code.slice(8, 16)) !== code[16]) {
    return fail('uscc_organization_code', '统一社会信用代码第 9–17 位（组织机构代码）校验不通过', 17);
  }
  if (usccCheckCharacter(code.slice(0, 17)) !== code[17]) {
    return fail('uscc_check_character', '统一社会信用代码校验码（第 18 位）不正确', 18);
  }
  return { valid: true };
}

// Real division codes (GB/T 2260) so generated demo data looks like a real district's enterprises.
const DEMO_DIVISIONS = ['120116', '120000', '110105', '310115', '320505', '330106', '350100', '370202', '440300', '510107'];
const DEMO_KINDS = ['91', '91', '91', '91', '91', '92', '93', '12', '51', '52'];
const BODY_LETTERS = USCC_ALPHABET.slice(10);

/**
 * A random valid USCC, drawn with `rng` (a () => [0, 1) function, e.g. Math.random or a seeded one).
 * Mostly enterprises (91…), some with the "MA" organisation-code prefix that post-2015 codes carry.
 */
export function generateUscc(rng: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.min(items.length - 1, Math.floor(rng() * items.length))]!;
  const digit = (): string => String(Math.min(9, Math.floor(rng() * 10)));
  let body = '';
  if (rng() < 0.5) {
    body = 'MA' + digit() + digit() + pick([...BODY_LETTERS, ...'0123456789']) + digit() + digit() + digit();
  } else {
    for (let i = 0; i < 8; i++) body += digit();
  }
  const first17 = pick(DEMO_KINDS) + pick(DEMO_DIVISIONS) + body + organizationCodeCheckCharacter(body);
  return first17 + usccCheckCharacter(first17);
}

import { MatcherBaseClass, type Match, type MatchExtended, type Matcher, type Score, ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import type { Text } from '../common/errors.js';
import { CHINESE_DICTIONARIES, MOBILE_PHONE, PRODUCT_DICTIONARY } from './password-dictionaries-zh.js';
import { prefilterDictionaries, searchedWhile } from './zxcvbn-dictionary-prefilter.js';

/**
 * Judges whether a password is strong enough: a pure function over the password and what the
 * system knows about its owner (no Nest, no database). zxcvbn-ts estimates the guesses an attacker
 * needs, with English, common and Chinese-context dictionaries; we refuse below score 3 (fewer than
 * ~10^8 guesses) and any password that contains the username, the display name or a contest's name,
 * and say why in Chinese (zxcvbn's own feedback is English and too vague to show as is).
 */

export const MIN_PASSWORD_LENGTH = 8;
export const MIN_PASSWORD_SCORE = 3;

/** What the password must not be built from. */
export interface PasswordContext {
  username?: string | null;
  displayName?: string | null;
  /** Names of the contests run here (the obvious thing to type during a contest). */
  contestNames?: readonly (string | null | undefined)[];
  /** Other details on file: the organisation's name, contact person, phone… */
  personal?: readonly (string | null | undefined)[];
}

export type WeakPasswordReason =
  | 'too_short'
  | 'contains_username'
  | 'contains_display_name'
  | 'contains_contest_name'
  | 'contains_personal_info'
  | 'common_password'
  | 'common_word'
  | 'product_word'
  | 'sequence'
  | 'repeat'
  | 'keyboard_pattern'
  | 'date'
  | 'phone_number'
  | 'predictable';

export interface PasswordVerdict {
  ok: boolean;
  /** zxcvbn's score, 0 (guessed at once) … 4 (very unlikely to be guessed); 0 when refused before estimating. */
  score: Score;
  reason: WeakPasswordReason | null;
  /** Why it is refused, Chinese first; null when accepted. */
  text: Text | null;
}

export const WEAK_PASSWORD_TEXT: Record<WeakPasswordReason, Text> = {
  too_short: {
    zh: `密码太短：至少 ${MIN_PASSWORD_LENGTH} 个字符，建议 12 个字符以上或用几个不相关的词组合`,
    en: `The password is too short: at least ${MIN_PASSWORD_LENGTH} characters; 12 or more, or several unrelated words, is better`,
  },
  contains_username: { zh: '密码不能包含用户名', en: 'The password must not contain the username' },
  contains_display_name: { zh: '密码不能包含姓名或显示名称', en: 'The password must not contain the name or display name' },
  contains_contest_name: { zh: '密码不能包含评比名称', en: "The password must not contain a contest's name" },
  contains_personal_info: {
    zh: '密码不能包含用户名、单位名称、联系人、电话等个人或单位信息',
    en: "The password must not contain the username, the organisation's name, contact person, phone or other personal details",
  },
  common_password: { zh: '这是常见密码，很容易被猜中', en: 'This is a commonly used password and easy to guess' },
  common_word: {
    zh: '密码主要由常见的词、姓名或拼音（如 woaini、zhangwei）组成，很容易被猜中',
    en: 'The password is mostly a common word, name or pinyin (such as woaini, zhangwei) and easy to guess',
  },
  product_word: {
    zh: '密码主要由本系统相关的词（如 qc、zhiliang、admin）组成，很容易被猜中',
    en: 'The password is mostly words of this system (such as qc, zhiliang, admin) and easy to guess',
  },
  sequence: { zh: '密码含有连续的字母或数字（如 abcd、1234），很容易被猜中', en: 'Sequences such as abcd or 1234 are easy to guess' },
  repeat: { zh: '密码含有重复的字符或片段（如 aaa、abcabc），很容易被猜中', en: 'Repeated characters or chunks such as aaa or abcabc are easy to guess' },
  keyboard_pattern: { zh: '密码是键盘上相邻的按键（如 qwerty、1qaz2wsx），很容易被猜中', en: 'Keyboard patterns such as qwerty or 1qaz2wsx are easy to guess' },
  date: { zh: '密码含有日期或年份（如生日 19900101、2020），很容易被猜中', en: 'Dates and years such as 19900101 or 2020 are easy to guess' },
  phone_number: { zh: '密码含有手机号码，很容易被猜中', en: 'Phone numbers are easy to guess' },
  predictable: {
    zh: '密码强度不足：请加长密码，或用几个不相关的词加数字、符号组合',
    en: 'The password is too weak: make it longer, or combine several unrelated words with digits and symbols',
  },
};

/** Guesses for a mobile number: an attacker who targets a person tries their number early, like a dictionary word. */
const PHONE_GUESSES = 1e5;

class MobilePhoneMatching extends MatcherBaseClass {
  match({ password }: { password: string }): Match[] {
    const out: Match[] = [];
    for (const m of password.matchAll(MOBILE_PHONE)) {
      out.push({ pattern: 'mobilePhone', token: m[0], i: m.index, j: m.index + m[0].length - 1 });
    }
    return out;
  }
}

const mobilePhone: Matcher = {
  Matching: MobilePhoneMatching,
  scoring: () => PHONE_GUESSES,
  feedback: () => ({ warning: 'mobilePhone', suggestions: [] }),
};

let estimator: ZxcvbnFactory | null = null;
/**
 * Built once per process, on first use: ranking the ~100k dictionary words takes a few hundred ms.
 * l33tMaxSubstitutions and maxLength bound the cost of one check (unbounded, `11111111…` took seconds).
 */
function zxcvbn(): ZxcvbnFactory {
  if (!estimator) {
    estimator = new ZxcvbnFactory(
      {
        dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary, ...CHINESE_DICTIONARIES },
        graphs: zxcvbnCommon.adjacencyGraphs,
        l33tMaxSubstitutions: 4,
        maxLength: 64,
      },
      { mobilePhone },
    );
    // The same matches, found ≈ 4× faster (most of a check was looking substrings up dictionary by dictionary).
    prefilterDictionaries(estimator);
  }
  return estimator;
}

/**
 * The estimates of the last passwords judged, for a while: an organizer who gives a batch of accounts one
 * initial password (the demo's 200, an import's experts) has it judged once, not once per account —
 * ≈ 5 ms of CPU each. zxcvbn's estimate depends on the user's inputs only through the words of them it
 * finds in the strings it searches (the password, its l33t variants, reversed: `searchedWhile`), so when
 * no input of a new context occurs in any of those strings, the estimate is the one made before, exactly
 * (password-strength.spec.ts: a property over passwords and contexts made of their pieces). Kept in the
 * strength check's thread, which is sent every password anyway, for at most REMEMBER_MS and REMEMBERED
 * passwords.
 */
const REMEMBERED = 16;
const REMEMBER_MS = 60_000;
const remembered = new Map<string, { searched: string[]; verdict: PasswordVerdict; until: number }>();

/** Forgets the remembered estimates (the tests). */
export function forgetEstimates(): void {
  remembered.clear();
}

/** zxcvbn's verdict on `password` with the user's `inputs`, remembered as above. */
function estimate(password: string, inputs: string[]): PasswordVerdict {
  // A cache's age, not the service's time (the Clock, which the demo and the tests set): the monotonic clock.
  const now = performance.now();
  // zxcvbn looks the inputs up lowercased (Options.buildSanitizedRankedDictionary).
  const words = inputs.map((s) => s.toLowerCase());
  const occursIn = (strings: string[]) => words.some((w) => strings.some((s) => s.includes(w)));
  const known = remembered.get(password);
  if (known && known.until > now && !occursIn(known.searched)) return known.verdict;
  const { value: result, strings } = searchedWhile(() => zxcvbn().check(password, inputs));
  const verdict = verdictOf(password, result);
  if (strings && !occursIn(strings)) {
    remembered.delete(password);
    remembered.set(password, { searched: strings, verdict, until: now + REMEMBER_MS });
    for (const [key, r] of remembered) if (remembered.size > REMEMBERED || r.until <= now) remembered.delete(key);
  }
  return verdict;
}

/** Builds the estimator now (at start-up) rather than on the first password a user chooses. */
export function warmUpPasswordStrength(): void {
  zxcvbn();
}

const normalise = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
const CJK = /[\u2e80-\u9fff\uf900-\ufaff]/u;

/** Long enough to be worth refusing in a password: 3+ characters, or 2+ Chinese characters (a name like 张伟). */
function significant(s: string): boolean {
  const chars = [...s];
  return chars.length >= 3 || (chars.length >= 2 && chars.every((c) => CJK.test(c)));
}

/** The password contains the input, or is a large part of it (a password of 6+ characters inside a long name). */
function builtFrom(password: string, input: string | null | undefined): boolean {
  if (!input) return false;
  const i = normalise(input);
  if (!significant(i)) return false;
  return password.includes(i) || (password.length >= 6 && i.includes(password));
}

/** Words of a name worth giving zxcvbn separately: `2026年滨海新区质量攻关成果评比` → `2026`, `滨海新区质量攻关成果评比`. */
function parts(input: string): string[] {
  return input.split(/[\s\p{P}\p{S}]+|(?<=\d)(?=\D)|(?<=\D)(?=\d)/u).filter((p) => significant(p));
}

function reasonOf(match: MatchExtended): WeakPasswordReason | null {
  switch (match.pattern) {
    case 'dictionary': {
      const name = String(match.dictionaryName);
      if (name === 'userInputs') return 'contains_personal_info';
      if (name === PRODUCT_DICTIONARY) return 'product_word';
      if (name.includes('passwords')) return 'common_password';
      return 'common_word';
    }
    case 'spatial':
      return 'keyboard_pattern';
    case 'sequence':
    case 'wordSequence':
      return 'sequence';
    case 'repeat':
      return 'repeat';
    case 'date':
    case 'regex':
      return 'date';
    case 'mobilePhone':
      return 'phone_number';
    default:
      return null;
  }
}

function refuse(reason: WeakPasswordReason, score: Score = 0): PasswordVerdict {
  return { ok: false, score, reason, text: WEAK_PASSWORD_TEXT[reason] };
}

export function judgePassword(password: string, context: PasswordContext = {}): PasswordVerdict {
  const pw = normalise(password);
  if (builtFrom(pw, context.username)) return refuse('contains_username');
  if (builtFrom(pw, context.displayName)) return refuse('contains_display_name');
  if ((context.contestNames ?? []).some((n) => builtFrom(pw, n))) return refuse('contains_contest_name');
  if ((context.personal ?? []).some((n) => builtFrom(pw, n))) return refuse('contains_personal_info');
  if ([...password].length < MIN_PASSWORD_LENGTH) return refuse('too_short');

  // Whole inputs and their parts: zxcvbn then also finds them l33ted, reversed or as a fragment.
  const inputs = [context.username, context.displayName, ...(context.contestNames ?? []), ...(context.personal ?? [])]
    .filter((s): s is string => !!s)
    .flatMap((s) => [s, ...parts(s)]);
  return estimate(password, inputs);
}

function verdictOf(password: string, result: ReturnType<ZxcvbnFactory['check']>): PasswordVerdict {
  if (result.score >= MIN_PASSWORD_SCORE) return { ok: true, score: result.score, reason: null, text: null };

  // The longest recognised pattern is what makes it guessable (zxcvbn's feedback picks the same one).
  let longest: MatchExtended | null = null;
  for (const m of result.sequence) {
    if (reasonOf(m) && (!longest || m.token.length > longest.token.length)) longest = m;
  }
  const reason = longest ? reasonOf(longest)! : [...password].length < 12 ? 'too_short' : 'predictable';
  return refuse(reason, result.score);
}

// A faster dictionary lookup for zxcvbn-ts, with exactly the library's results.
//
// zxcvbn-ts's dictionary matcher looks every substring of the password up in each of its ranked
// dictionaries, one by one: for a 22-character password ≈ 250 substrings × 24 dictionaries, and it
// runs ≈ 20 times per check (the password, its l33t variants, reversed, word sequences). That was most
// of a check's ≈ 10 ms. Almost no substring is a word of any dictionary, so this asks one set of all
// the words first and looks a substring up in each dictionary only when the set has it; the user's
// own inputs (a new dictionary each check) are looked up as before. Same matches, in the same order.
import { createRequire } from 'node:module';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/** The zxcvbn-ts release whose dictionary matcher `prefilteredMatch` reproduces (dist/matcher/dictionary/matching.cjs). */
export const PREFILTERED_ZXCVBN_VERSION = '4.2.0';

type Ranked = Record<string, Record<string, number>>;
interface DictionaryMatchOptions {
  password: string;
  userInputsOptions?: unknown;
  useLevenshtein?: boolean;
}
export interface DictionaryMatcher {
  options: { rankedDictionaries: Ranked; useLevenshteinDistance: boolean };
  getRangedDictionaries(userInputsOptions: unknown): { rankedDictionaries: Ranked; rankedDictionariesMaxWordSize: Record<string, number> };
  match(options: DictionaryMatchOptions): object[];
}

/**
 * Every word of the dictionaries built at start-up, and the names every plain object inherits: a
 * dictionary is a plain object, so the library finds `constructor` "in" each of them (a rank that is
 * a function); such a substring is looked up one dictionary at a time, as the library does.
 */
const wordsOf = new WeakMap<Ranked, Set<string>>();
function wordsIn(ranked: Ranked): Set<string> {
  let words = wordsOf.get(ranked);
  if (!words) {
    words = new Set(Object.getOwnPropertyNames(Object.prototype));
    for (const name of Object.keys(ranked)) for (const word of Object.keys(ranked[name])) words.add(word);
    wordsOf.set(ranked, words);
  }
  return words;
}

let libraryMatch: DictionaryMatcher['match'] | null = null;

/** While `searchedWhile` runs: every string the dictionaries were searched in (null: not recording, or not all of them are known). */
let searched: Set<string> | null = null;
let searchedAll = true;

/**
 * Runs `fn` (a check of the judge's estimator) and tells, with its value, every string — lowercased —
 * whose substrings the dictionary matcher looked up meanwhile: the password, its l33t variants, reversed,
 * the chunks of a repeat. A word of the user's inputs can match only inside one of them (see the memo in
 * password-strength.ts). `strings` is null when they are not all known: the prefilter is not in use
 * (another zxcvbn-ts release), or the library's own matcher ran.
 */
export function searchedWhile<T>(fn: () => T): { value: T; strings: string[] | null } {
  const outer = searched;
  const outerAll = searchedAll;
  searched = new Set();
  searchedAll = true;
  try {
    const value = fn();
    return { value, strings: libraryMatch && searchedAll ? [...searched] : null };
  } finally {
    searched = outer;
    searchedAll = outerAll;
  }
}

/** The library's MatchDictionary.match (zxcvbn-ts 4.2.0) with the set asked first; otherwise line for line the same. */
export function prefilteredMatch(this: DictionaryMatcher, { password, userInputsOptions, useLevenshtein = true }: DictionaryMatchOptions): object[] {
  // The Levenshtein search (off here) reads every dictionary: left to the library.
  if (this.options.useLevenshteinDistance && libraryMatch) {
    searchedAll = false;
    return libraryMatch.call(this, { password, userInputsOptions, useLevenshtein });
  }
  const matches: object[] = [];
  const passwordLength = password.length;
  const passwordLower = password.toLowerCase();
  searched?.add(passwordLower);
  const { rankedDictionaries, rankedDictionariesMaxWordSize } = this.getRangedDictionaries(userInputsOptions);
  const built = this.options.rankedDictionaries;
  const words = wordsIn(built);
  const names = Object.keys(rankedDictionaries);
  const dictionaries = names.map((name) => rankedDictionaries[name]);
  const sizes = names.map((name) => rankedDictionariesMaxWordSize[name]);
  // The user's inputs: merged into a new dictionary for each check, so not in the set.
  const perCheck = names.flatMap((name, k) => (dictionaries[k] === built[name] ? [] : [k]));
  const maxSearchWidth = Math.max(0, ...Object.values(rankedDictionariesMaxWordSize));
  for (let i = 0; i < passwordLength; i += 1) {
    for (let j = i; j < passwordLength; j += 1) {
      const isFullPassword = i === 0 && j === passwordLength - 1;
      if (j - i + 1 > maxSearchWidth && !isFullPassword) break;
      const usedPassword = passwordLower.slice(i, j + 1);
      const everywhere = words.has(usedPassword);
      const n = everywhere ? names.length : perCheck.length;
      for (let q = 0; q < n; q += 1) {
        const k = everywhere ? q : perCheck[q];
        if (j - i + 1 > sizes[k] && !isFullPassword) continue;
        const rank = dictionaries[k][usedPassword];
        if (rank !== undefined) {
          matches.push({ pattern: 'dictionary', i, j, token: password.slice(i, j + 1), matchedWord: usedPassword, rank, dictionaryName: names[k], reversed: false, l33t: false });
        }
      }
    }
  }
  return matches;
}

/**
 * Makes the dictionary matcher of `factory` (and its l33t, reversed and word-sequence variants, which
 * call it) use `prefilteredMatch`, and builds the set now. Only for the release it reproduces: with
 * another, the library's own matcher stays. Returns whether it is in use.
 */
export function prefilterDictionaries(factory: ZxcvbnFactory): boolean {
  const version = (createRequire(import.meta.url)('@zxcvbn-ts/core/package.json') as { version: string }).version;
  const matcher = (factory as unknown as { matching?: { matchers?: { dictionary?: DictionaryMatcher } } }).matching?.matchers?.dictionary;
  if (version !== PREFILTERED_ZXCVBN_VERSION || !matcher) return false;
  // The class the variants extend: patched there, since they reach it through `super.match`.
  const proto = Object.getPrototypeOf(matcher) as DictionaryMatcher;
  if (proto.match !== prefilteredMatch) {
    libraryMatch = proto.match;
    proto.match = prefilteredMatch;
  }
  wordsIn(matcher.options.rankedDictionaries);
  return true;
}

/** The library's own matcher (for the tests that compare the two). */
export function libraryDictionaryMatch(): DictionaryMatcher['match'] | null {
  return libraryMatch;
}

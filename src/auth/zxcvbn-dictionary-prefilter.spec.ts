import { describe, expect, it } from '@jest/globals';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import { CHINESE_DICTIONARIES } from './password-dictionaries-zh.js';
import { judgePassword, warmUpPasswordStrength } from './password-strength.js';
import { type DictionaryMatcher, libraryDictionaryMatch, prefilterDictionaries, prefilteredMatch } from './zxcvbn-dictionary-prefilter.js';

/** An estimator configured as the judge's (password-strength.ts). */
function estimator(): ZxcvbnFactory {
  return new ZxcvbnFactory(
    { dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary, ...CHINESE_DICTIONARIES }, graphs: zxcvbnCommon.adjacencyGraphs, l33tMaxSubstitutions: 4, maxLength: 64 },
  );
}
const dictionaryMatcher = (f: ZxcvbnFactory) => (f as unknown as { matching: { matchers: { dictionary: DictionaryMatcher } } }).matching.matchers.dictionary;

/** Seeded passwords: random characters, and words glued, l33ted, reversed and capitalised. */
function corpus(): string[] {
  let s = 20201;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const out = [
    'password', '12345678', 'Binhai-Lighthouse-2020', 'Binhai-Harbor-2020', 'Qc-评审-2026-北辰!', 'Amber-海河-Lantern-42', 'correct horse battery staple',
    'Zh40qim1ng!', 'zhangwei1990', 'woaini1314', 'Zh4ngW31!!', 'zhiliang2020', 'pingshen666', '13812345678', '19900101', 'mnopqrstuv', 'abcabcabcabc', 'zxcvbnm,./',
    // Names every plain object inherits: the library finds them "in" each dictionary.
    'constructor', 'Constructor99!', 'c0nstruct0r', 'rotcurtsnoc', '__proto__x', 'tostring', 'valueof12', 'hasownproperty',
    'onetwothree', 'mondaytuesday', 'redorangeyellow', 'firstsecondthird', '1qaz2wsx', 'p@ssw0rd', 'Tr0ub4dor&3', 'l1ghth0use', 'ent042Password', '滨海新区质量攻关活动2020',
    'ab'.repeat(40),
  ];
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789@$!-_ 4310滨海质量';
  for (let n = 0; n < 100; n++) out.push(Array.from({ length: 4 + Math.floor(rnd() * 20) }, () => chars[Math.floor(rnd() * chars.length)]).join(''));
  const words = ['love', 'dragon', 'monkey', 'zhang', 'wei', 'qc', 'lighthouse', 'binhai', 'harbor', 'ent', '2020', 'admin', 'sunday', 'seven', 'red', 'north', 'constructor', 'proto'];
  for (let n = 0; n < 100; n++) {
    let p = '';
    for (let k = 0, m = 1 + Math.floor(rnd() * 4); k < m; k++) {
      let w = words[Math.floor(rnd() * words.length)];
      if (rnd() < 0.3) w = w.replace(/o/g, '0').replace(/e/g, '3');
      if (rnd() < 0.2) w = [...w].reverse().join('');
      if (rnd() < 0.3) w = w[0].toUpperCase() + w.slice(1);
      p += w + (rnd() < 0.3 ? '-' : '');
    }
    out.push(p);
  }
  return out;
}
const USER_INPUTS = [[], ['ent042', '钱七', '2020年滨海新区质量攻关活动', '2020', 'lighthouse', 'constructor'], ['zhaoqiming', 'binhai', 'harbor', '__proto__']];

describe('the dictionary prefilter', () => {
  it('is what the judge\'s estimator uses (zxcvbn-ts at the release it reproduces)', () => {
    warmUpPasswordStrength();
    expect(Object.getPrototypeOf(dictionaryMatcher(estimator())).match).toBe(prefilteredMatch);
    expect(libraryDictionaryMatch()).toEqual(expect.any(Function));
  });

  it('finds exactly the matches of the library, in the same order, with and without the user\'s inputs', () => {
    const f = estimator();
    expect(prefilterDictionaries(f)).toBe(true);
    const matcher = dictionaryMatcher(f);
    const library = libraryDictionaryMatch()!;
    const wordSequence = new (Object.getPrototypeOf(matcher).constructor as new (o: unknown, w: boolean) => DictionaryMatcher)(matcher.options, true);
    let found = 0;
    for (const password of corpus()) {
      for (const inputs of USER_INPUTS) {
        const userInputsOptions = (matcher.options as unknown as { getUserInputsOptions(d: string[]): unknown }).getUserInputsOptions(inputs);
        for (const m of [matcher, wordSequence]) {
          for (const useLevenshtein of [true, false]) {
            const ours = prefilteredMatch.call(m, { password, userInputsOptions, useLevenshtein });
            expect(ours).toStrictEqual(library.call(m, { password, userInputsOptions, useLevenshtein }));
            found += ours.length;
          }
        }
      }
    }
    expect(found).toBeGreaterThan(1000);
  });

  it('gives the same estimate and the same verdict as the library, l33t, reversed and word sequences included', () => {
    const f = estimator();
    prefilterDictionaries(f);
    const proto = Object.getPrototypeOf(dictionaryMatcher(f)) as DictionaryMatcher;
    const without = (fn: () => unknown) => {
      proto.match = libraryDictionaryMatch()!;
      try {
        return fn();
      } finally {
        proto.match = prefilteredMatch;
      }
    };
    const estimate = (password: string, inputs: string[]) => ({ ...f.check(password, inputs), calcTime: 0 });
    const context = { username: 'ent042', displayName: '钱七', contestNames: ['2020年滨海新区质量攻关活动'], personal: ['lighthouse', 'constructor'] };
    for (const password of corpus()) {
      for (const inputs of USER_INPUTS) expect(estimate(password, inputs)).toStrictEqual(without(() => estimate(password, inputs)));
      expect(judgePassword(password, context)).toStrictEqual(without(() => judgePassword(password, context)));
    }
  });
});

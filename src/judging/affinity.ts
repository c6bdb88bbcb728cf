// How well an expert fits an entry (专业匹配度): a small whole number of points, the sum of what the
// expert's profile and the entry's topics have in common, each matched dimension named so that every
// assignment can say why it was made.
//
//   dimension    matched when                                                     points
//   industry     the entry's enterprise industry is among the expert's industries     3
//   topic        each of the entry's topics (方法/专业) among the expert's, at most 3   2 each
//   keyword      each of the expert's keywords found in the entry's title, at most 2   1 each
//   entryType    the entry's type (问题解决型 / 创新型) is among the expert's types         1
//   experience   ≥ 10 years of experience, and at least one of the above matched        1
//
// A "specialist" of an entry is an expert matching it on industry, a topic or a keyword: entry type
// and experience alone say nothing about the subject. The maximum is MAX_AFFINITY (13). Text is
// compared after trimming and case folding (NFKC, so full-width letters match half-width ones).

export const AFFINITY_WEIGHTS = {
  industry: 3,
  topic: 2,
  maxTopics: 3,
  keyword: 1,
  maxKeywords: 2,
  entryType: 1,
  experience: 1,
  seniorYears: 10,
} as const;

export const MAX_AFFINITY =
  AFFINITY_WEIGHTS.industry +
  AFFINITY_WEIGHTS.topic * AFFINITY_WEIGHTS.maxTopics +
  AFFINITY_WEIGHTS.keyword * AFFINITY_WEIGHTS.maxKeywords +
  AFFINITY_WEIGHTS.entryType +
  AFFINITY_WEIGHTS.experience;

export type AffinityDimension = 'industry' | 'topic' | 'keyword' | 'entryType' | 'experience';

/** The dimensions that make an expert a specialist of an entry. */
export const TOPICAL_DIMENSIONS: readonly AffinityDimension[] = ['industry', 'topic', 'keyword'];

export interface ExpertiseProfile {
  industries: readonly string[];
  entryTypes: readonly string[];
  /** Names from the organizer's controlled list of methods and specialties. */
  topics: readonly string[];
  yearsOfExperience: number | null;
  keywords: readonly string[];
}

export interface EntryTopics {
  industry: string | null;
  entryType: string | null;
  topics: readonly string[];
  title: string;
}

export interface AffinityMatch {
  dimension: AffinityDimension;
  /** What matched: the industry, topic, keyword or type, or the years of experience. */
  value: string;
  points: number;
}

export interface Affinity {
  score: number;
  matches: AffinityMatch[];
  /** Matched on industry, a topic or a keyword. */
  specialist: boolean;
}

const fold = (s: string): string => s.normalize('NFKC').trim().toLowerCase();

function foldedSet(items: readonly string[]): Set<string> {
  return new Set(items.map(fold).filter((s) => s !== ''));
}

/** The score and why. Pure and total: any strings, any (even negative or fractional) years. */
export function affinity(expert: ExpertiseProfile, entry: EntryTopics): Affinity {
  const w = AFFINITY_WEIGHTS;
  const matches: AffinityMatch[] = [];
  if (entry.industry !== null && fold(entry.industry) !== '' && foldedSet(expert.industries).has(fold(entry.industry))) {
    matches.push({ dimension: 'industry', value: entry.industry.trim(), points: w.industry });
  }
  const expertTopics = foldedSet(expert.topics);
  const seenTopics = new Set<string>();
  for (const topic of entry.topics) {
    const key = fold(topic);
    if (seenTopics.size >= w.maxTopics) break;
    if (key === '' || seenTopics.has(key) || !expertTopics.has(key)) continue;
    seenTopics.add(key);
    matches.push({ dimension: 'topic', value: topic.trim(), points: w.topic });
  }
  const title = fold(entry.title);
  let keywords = 0;
  for (const keyword of [...foldedSet(expert.keywords)].sort()) {
    if (keywords >= w.maxKeywords) break;
    if (title.includes(keyword)) {
      keywords += 1;
      matches.push({ dimension: 'keyword', value: keyword, points: w.keyword });
    }
  }
  const specialist = matches.length > 0;
  if (entry.entryType !== null && foldedSet(expert.entryTypes).has(fold(entry.entryType))) {
    matches.push({ dimension: 'entryType', value: entry.entryType, points: w.entryType });
  }
  const years = expert.yearsOfExperience;
  if (specialist && years !== null && years >= w.seniorYears) {
    matches.push({ dimension: 'experience', value: String(years), points: w.experience });
  }
  return { score: matches.reduce((s, m) => s + m.points, 0), matches, specialist };
}

/** The affinity matrix, entries × experts, as whole numbers (row e, column x). */
export function affinityMatrix(experts: readonly ExpertiseProfile[], entries: readonly EntryTopics[]): Affinity[][] {
  return entries.map((entry) => experts.map((expert) => affinity(expert, entry)));
}

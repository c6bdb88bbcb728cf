/**
 * The weighted final score of an entry from its stage scores.
 *
 * final = (material × w_material + presentation × w_presentation) / 100, with the weights in integer
 * percent summing to 100 and the stage scores already Score4 integers. The numerator is an exact
 * integer; the single division by 100 is rounded half-up (towards +infinity on an exact half) to a
 * Score4. A stage with weight 0 is not required; a stage with a positive weight that has no score is
 * an error result (the entry cannot be ranked), never a silent zero.
 */
import { JudgingInputError, divRoundHalfUp, divRoundHalfUpNumber, flatString, formatScore4, type Score4 } from './aggregation.js';

export type Stage = 'material' | 'presentation';
export const STAGES: readonly Stage[] = ['material', 'presentation'];

export interface StageScores {
  material?: Score4 | null;
  presentation?: Score4 | null;
}

/** Integer percent per stage, summing to 100. */
export interface StageWeights {
  material: number;
  presentation: number;
}

export interface FinalScorePart {
  stage: Stage;
  score: Score4 | null;
  weight: number;
}

export interface FinalScoreOk {
  ok: true;
  value: Score4;
  parts: FinalScorePart[];
  explanation: string;
}

export interface FinalScoreError {
  ok: false;
  error: 'missing_stage';
  missing: Stage[];
  parts: FinalScorePart[];
  explanation: string;
}

export type FinalScoreResult = FinalScoreOk | FinalScoreError;

/** Throws JudgingInputError unless the weights are integers in 0..100 summing to 100. */
export function validateWeights(weights: StageWeights): void {
  for (const stage of STAGES) {
    const w = weights[stage];
    if (!Number.isSafeInteger(w) || w < 0 || w > 100) {
      throw new JudgingInputError(`weight of ${stage} must be an integer percent in 0..100, got ${String(w)}`);
    }
  }
  const sum = weights.material + weights.presentation;
  if (sum !== 100) throw new JudgingInputError(`stage weights must sum to 100, got ${sum}`);
}

export function computeFinalScore(stages: StageScores, weights: StageWeights): FinalScoreResult {
  validateWeights(weights);
  const material = stageScore(stages, 'material');
  const presentation = stageScore(stages, 'presentation');
  const r = finalScoreOf(material, presentation, weights);
  const parts: FinalScorePart[] = [
    { stage: 'material', score: material, weight: weights.material },
    { stage: 'presentation', score: presentation, weight: weights.presentation },
  ];
  return r.value === null ? { ok: false, error: 'missing_stage', missing: r.missing!, parts, explanation: r.explanation } : { ok: true, value: r.value, parts, explanation: r.explanation };
}

/**
 * computeFinalScore without its `parts` (two objects and a list per entry that the results do not
 * keep): the value (null when a weighted stage has no score, then `missing` says which) and the
 * explanation, the same as computeFinalScore's. The scores must be integers or null.
 */
export function finalScoreOf(material: Score4 | null, presentation: Score4 | null, weights: StageWeights): { value: Score4 | null; missing: Stage[] | null; explanation: string } {
  validateWeights(weights);
  if (material !== null && !Number.isSafeInteger(material)) stageScore({ material }, 'material');
  if (presentation !== null && !Number.isSafeInteger(presentation)) stageScore({ presentation }, 'presentation');
  const missingMaterial = weights.material > 0 && material === null;
  const missingPresentation = weights.presentation > 0 && presentation === null;
  if (missingMaterial || missingPresentation) {
    const missing: Stage[] = missingMaterial && missingPresentation ? ['material', 'presentation'] : [missingMaterial ? 'material' : 'presentation'];
    return { value: null, missing, explanation: `no ${missing.join(' and ')} score, which has a positive weight` };
  }
  // Σ score × weight over the stages of positive weight, material first: exact in numbers while
  // every term and partial sum is a safe integer (a Score4 of up to 100 points times a percent is
  // ~10^8), else in BigInt. Written out for the two stages (one call per entry of a contest).
  const wm = weights.material;
  const wp = weights.presentation;
  const termM = wm === 0 ? 0 : material! * wm;
  const termP = wp === 0 ? 0 : presentation! * wp;
  const numerator = termM + termP;
  const exactInNumbers = Number.isSafeInteger(termM) && Number.isSafeInteger(termP) && Number.isSafeInteger(numerator);
  const textM = wm === 0 ? '' : `material ${formatScore4(material!)} × ${wm}%`;
  const textP = wp === 0 ? '' : `presentation ${formatScore4(presentation!)} × ${wp}%`;
  const terms = textM !== '' && textP !== '' ? `${textM} + ${textP}` : textM + textP;
  let value: Score4;
  if (exactInNumbers) value = divRoundHalfUpNumber(numerator, 100);
  else {
    let exact = 0n;
    if (wm > 0) exact += BigInt(material!) * BigInt(wm);
    if (wp > 0) exact += BigInt(presentation!) * BigInt(wp);
    value = Number(divRoundHalfUp(exact, 100n));
  }
  return { value, missing: null, explanation: flatString(`${terms} = ${formatScore4(value)} (rounded half-up to 0.0001)`) };
}

function stageScore(stages: StageScores, stage: Stage): Score4 | null {
  const score = stages[stage] ?? null;
  if (score !== null && !Number.isSafeInteger(score)) {
    throw new JudgingInputError(`${stage} score must be an integer Score4, got ${String(score)}`);
  }
  return score;
}

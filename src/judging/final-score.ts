/**
 * The weighted final score of an entry from its stage scores.
 *
 * final = (material × w_material + presentation × w_presentation) / 100, with the weights in integer
 * percent summing to 100 and the stage scores already Score4 integers. The numerator is an exact
 * integer; the single division by 100 is rounded half-up (towards +infinity on an exact half) to a
 * Score4. A stage with weight 0 is not required; a stage with a positive weight that has no score is
 * an error result (the entry cannot be ranked), never a silent zero.
 */
import { JudgingInputError, divRoundHalfUp, flatString, formatScore4, type Score4 } from './aggregation.js';

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
  const parts: FinalScorePart[] = STAGES.map((stage) => {
    const score = stages[stage] ?? null;
    if (score !== null && !Number.isSafeInteger(score)) {
      throw new JudgingInputError(`${stage} score must be an integer Score4, got ${String(score)}`);
    }
    return { stage, score, weight: weights[stage] };
  });
  const missing = parts.filter((p) => p.weight > 0 && p.score === null).map((p) => p.stage);
  if (missing.length > 0) {
    return { ok: false, error: 'missing_stage', missing, parts, explanation: `no ${missing.join(' and ')} score, which has a positive weight` };
  }
  let numerator = 0n;
  for (const p of parts) if (p.weight > 0) numerator += BigInt(p.score!) * BigInt(p.weight);
  const value = Number(divRoundHalfUp(numerator, 100n));
  const terms = parts.filter((p) => p.weight > 0).map((p) => `${p.stage} ${formatScore4(p.score!)} × ${p.weight}%`);
  return { ok: true, value, parts, explanation: flatString(`${terms.join(' + ')} = ${formatScore4(value)} (rounded half-up to 0.0001)`) };
}

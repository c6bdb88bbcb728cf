// The profile columns of the expert import (spreadsheet.ts): the same rules as PUT /experts/:id/profile.
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FieldError } from '../common/errors.js';
import { flattenValidationErrors } from '../common/validation.js';
import { ENTRY_TYPE_LABELS } from './expertise-labels.js';
import { ProfileDto } from './expertise.dto.js';
import type { ProfileFields } from './expertise.entities.js';

const list = (text: string | undefined): string[] | undefined =>
  text === undefined ? undefined : [...new Set(text.split(/[、,，;；\n]/).map((s) => s.trim()).filter((s) => s !== ''))];

/** The row's profile (null when it has none of the columns) and its problems, by column key. */
export async function importedProfile(
  v: Record<string, string | undefined>,
  topicProblems: (topics: string[]) => Promise<FieldError[]>,
): Promise<{ fields: ProfileFields | null; problems: FieldError[] }> {
  const keys = ['industries', 'entryTypes', 'topics', 'yearsOfExperience', 'keywords'];
  if (!keys.some((k) => v[k] !== undefined)) return { fields: null, problems: [] };
  const years = v.yearsOfExperience;
  const plain = {
    industries: list(v.industries) ?? [],
    entryTypes: (list(v.entryTypes) ?? []).map((t) => ENTRY_TYPE_LABELS[t] ?? t),
    topics: list(v.topics) ?? [],
    yearsOfExperience: years === undefined ? null : /^\d+$/.test(years.trim()) ? Number(years.trim()) : years,
    keywords: list(v.keywords) ?? [],
  };
  const dto = plainToInstance(ProfileDto, plain);
  const problems = flattenValidationErrors(await validate(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: true } }));
  if (!problems.some((p) => p.field.startsWith('topics'))) problems.push(...(await topicProblems(dto.topics)));
  if (problems.length) return { fields: null, problems };
  return { fields: { industries: dto.industries, entryTypes: dto.entryTypes, topics: dto.topics, yearsOfExperience: dto.yearsOfExperience ?? null, keywords: dto.keywords ?? [] }, problems };
}

// The response of POST /contests/:id/results/verify, for the OpenAPI document (the service returns
// the plain `Verification` of results-data.ts; these classes describe it field by field).
import { ApiProperty } from '@nestjs/swagger';
import { SHEET_PROBLEM_CODES } from '../scoring/sheet-integrity.js';

const HASH = { example: 'a3f1' + '0'.repeat(60), pattern: '^[0-9a-f]{64}$', description: 'sha256, 64 hex digits' };
const SCORES = { type: 'object', additionalProperties: { type: 'string', nullable: true }, description: 'finalScore, rank, level, computedLevel, material, presentation' } as const;

export class EntryDifferenceDto {
  @ApiProperty() entryId: number;
  @ApiProperty({ type: String, nullable: true }) title: string | null;
  @ApiProperty({ type: [String], description: 'Top-level fields of the entry that differ' }) fields: string[];
  @ApiProperty(SCORES) stored: Record<string, string | number | null>;
  @ApiProperty(SCORES) recomputed: Record<string, string | number | null>;
}

export class PayloadDifferencesDto {
  @ApiProperty({ type: [String], description: 'Sections of the snapshot (other than entries) that differ' }) sections: string[];
  @ApiProperty({ type: [EntryDifferenceDto], description: 'The first differing entries' }) entries: EntryDifferenceDto[];
  @ApiProperty({ description: 'How many entries differ in all' }) entryCount: number;
}

export class SnapshotAnchorDto {
  @ApiProperty({ description: 'The audit event that fixed the snapshot hash' }) eventId: number;
  @ApiProperty({ enum: ['results.freeze', 'results.republish'] }) action: string;
  @ApiProperty({ type: String, nullable: true, ...HASH }) hash: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The public list hash recorded with it (absent in older events)' }) listHash: string | null;
}

export class AnchorVerificationDto {
  @ApiProperty({ description: 'Frozen, published and superseded snapshots must be anchored in the audit trail' }) required: boolean;
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: SnapshotAnchorDto, nullable: true }) anchor: SnapshotAnchorDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'The public list hash recomputed from the stored snapshot' }) listHash: string | null;
  @ApiProperty({ type: [Number], description: 'Freeze/publish/republish events of this snapshot recording another hash' }) conflictingEventIds: number[];
  @ApiProperty({ enum: ['anchor_missing', 'hash_not_anchored', 'list_hash_mismatch'], isArray: true }) problems: string[];
}

export class SheetProblemDto {
  @ApiProperty() sheetId: number;
  @ApiProperty() entryId: number;
  @ApiProperty({ type: String, nullable: true }) entryTitle: string | null;
  @ApiProperty({ enum: ['material', 'presentation'] }) stage: string;
  @ApiProperty() expertId: number;
  @ApiProperty({ type: String, nullable: true }) expertName: string | null;
  @ApiProperty({ enum: SHEET_PROBLEM_CODES }) code: string;
  @ApiProperty({ type: String, nullable: true, description: 'Rubric item key (or the audit field for audit_mismatch); null for the whole sheet' }) item: string | null;
  @ApiProperty({ type: String, nullable: true }) itemTitle: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'What is stored now (points, e.g. "19.0", or a hash)' }) stored: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'What the rubric, the marks or the content recorded at submission say' }) expected: string | null;
  @ApiProperty({ description: 'The finding in Chinese, naming the sheet, entry, expert and item' }) message: string;
}

export class SheetVerificationDto {
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'Submitted sheets checked' }) checked: number;
  @ApiProperty() sheetsWithProblems: number;
  @ApiProperty() problemCount: number;
  @ApiProperty({ type: [SheetProblemDto], description: 'The first 200 problems, by sheet id' }) problems: SheetProblemDto[];
}

export class ResultsVerificationDto {
  @ApiProperty({ description: 'Everything below holds' }) ok: boolean;
  @ApiProperty() snapshotId: number;
  @ApiProperty() version: number;
  @ApiProperty({ enum: ['computed', 'frozen', 'published', 'superseded'] }) status: string;
  @ApiProperty(HASH) storedHash: string;
  @ApiProperty({ ...HASH, description: 'SHA-256 of the results recomputed from the submitted sheets' }) recomputedHash: string;
  @ApiProperty({ description: 'The stored snapshot still hashes to its stored hash' }) payloadIntact: boolean;
  @ApiProperty() missingSheetCount: number;
  @ApiProperty({ type: [Number] }) missingAdjustmentIds: number[];
  @ApiProperty({ type: PayloadDifferencesDto }) differences: PayloadDifferencesDto;
  @ApiProperty({ type: AnchorVerificationDto }) anchor: AnchorVerificationDto;
  @ApiProperty({ type: SheetVerificationDto }) sheets: SheetVerificationDto;
}

import { AccountsAndAudit1764288000000 } from './1764288000000-accounts-and-audit.js';
import { Intake1764291600000 } from './1764291600000-intake.js';
import { EnterpriseCreatedBy1765017600000 } from './1765017600000-enterprise-created-by.js';
import { PartialEntryDrafts1765200000000 } from './1765200000000-partial-entry-drafts.js';
import { Results1764298800000 } from './1764298800000-results.js';
import { ReviewPresentationScoring1764295200000 } from './1764295200000-review-presentation-scoring.js';

/** Every migration, in order. Listed explicitly so the same list serves compiled code and ts-jest. */
export const MIGRATIONS = [AccountsAndAudit1764288000000, Intake1764291600000, ReviewPresentationScoring1764295200000, Results1764298800000, EnterpriseCreatedBy1765017600000, PartialEntryDrafts1765200000000];

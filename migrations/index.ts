import { AccountsAndAudit1764288000000 } from './1764288000000-accounts-and-audit.js';
import { Intake1764291600000 } from './1764291600000-intake.js';
import { EnterpriseCreatedBy1765017600000 } from './1765017600000-enterprise-created-by.js';
import { OrganisationDeactivation1765100000000 } from './1765100000000-organisation-deactivation.js';
import { ContestKeyDates1765100100000 } from './1765100100000-contest-key-dates.js';
import { TieBreakChain1765100200000 } from './1765100200000-tie-break-chain.js';
import { PresentationDisplay1765300000000 } from './1765300000000-presentation-display.js';
import { Expertise1765420000000 } from './1765420000000-expertise.js';
import { PartialEntryDrafts1765200000000 } from './1765200000000-partial-entry-drafts.js';
import { Results1764298800000 } from './1764298800000-results.js';
import { ReviewPresentationScoring1764295200000 } from './1764295200000-review-presentation-scoring.js';

/** Every migration, in order. Listed explicitly so the same list serves compiled code and ts-jest. */
export const MIGRATIONS = [AccountsAndAudit1764288000000, Intake1764291600000, ReviewPresentationScoring1764295200000, Results1764298800000, EnterpriseCreatedBy1765017600000, OrganisationDeactivation1765100000000, ContestKeyDates1765100100000, TieBreakChain1765100200000, PartialEntryDrafts1765200000000, PresentationDisplay1765300000000, Expertise1765420000000];

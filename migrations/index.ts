import { Expertise1765420000000 } from './1765420000000-expertise.js';
import { Notifications1765400000000 } from './1765400000000-notifications.js';
import { AccountsAndAudit1764288000000 } from './1764288000000-accounts-and-audit.js';
import { Intake1764291600000 } from './1764291600000-intake.js';
import { EnterpriseCreatedBy1765017600000 } from './1765017600000-enterprise-created-by.js';
import { OrganisationDeactivation1765100000000 } from './1765100000000-organisation-deactivation.js';
import { ContestKeyDates1765100100000 } from './1765100100000-contest-key-dates.js';
import { TieBreakChain1765100200000 } from './1765100200000-tie-break-chain.js';
import { ReportDocuments1765410000000 } from './1765410000000-report-documents.js';
import { PresentationDisplay1765300000000 } from './1765300000000-presentation-display.js';
import { AuthRevision1765460000000 } from './1765460000000-auth-revision.js';
import { PartialEntryDrafts1765200000000 } from './1765200000000-partial-entry-drafts.js';
import { ScoringForeignKeys1765430000000 } from './1765430000000-scoring-foreign-keys.js';
import { Results1764298800000 } from './1764298800000-results.js';
import { SnapshotEntries1765440000000 } from './1765440000000-snapshot-entries.js';
import { ReviewPresentationScoring1764295200000 } from './1764295200000-review-presentation-scoring.js';

/** Every migration, in order. Listed explicitly so the same list serves compiled code and ts-jest. */
export const MIGRATIONS = [AccountsAndAudit1764288000000, Intake1764291600000, ReviewPresentationScoring1764295200000, Results1764298800000, EnterpriseCreatedBy1765017600000, OrganisationDeactivation1765100000000, ContestKeyDates1765100100000, TieBreakChain1765100200000, PartialEntryDrafts1765200000000, PresentationDisplay1765300000000, Notifications1765400000000, ReportDocuments1765410000000, Expertise1765420000000, ScoringForeignKeys1765430000000, SnapshotEntries1765440000000, AuthRevision1765460000000];

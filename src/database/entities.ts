import { User } from '../accounts/user.entity.js';
import { AuditChainHead, AuditEvent } from '../audit/audit-event.entity.js';
import { LoginThrottle } from '../auth/login-throttle.entity.js';
import { AuthRevision } from '../auth/auth-revision.entity.js';
import { Contest, Rubric, Track } from '../contests/contest.entities.js';
import { Attachment, Entry, EntryEvent } from '../entries/entry.entities.js';
import { DisplayLink, SessionTimer } from '../presentation/display.entities.js';
import { Assignment, DeclaredConflict, Panel, PanelMember, PresentationSession, SessionSlot } from '../presentation/presentation.entities.js';
import { Objection, ResultAdjustment, ResultSnapshot, ResultSnapshotEntry } from '../results/results.entities.js';
import { ReportDocument } from '../reports/report.entities.js';
import { ReviewDecision } from '../review/review.entities.js';
import { ScoreSheet, ScoreSheetVersion } from '../scoring/scoring.entities.js';
import { Enterprise, Expert, RecommendingUnit } from '../organisations/organisation.entities.js';
import { Notification, NotificationContact, NotificationMute, SchedulerLock } from '../notifications/notification.entities.js';
import { EntryTopic, ExpertiseTopic, ExpertProfile } from '../expertise/expertise.entities.js';

/** Every entity, listed once for the app, the migration runner and the schema-drift test. */
export const ENTITIES = [
  User, LoginThrottle, AuthRevision, AuditEvent, AuditChainHead,
  RecommendingUnit, Enterprise, Expert,
  Contest, Rubric, Track,
  Entry, EntryEvent, Attachment,
  ReviewDecision,
  Panel, PanelMember, DeclaredConflict, Assignment, PresentationSession, SessionSlot, SessionTimer, DisplayLink,
  ScoreSheet, ScoreSheetVersion,
  ResultSnapshot, ResultSnapshotEntry, ResultAdjustment, Objection,
  ReportDocument,
  Notification, NotificationMute, NotificationContact, SchedulerLock,
  ExpertiseTopic, ExpertProfile, EntryTopic,
];

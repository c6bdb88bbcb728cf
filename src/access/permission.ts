// Every per-object permission the server decides, as one closed list. Route decorators
// (@Authenticated) limit the roles; requireAccess(user, permission, ids) decides the objects.
// Two decisions are made from facts a use case already reads in its own locking query instead of
// by id (no extra round trip): a session's sign-off (session.access.ts) and a score sheet
// (sheet.access.ts), plus the contest draft rule (contest.access.ts), asked by every feature.
export const PERMISSIONS = [
  /** Read an entry, its attachments, its review decisions and its certificate. */
  'entry.read',
  /** An entry's review decisions: as entry.read, but not for the experts who judge it (the pre-review is not theirs). */
  'review.read',
  /** An entry's presentation schedule: its own enterprise and organizers. */
  'entry.schedule',
  /** Declare a conflict with an entry: an expert of a panel judging the entry's track. */
  'entry.declare_conflict',
  /** Download one attachment (whoever may read its entry). */
  'attachment.read',
  'unit.read',
  'enterprise.read',
  /** Approve or reject an enterprise's registration. */
  'enterprise.decide',
  'expert.read',
  /** A presentation session: organizers, and the members of its panel. */
  'session.read',
  /** A contest's live scoring progress (organizers). */
  'contest.progress',
  /** Run a session's projector display (timer, advance, display links, the organizer's stream): organizers. */
  'session.display',
  /** An excellent unit's certificate: its own recommenders and organizers. */
  'unit.certificate',
  /** A contest's year report: full statistics, the notice's 文号, the documents (organizers). */
  'contest.report',
  /** A message of the in-app inbox: its recipient only (404 for anyone else). */
  'notification.own',
  /** The outbox desk of a contest and a message in it (counts, errors, resend, reminders): organizers. */
  'outbox.manage',
  /** An expert's profile of expertise: organizers, and the expert itself (whose changes wait for approval: expertise.access.ts). */
  'expert.profile',
  /** An entry's topics (专业类别): its own enterprise, and organizers. */
  'entry.topics',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

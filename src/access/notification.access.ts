// Notifications: a message in the inbox is its recipient's alone (anyone else 404, as if it did
// not exist); the outbox desk (counts, failed messages, resend, reminding missing experts) is the
// organizers'. Every logged-in role has an inbox and its own notification settings.
import type { AuthUser } from '../auth/auth-user.js';

/** The outbox desk: organizers. */
export function canManageOutbox(user: Pick<AuthUser, 'role'>): boolean {
  return user.role === 'organizer';
}

// Who changes an expert's profile of expertise, and how: an organizer's change applies at once; the
// expert's own change waits for an organizer's approval (which object each may touch is the
// 'expert.profile' permission: any expert for organizers, itself for an expert).
import type { AuthUser } from '../auth/auth-user.js';

export type ProfileEditMode = 'apply' | 'propose';

export function profileEditMode(user: AuthUser): ProfileEditMode | null {
  if (user.role === 'organizer') return 'apply';
  if (user.role === 'expert' && user.expertId !== null) return 'propose';
  return null;
}

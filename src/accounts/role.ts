export const ROLES = ['admin', 'organizer', 'recommender', 'enterprise', 'expert'] as const;
export type Role = (typeof ROLES)[number];

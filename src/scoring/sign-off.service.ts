import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors.js';
import { Clock } from '../common/clock.js';
import { ContestsService } from '../contests/contests.service.js';
import { signOffRefusal } from '../access/session.access.js';
import { SCORING_TEXTS } from './scoring.errors.js';
import { iso, type SignOffResponse, type SignOffStatusResponse } from './scoring.dto.js';
import { wrongPhase } from './sheet-view.js';
import { type SessionSignOff, SignOffRepository } from './sign-off.repository.js';

/**
 * The panel leader's sign-off of a presentation session (and what it still lacks), and the phase
 * facts of scoring: leaving the presentation phase needs every assigned sheet submitted and every
 * session signed off (ContestsService asks through registerFactsProvider).
 */
@Injectable()
export class SignOffService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly signOffs: SignOffRepository,
    private readonly audit: AuditService,
    private readonly contests: ContestsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.contests.registerFactsProvider(async (m, contest, to, facts) => {
      if (to !== 'finalizing') return;
      facts.missingSheetCount = await this.signOffs.missingSheetCount(m, contest.id);
      facts.unsignedPanelCount = await this.signOffs.unsignedSessionCount(m, contest.id);
    });
  }

  /** The session's sign-off belongs to its panel's leader (src/access/session.access.ts): another member 403, anyone else 404. */
  private requireSignOff(user: AuthUser, s: SessionSignOff, act: 'status' | 'sign'): void {
    const refusal = signOffRefusal(user, { leaderExpertId: s.leaderExpertId, member: s.member }, act);
    if (refusal === 403) throw AppError.forbidden('not_panel_leader');
    if (refusal === 404) throw AppError.notFound();
  }

  /** The panel leader confirms the session once every assigned sheet of its non-absent entries is submitted. */
  async signOff(user: AuthUser, actor: Actor, sessionId: number): Promise<SignOffResponse> {
    return this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      now.setMilliseconds(0);
      // The session row lock first, so that the missing-sheet read below sees every reopen committed before it.
      const taken = await this.signOffs.take(m, sessionId, actor.id, now);
      const s = await this.signOffs.session(m, sessionId, user.expertId);
      if (!s) throw AppError.notFound();
      this.requireSignOff(user, s, 'sign');
      if (s.phase !== 'presentation') throw wrongPhase(s.phase ?? 'draft');
      if (!taken) return { sessionId, signedOffAt: iso(s.signedOffAt), signedOffBy: s.signedOffBy }; // already signed: idempotent
      const missing = await this.signOffs.missingOfSession(m, sessionId);
      if (missing.length) {
        // Scoring's text with the count (the lines themselves in details.missing).
        throw AppError.conflict('sheets_missing', SCORING_TEXTS.sheetsMissing(missing.length), { missing });
      }
      await this.audit.record(m, actor, {
        action: 'session.sign_off',
        targetType: 'presentation_session',
        targetId: sessionId,
        before: { signedOffAt: null },
        after: { signedOffAt: now.toISOString(), signedOffBy: actor.id },
      });
      return { sessionId, signedOffAt: iso(now), signedOffBy: actor.id };
    });
  }

  /**
   * What the panel leader sees before signing: the sign-off if any, and the sheets still missing.
   * The leader of the session's panel and organizers; another member 403, anyone else 404.
   */
  async signOffStatus(user: AuthUser, sessionId: number): Promise<SignOffStatusResponse> {
    const m = this.dataSource.manager;
    const s = await this.signOffs.session(m, sessionId, user.expertId);
    if (!s) throw AppError.notFound();
    this.requireSignOff(user, s, 'status');
    return { sessionId, signedOffAt: iso(s.signedOffAt), signedOffBy: s.signedOffBy, missing: await this.signOffs.missingOfSession(m, sessionId) };
  }
}

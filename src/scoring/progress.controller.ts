import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessService } from '../access/access.service.js';
import { canFollowProgress } from '../access/results.access.js';
import { AuthService } from '../auth/auth.service.js';
import { Authenticated, Public } from '../common/auth.decorators.js';
import { isDatabaseUnavailable } from '../database/db-errors.js';
import { ContestProgress, ProgressQuery, ProgressStreamQuery } from './scoring.dto.js';
import { ProgressService } from './progress.service.js';
import { Clock } from '../common/clock.js';
import { ParseIdPipe } from '../common/id.pipe.js';

/** Scoring progress of a contest (organizer): counts and missing names, never marks. */
@ApiTags('scoring')
@Controller('contests/:id/progress')
export class ProgressController {
  constructor(
    private readonly progress: ProgressService,
    private readonly access: AccessService,
    private readonly auth: AuthService,
    private readonly clock: Clock,
  ) {}

  /** Per session → per entry: assigned experts, drafted, submitted, missing (names); totals per session and panel (organizer). */
  @Get()
  @Authenticated('organizer')
  get(@Param('id', ParseIdPipe) id: number, @Query() q: ProgressQuery): Promise<ContestProgress> {
    return this.progress.progress(id, q.sessionId);
  }

  /**
   * Live progress as server-sent events (text/event-stream): the progress at once, then again on
   * every change (within a fraction of a second, from any instance), a heartbeat comment every 15 s. Organizer only. Browsers'
   * EventSource cannot send an Authorization header, so this route (and only this one) also takes
   * the token as `?access_token=`.
   */
  @Get('stream')
  @Public()
  @ApiBearerAuth()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'Server-sent events: each `data:` line is one ContestProgress (the body of GET /api/contests/{id}/progress) as JSON.',
    content: { 'text/event-stream': { schema: { type: 'string', description: 'data: <ContestProgress JSON>, one event per change; comments as heartbeats' } } },
  })
  @ApiUnauthorizedResponse({ description: 'Missing, invalid or expired token (header or access_token)' })
  @ApiForbiddenResponse({ description: 'Not an organizer' })
  async stream(@Param('id', ParseIdPipe) id: number, @Query() q: ProgressStreamQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' && /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '').trim() : undefined;
    const payload = await this.auth.verifyToken(bearer || q.access_token);
    const user = await this.auth.userForToken(payload);
    await this.access.requireAccess(user, 'contest.progress', [id]);
    // 404 for an unknown contest or session before the stream starts.
    await this.progress.progress(id, q.sessionId);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = String(v);
    headers['x-request-id'] = String(req.id);
    reply.hijack();
    const exp = payload.exp;
    const expiresAt = typeof exp === 'number' ? exp * 1000 : Infinity;
    this.progress.stream(reply.raw, headers, id, q.sessionId, async () => {
      // The stream ends with the token: expired, or the account deactivated or its password changed.
      if (this.clock.now().getTime() >= expiresAt) return false;
      try {
        const again = await this.auth.userForToken(payload);
        return canFollowProgress(again);
      } catch (e) {
        // A database outage does not end the organizer's session: the stream resumes when it is back.
        return isDatabaseUnavailable(e);
      }
    });
  }
}

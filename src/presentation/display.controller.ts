import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiGoneResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse,
  ApiProduces, ApiTags, ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessService } from '../access/access.service.js';
import { canRunDisplay } from '../access/session.access.js';
import type { Actor } from '../auth/auth-user.js';
import { AuthService } from '../auth/auth.service.js';
import { Authenticated, CurrentActor, Public } from '../common/auth.decorators.js';
import { Clock } from '../common/clock.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { isDatabaseUnavailable } from '../database/db-errors.js';
import {
  AdvanceDto, CreateDisplayLinkDto, DisplayLinkCreated, DisplayLinkResponse, DisplayState, DisplayStreamQuery, OrganizerStreamQuery,
} from './display.dto.js';
import { DisplayService } from './display.service.js';

const TIMER_CONFLICTS = 'wrong_phase (not in 现场发表), not_drawn, session_signed_off, no_presenting_entries';

/** The headers the framework set so far (CORS, request id), for a hijacked stream response. */
function streamHeaders(req: FastifyRequest, reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = String(v);
  headers['x-request-id'] = String(req.id);
  return headers;
}

/**
 * 现场发表投屏: the wall display of a session (who presents, the next two, the countdown) and the
 * organizer's timer controls. The state lives in the database and every display follows it by
 * server-sent events, whichever instance it is connected to.
 */
@ApiTags('presentation')
@Controller()
export class DisplayController {
  constructor(
    private readonly display: DisplayService,
    private readonly auth: AuthService,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  /** The session's wall as a display shows it (organizer). */
  @Get('sessions/:id/display')
  @Authenticated('organizer')
  @ApiOkResponse({ type: DisplayState })
  @ApiNotFoundResponse({ description: 'no such session' })
  state(@Param('id', ParseIdPipe) id: number): Promise<DisplayState> {
    return this.display.state(id);
  }

  /** Starts the timer: the first entry comes up if none has; a paused timer runs on (resume). 409 also timer_running. */
  @Post('sessions/:id/display/start')
  @HttpCode(200)
  @Authenticated('organizer')
  @ApiOkResponse({ type: DisplayState })
  @ApiConflictResponse({ description: `${TIMER_CONFLICTS}, timer_running` })
  start(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<DisplayState> {
    return this.display.act(actor, id, 'start');
  }

  /** Pauses the timer, keeping the remaining time. 409 also timer_not_running. */
  @Post('sessions/:id/display/pause')
  @HttpCode(200)
  @Authenticated('organizer')
  @ApiOkResponse({ type: DisplayState })
  @ApiConflictResponse({ description: `${TIMER_CONFLICTS}, timer_not_running` })
  pause(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<DisplayState> {
    return this.display.act(actor, id, 'pause');
  }

  /** Resets the timer of the entry presenting to its full time, paused. */
  @Post('sessions/:id/display/reset')
  @HttpCode(200)
  @Authenticated('organizer')
  @ApiOkResponse({ type: DisplayState })
  @ApiConflictResponse({ description: TIMER_CONFLICTS })
  reset(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<DisplayState> {
    return this.display.act(actor, id, 'reset');
  }

  /** The next entry in the order (absent ones skipped), or `entryId`; its full time, paused. 409 also no_next_entry, entry_absent. */
  @Post('sessions/:id/display/advance')
  @HttpCode(200)
  @Authenticated('organizer')
  @ApiOkResponse({ type: DisplayState })
  @ApiConflictResponse({ description: `${TIMER_CONFLICTS}, no_next_entry, entry_absent` })
  advance(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: AdvanceDto): Promise<DisplayState> {
    return this.display.act(actor, id, 'advance', dto);
  }

  /** Creates a display link for the wall's computer; the token is in this answer only (organizer). */
  @Post('sessions/:id/display-links')
  @Authenticated('organizer')
  @ApiCreatedResponse({ type: DisplayLinkCreated })
  @ApiNotFoundResponse({ description: 'no such session' })
  createLink(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: CreateDisplayLinkDto): Promise<DisplayLinkCreated> {
    return this.display.createLink(actor, id, dto.label);
  }

  /** The session's display links, revoked ones included (no tokens: only their hashes are kept). */
  @Get('sessions/:id/display-links')
  @Authenticated('organizer')
  @ApiOkResponse({ type: DisplayLinkResponse, isArray: true })
  listLinks(@Param('id', ParseIdPipe) id: number): Promise<DisplayLinkResponse[]> {
    return this.display.listLinks(id);
  }

  /** Revokes a display link: its page and stream answer 410 from now on, open streams end. */
  @Post('sessions/:id/display-links/:linkId/revoke')
  @HttpCode(200)
  @Authenticated('organizer')
  @ApiOkResponse({ type: DisplayLinkResponse })
  @ApiConflictResponse({ description: 'display_link_revoked (already)' })
  revokeLink(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Param('linkId', ParseIdPipe) linkId: number): Promise<DisplayLinkResponse> {
    return this.display.revokeLink(actor, id, linkId);
  }

  /** Organizer: the wall's live state as server-sent events; the token may come as ?access_token= (EventSource). */
  @Get('sessions/:id/display/stream')
  @Public()
  @ApiBearerAuth()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream: each `data:` is a DisplayState', type: DisplayState })
  @ApiUnauthorizedResponse({ description: 'Missing, invalid or expired token (header or access_token)' })
  @ApiForbiddenResponse({ description: 'Not an organizer' })
  async organizerStream(@Param('id', ParseIdPipe) id: number, @Query() q: OrganizerStreamQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' && /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '').trim() : undefined;
    const payload = await this.auth.verifyToken(bearer || q.access_token);
    const user = await this.auth.userForToken(payload);
    await this.access.requireAccess(user, 'session.display', [id]);
    await this.display.state(id);
    reply.hijack();
    const exp = payload.exp;
    const expiresAt = typeof exp === 'number' ? exp * 1000 : Infinity;
    this.display.stream(reply.raw, streamHeaders(req, reply), id, null, async () => {
      if (this.clock.now().getTime() >= expiresAt) return false;
      try {
        return canRunDisplay(await this.auth.userForToken(payload));
      } catch (e) {
        return isDatabaseUnavailable(e);
      }
    });
  }

  /** Public with a display link: the wall of the link's session (no login). 404 unknown link, 410 revoked. */
  @Get('display/state')
  @Public()
  @ApiHeader({ name: 'x-display-token', required: true, description: 'The display link token (the part after #/display/)' })
  @ApiOkResponse({ type: DisplayState })
  @ApiNotFoundResponse({ description: 'display_link_not_found' })
  @ApiGoneResponse({ description: 'display_link_revoked' })
  async linkState(@Headers('x-display-token') token: string | undefined): Promise<DisplayState> {
    const link = await this.display.resolve(token);
    return this.display.state(link.sessionId);
  }

  /** Public with a display link: the wall's live state as server-sent events; ends when the link is revoked. */
  @Get('display/stream')
  @Public()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream: each `data:` is a DisplayState', type: DisplayState })
  @ApiNotFoundResponse({ description: 'display_link_not_found' })
  @ApiGoneResponse({ description: 'display_link_revoked' })
  async linkStream(@Query() q: DisplayStreamQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const link = await this.display.resolve(q.access_token);
    await this.display.state(link.sessionId);
    reply.hijack();
    this.display.stream(reply.raw, streamHeaders(req, reply), link.sessionId, link.id, async () => {
      try {
        await this.display.resolve(q.access_token);
        return true;
      } catch (e) {
        return isDatabaseUnavailable(e);
      }
    });
  }

}

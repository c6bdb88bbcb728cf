import { Body, Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/auth-user.js';
import { Authenticated, CurrentActor } from '../common/auth.decorators.js';
import { SetTrackDto } from './presentation.dto.js';
import { PresentationService } from './presentation.service.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { PlacementResponse, SetTrackResponse } from './presentation-responses.dto.js';

/** Track placement (分组) of passed entries: organizers only. */
@ApiTags('presentation')
@Controller()
@Authenticated('organizer')
export class TracksController {
  constructor(private readonly presentation: PresentationService) {}

  /** Places every passed entry without a track by industry and type (most specific track, then lowest id); lists the unplaced. */
  @Post('contests/:id/tracks/place')
  @HttpCode(200)
  @ApiOkResponse({ type: PlacementResponse })
  place(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<PlacementResponse> {
    return this.presentation.placeTracks(actor, id);
  }

  /** Moves one entry to another track of its contest; refused (409 entry_in_session) once it is in a session. */
  @Patch('entries/:id/track')
  @ApiOkResponse({ type: SetTrackResponse })
  setTrack(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: SetTrackDto): Promise<SetTrackResponse> {
    return this.presentation.setTrack(actor, id, dto.trackId);
  }
}

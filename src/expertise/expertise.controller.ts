import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import {
  CreateTopicDto, EntryTopicsDto, EntryTopicsResponse, ExpertiseAssignDto, ExpertiseAssignmentResponse, ExpertProfileList, ExpertProfileResponse,
  PanelAffinityResponse, ProfileDto, TopicResponse, VocabularyResponse,
} from './expertise.dto.js';
import { ExpertiseAssignmentService } from './expertise-assignment.service.js';
import { ExpertiseService } from './expertise.service.js';

/** Assignment by expertise: the topic list, expert profiles, entry topics, the affinity heat map and the optimal assignment. */
@ApiTags('expertise')
@Controller()
export class ExpertiseController {
  constructor(
    private readonly expertise: ExpertiseService,
    private readonly assignment: ExpertiseAssignmentService,
  ) {}

  /** The vocabularies: the organizer's methods and specialties, the enterprises' industries, the entry types. */
  @Get('expertise/vocabulary')
  @Authenticated('organizer', 'expert', 'enterprise')
  @ApiOkResponse({ type: VocabularyResponse })
  vocabulary(): Promise<VocabularyResponse> {
    return this.expertise.vocabulary();
  }

  /** Adds a method or specialty to the list (organizers); 409 topic_name_taken. */
  @Post('expertise/topics')
  @Authenticated('organizer')
  @ApiCreatedResponse({ type: TopicResponse })
  createTopic(@CurrentActor() actor: Actor, @Body() dto: CreateTopicDto): Promise<TopicResponse> {
    return this.expertise.createTopic(actor, dto);
  }

  /** Deletes a topic nobody uses (organizers); 409 topic_in_use. */
  @Delete('expertise/topics/:id')
  @HttpCode(204)
  @Authenticated('organizer')
  async deleteTopic(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.expertise.deleteTopic(actor, id);
  }

  /** The experts' own profile changes waiting for approval (organizers). */
  @Get('expertise/pending-profiles')
  @Authenticated('organizer')
  @ApiOkResponse({ type: ExpertProfileList })
  pending(): Promise<ExpertProfileList> {
    return this.expertise.pending();
  }

  /** An expert's profile of expertise, with any change waiting for approval: organizers, and the expert itself. */
  @Get('experts/:id/profile')
  @Authenticated('organizer', 'expert')
  @ApiOkResponse({ type: ExpertProfileResponse })
  getProfile(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<ExpertProfileResponse> {
    return this.expertise.getProfile(user, id);
  }

  /** Replaces the profile: an organizer's change applies at once, the expert's own waits for an organizer's approval. */
  @Put('experts/:id/profile')
  @Authenticated('organizer', 'expert')
  @ApiOkResponse({ type: ExpertProfileResponse })
  putProfile(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ProfileDto): Promise<ExpertProfileResponse> {
    return this.expertise.putProfile(user, actor, id, dto);
  }

  /** Approves the expert's own change (organizers); 409 no_pending_profile. */
  @Post('experts/:id/profile/approve')
  @HttpCode(200)
  @Authenticated('organizer')
  @ApiOkResponse({ type: ExpertProfileResponse })
  approve(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<ExpertProfileResponse> {
    return this.expertise.decide(actor, id, true);
  }

  /** Rejects the expert's own change (organizers); 409 no_pending_profile. */
  @Post('experts/:id/profile/reject')
  @HttpCode(200)
  @Authenticated('organizer')
  @ApiOkResponse({ type: ExpertProfileResponse })
  reject(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<ExpertProfileResponse> {
    return this.expertise.decide(actor, id, false);
  }

  /** The entry's topics: its industry (its enterprise's), type, chosen topics; its own enterprise and organizers. */
  @Get('entries/:id/topics')
  @Authenticated('enterprise', 'organizer')
  @ApiOkResponse({ type: EntryTopicsResponse })
  getEntryTopics(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<EntryTopicsResponse> {
    return this.expertise.getEntryTopics(user, id);
  }

  /** Chooses the entry's topics from the organizer's list: its own enterprise and organizers. */
  @Put('entries/:id/topics')
  @Authenticated('enterprise', 'organizer')
  @ApiOkResponse({ type: EntryTopicsResponse })
  putEntryTopics(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: EntryTopicsDto): Promise<EntryTopicsResponse> {
    return this.expertise.putEntryTopics(user, actor, id, dto);
  }

  /** The panel's affinity heat map (members × entries), its current assignments with their reasons, and their coverage (organizers). */
  @Get('panels/:id/affinity')
  @Authenticated('organizer')
  @ApiOkResponse({ type: PanelAffinityResponse })
  affinity(@Param('id', ParseIdPipe) id: number): Promise<PanelAffinityResponse> {
    return this.assignment.panelAffinity(id);
  }

  /** Replaces the panel's assignments by the assignment of the largest total affinity (organizers); 409 assignment_infeasible names the unmet constraint. */
  @Post('panels/:id/assignments/expertise')
  @HttpCode(200)
  @Authenticated('organizer')
  @ApiOkResponse({ type: ExpertiseAssignmentResponse })
  assign(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ExpertiseAssignDto): Promise<ExpertiseAssignmentResponse> {
    return this.assignment.assign(actor, id, dto);
  }
}

import { Module } from '@nestjs/common';
import { PresentationModule } from '../presentation/presentation.module.js';
import { ExpertProfilesModule } from './expert-profiles.module.js';
import { ExpertiseAssignmentService } from './expertise-assignment.service.js';
import { ExpertiseController } from './expertise.controller.js';

/** Assignment by expertise: expert profiles, the topic list, entry topics, the affinity heat map and the optimal assignment. */
@Module({
  imports: [PresentationModule, ExpertProfilesModule],
  providers: [ExpertiseAssignmentService],
  controllers: [ExpertiseController],
})
export class ExpertiseModule {}

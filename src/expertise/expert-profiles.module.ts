import { Module } from '@nestjs/common';
import { ExpertiseService } from './expertise.service.js';

/** The profiles, topic list and entry topics on their own (no presentation), so the expert import can use them. */
@Module({
  providers: [ExpertiseService],
  exports: [ExpertiseService],
})
export class ExpertProfilesModule {}

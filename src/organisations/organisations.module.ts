import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { ExpertProfilesModule } from '../expertise/expert-profiles.module.js';
import { LoginThrottleService } from '../auth/login-throttle.service.js';
import { EnterprisesController } from './enterprises.controller.js';
import { EnterprisesService } from './enterprises.service.js';
import { ExpertsController } from './experts.controller.js';
import { ExpertsService } from './experts.service.js';
import { ImportsController } from './imports.controller.js';
import { ImportsService } from './imports.service.js';
import { OrganisationAccountsService } from './organisation-accounts.service.js';
import { OrganisationStatusService } from './organisation-status.service.js';
import { PublicOrganisationsController } from './public.controller.js';
import { RegistrationService } from './registration.service.js';
import { UnitsController } from './units.controller.js';
import { UnitsService } from './units.service.js';

/** Recommending units, enterprises and experts, their logins, their spreadsheet imports, and enterprise self-registration. */
@Module({
  imports: [AccountsModule, ExpertProfilesModule],
  // LoginThrottleService: stateless over the database counters, so its own instance here limits registrations.
  providers: [UnitsService, EnterprisesService, ExpertsService, OrganisationAccountsService, OrganisationStatusService, ImportsService, RegistrationService, LoginThrottleService],
  controllers: [UnitsController, EnterprisesController, ExpertsController, ImportsController, PublicOrganisationsController],
  exports: [UnitsService, EnterprisesService, ExpertsService],
})
export class OrganisationsModule {}

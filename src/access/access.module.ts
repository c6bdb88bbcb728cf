import { Global, Module } from '@nestjs/common';
import { AccessRepository } from './access.repository.js';
import { AccessService } from './access.service.js';

/** The one access layer (see README): global, so that every feature asks it the same way. */
@Global()
@Module({ providers: [AccessRepository, AccessService], exports: [AccessService, AccessRepository] })
export class AccessModule {}

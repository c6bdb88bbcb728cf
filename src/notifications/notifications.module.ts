import { Global, Module } from '@nestjs/common';
import { MailChannel, WebhookChannel } from './channels.js';
import { DeliveryWorker } from './delivery.worker.js';
import { NotificationDeskService } from './notification-desk.service.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { RemindersService } from './reminders.service.js';

/**
 * Notifications (issue 14): the outbox written by the use cases (NotificationsService.notify, one
 * line beside their audit record), the in-app inbox, e-mail and SMS/IM channels, the delivery worker
 * and the reminder scheduler. Global, so every feature injects NotificationsService without an import.
 */
@Global()
@Module({
  providers: [NotificationsService, NotificationDeskService, RemindersService, MailChannel, WebhookChannel, DeliveryWorker],
  controllers: [NotificationsController],
  exports: [NotificationsService],
})
export class NotificationsModule {}

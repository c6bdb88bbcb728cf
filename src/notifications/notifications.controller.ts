import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { NotificationDeskService } from './notification-desk.service.js';
import {
  InboxQuery, MarkedResponse, NotificationPage, NotificationResponse, NotificationSettingsResponse, OutboxMessagePage, OutboxMessageResponse, OutboxQuery,
  OutboxSummaryQuery, OutboxSummaryResponse, RemindMissingDto, RemindMissingResponse, UnreadCountResponse, UpdateNotificationSettingsDto,
} from './notifications.dto.js';

/**
 * 消息通知: every user's inbox (the bell) and settings; the organizer's outbox desk (counts per
 * kind and status, failed messages with their error, resend) and 提醒未评专家.
 */
@ApiTags('notifications')
@Controller()
export class NotificationsController {
  constructor(private readonly desk: NotificationDeskService) {}

  /** The caller's inbox, newest first. */
  @Get('notifications')
  @Authenticated()
  @ApiOkResponse({ type: NotificationPage })
  inbox(@CurrentUser() user: AuthUser, @Query() q: InboxQuery): Promise<NotificationPage> {
    return this.desk.inbox(user, q);
  }

  /** How many of the caller's messages are unread (the bell). */
  @Get('notifications/unread-count')
  @Authenticated()
  @ApiOkResponse({ type: UnreadCountResponse })
  unread(@CurrentUser() user: AuthUser): Promise<UnreadCountResponse> {
    return this.desk.unreadCount(user);
  }

  /** Marks every message of the caller read. */
  @Post('notifications/read-all')
  @HttpCode(200)
  @Authenticated()
  @ApiOkResponse({ type: MarkedResponse })
  readAll(@CurrentUser() user: AuthUser): Promise<MarkedResponse> {
    return this.desk.markAllRead(user);
  }

  /** Marks one of the caller's messages read (404 for anyone else's). */
  @Post('notifications/:id/read')
  @HttpCode(200)
  @Authenticated()
  @ApiOkResponse({ type: NotificationResponse })
  @ApiNotFoundResponse({ description: 'no such message of the caller' })
  read(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<NotificationResponse> {
    return this.desk.markRead(user, id);
  }

  /** The caller's e-mail address, mobile number and muted channels, with the kinds and the configured channels. */
  @Get('notifications/settings')
  @Authenticated()
  @ApiOkResponse({ type: NotificationSettingsResponse })
  settings(@CurrentUser() user: AuthUser): Promise<NotificationSettingsResponse> {
    return this.desk.settings(user);
  }

  /** Changes the caller's addresses and muted channels (400 invalid_email / invalid_phone on the field). */
  @Put('notifications/settings')
  @Authenticated()
  @ApiOkResponse({ type: NotificationSettingsResponse })
  updateSettings(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Body() dto: UpdateNotificationSettingsDto): Promise<NotificationSettingsResponse> {
    return this.desk.updateSettings(user, actor, dto);
  }

  /** The outbox desk: e-mail and SMS messages by kind and status (optionally of one contest). */
  @Get('outbox')
  @Authenticated('organizer')
  @ApiOkResponse({ type: OutboxSummaryResponse })
  outbox(@Query() q: OutboxSummaryQuery): Promise<OutboxSummaryResponse> {
    return this.desk.outboxSummary(q.contestId);
  }

  /** Outward messages, newest first, filtered by contest, status and kind (a dead one shows its last error). */
  @Get('outbox/messages')
  @Authenticated('organizer')
  @ApiOkResponse({ type: OutboxMessagePage })
  messages(@Query() q: OutboxQuery): Promise<OutboxMessagePage> {
    return this.desk.outboxMessages(q);
  }

  /** Sends a dead message again (409 notification_not_resendable unless dead); audited. */
  @Post('outbox/messages/:id/resend')
  @HttpCode(200)
  @Authenticated('organizer')
  @ApiOkResponse({ type: OutboxMessageResponse })
  @ApiNotFoundResponse({ description: 'no such outward message' })
  @ApiConflictResponse({ description: 'notification_not_resendable' })
  resend(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<OutboxMessageResponse> {
    return this.desk.resend(user, actor, id);
  }

  /** 提醒未评专家: reminds every expert with missing sheets of the contest (or one session); audited. 409 no_missing_experts. */
  @Post('contests/:id/notifications/remind-missing-experts')
  @HttpCode(200)
  @Authenticated('organizer')
  @ApiOkResponse({ type: RemindMissingResponse })
  @ApiNotFoundResponse({ description: 'no such contest or session of it' })
  @ApiConflictResponse({ description: 'no_missing_experts' })
  remind(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: RemindMissingDto): Promise<RemindMissingResponse> {
    return this.desk.remindMissing(user, actor, id, dto);
  }
}

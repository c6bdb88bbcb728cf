// Requests and responses of the notification routes (inbox, settings, the outbox desk, reminders).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageOf, PageQuery } from '../common/pagination.js';
import { KIND_LIST, MUTABLE_CHANNELS, STATUSES } from './notification-rules.js';

export class InboxQuery extends PageQuery {
  /** true: only unread messages. */
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  unread?: boolean;
}

/** One message of the caller's inbox. */
export class NotificationResponse {
  id: number;
  @ApiProperty({ enum: KIND_LIST }) kind: string;
  /** The kind in Chinese. */
  kindName: string;
  contestId: number | null;
  subject: string;
  body: string;
  /** Deep link into the web interface (a hash route, e.g. #/enterprise/entry/12). */
  link: string;
  createdAt: string;
  readAt: string | null;
}

export class NotificationPage extends PageOf(NotificationResponse) {}

export class UnreadCountResponse {
  unread: number;
}

export class MarkedResponse {
  /** How many messages were marked read. */
  marked: number;
}

export class MuteDto {
  @ApiProperty({ enum: KIND_LIST }) @IsIn(KIND_LIST) kind: string;
  @ApiProperty({ enum: MUTABLE_CHANNELS }) @IsIn(MUTABLE_CHANNELS) channel: string;
}

export class MuteResponse {
  @ApiProperty({ enum: KIND_LIST }) kind: string;
  @ApiProperty({ enum: MUTABLE_CHANNELS }) channel: string;
}

export class UpdateNotificationSettingsDto {
  /** Where e-mail goes (null or empty: none). */
  @IsOptional() @IsString() @MaxLength(200)
  @ApiPropertyOptional({ nullable: true, type: String })
  email?: string | null;
  /** A mobile number for SMS (11 digits starting with 1; null or empty: none). */
  @IsOptional() @IsString() @MaxLength(32)
  @ApiPropertyOptional({ nullable: true, type: String })
  phone?: string | null;
  /** The channels muted per kind (replaces the list); the inbox cannot be muted. */
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => MuteDto)
  mutes?: MuteDto[];
}

export class KindOption {
  @ApiProperty({ enum: KIND_LIST }) kind: string;
  name: string;
}

export class ChannelsConfigured {
  /** SMTP_URL is set. */
  email: boolean;
  /** SMS_WEBHOOK_URL is set. */
  sms: boolean;
}

export class NotificationSettingsResponse {
  email: string | null;
  phone: string | null;
  @ApiProperty({ type: () => [MuteResponse] }) mutes: MuteResponse[];
  @ApiProperty({ type: () => [KindOption] }) kinds: KindOption[];
  @ApiProperty({ type: () => ChannelsConfigured }) channels: ChannelsConfigured;
}

export class OutboxQuery extends PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  contestId?: number;
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES)
  status?: string;
  @ApiPropertyOptional({ enum: KIND_LIST }) @IsOptional() @IsIn(KIND_LIST)
  kind?: string;
}

export class OutboxSummaryQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  contestId?: number;
}

/** Counts of the outward messages (e-mail, SMS) of one kind by status. */
export class OutboxKindCounts {
  @ApiProperty({ enum: KIND_LIST }) kind: string;
  kindName: string;
  pending: number;
  sent: number;
  dead: number;
  /** Not sent because the channel is not configured or the recipient has no address (not a failure). */
  skipped: number;
}

export class OutboxSummaryResponse {
  @ApiProperty({ type: () => ChannelsConfigured }) channels: ChannelsConfigured;
  @ApiProperty({ type: () => [OutboxKindCounts] }) byKind: OutboxKindCounts[];
  @ApiProperty({ type: () => OutboxKindCounts }) totals: OutboxKindCounts;
}

/** One outward message as the organizer's desk shows it. */
export class OutboxMessageResponse {
  id: number;
  @ApiProperty({ enum: KIND_LIST }) kind: string;
  kindName: string;
  @ApiProperty({ enum: ['email', 'sms'] }) channel: string;
  contestId: number | null;
  userId: number | null;
  /** The recipient's account name, if any. */
  recipient: string | null;
  address: string | null;
  subject: string;
  @ApiProperty({ enum: STATUSES }) status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
  sentAt: string | null;
}

export class OutboxMessagePage extends PageOf(OutboxMessageResponse) {}

export class RemindMissingDto {
  /** Only this session's missing sheets (default: every session of the contest). */
  @IsOptional() @IsInt() @Min(1)
  sessionId?: number;
}

export class RemindedExpert {
  expertId: number;
  name: string;
  /** Sheets still to submit. */
  missing: number;
}

export class RemindMissingResponse {
  @ApiProperty({ type: () => [RemindedExpert] }) experts: RemindedExpert[];
  /** Messages written to the outbox (inbox, e-mail, SMS). */
  messages: number;
}

/** 11 digits starting with 1, after removing spaces and dashes. */
export const PHONE_RE = /^1\d{10}$/;
export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Where the initial credentials of a new account also go (the organizer picks; never the inbox). */
export class DeliverCredentialsDto {
  @ApiProperty({ enum: MUTABLE_CHANNELS }) @IsIn(MUTABLE_CHANNELS)
  channel: string;
  /** The e-mail address or the 11-digit mobile number. */
  @IsString() @MaxLength(200)
  address: string;
}

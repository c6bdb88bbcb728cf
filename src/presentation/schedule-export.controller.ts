import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentUser } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { contentDisposition } from '../entries/file-name.js';
import { ICS_MIME, ScheduleExportService, XLSX_MIME, type ScheduleFile } from './schedule-export.service.js';

function download(file: ScheduleFile): StreamableFile {
  return new StreamableFile(file.body, { type: file.mime, disposition: contentDisposition(file.name), length: file.body.length });
}

/** 现场发表日程 as files: xlsx for the office, iCalendar for everyone's calendar. */
@ApiTags('presentation')
@Controller()
export class ScheduleExportController {
  constructor(private readonly schedules: ScheduleExportService) {}

  /** The contest's sessions as an Excel workbook, one sheet per session (slot, times in China time, team, enterprise, title, check-in): organizers. */
  @Get('contests/:id/schedule.xlsx')
  @Authenticated('organizer')
  @ApiProduces(XLSX_MIME)
  @ApiOkResponse({ description: '现场发表日程 (xlsx)', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'no such contest' })
  @Header('cache-control', 'private, no-store')
  async xlsx(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return download(await this.schedules.xlsx(user, id));
  }

  /**
   * The drawn presentation slots as an iCalendar file (one VEVENT per slot, Asia/Shanghai, stable
   * UIDs): an organizer gets every slot, an enterprise its own entries' slots, an expert the slots of
   * its assigned entries.
   */
  @Get('contests/:id/schedule.ics')
  @Authenticated('organizer', 'enterprise', 'expert')
  @ApiProduces(ICS_MIME)
  @ApiOkResponse({ description: '现场发表日程 (text/calendar)', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'no such contest' })
  @Header('cache-control', 'private, no-store')
  async ics(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return download(await this.schedules.ics(user, id));
  }
}

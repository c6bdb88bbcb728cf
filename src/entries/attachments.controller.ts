import { Controller, Get, Header, Param, Post, Req, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse, ApiUnsupportedMediaTypeResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser } from '../common/auth.decorators.js';
import { AttachmentsService } from './attachments.service.js';
import { ATTACHMENT_KINDS } from './entry.entities.js';
import { contentDisposition } from './file-name.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { ApiFile } from '../common/api-docs.js';
import { AttachmentList } from './entries-responses.dto.js';

/** Attachments of an entry: uploaded by its enterprise, read by whoever may see the entry. */
@ApiTags('attachments')
@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  /**
   * Uploads a new version of an attachment (enterprise, while the entry is editable): multipart/form-data
   * with the field `kind` (report | slides | evidence; before or after the file) and one file in `file`.
   * The type is judged by content: report PDF; slides PDF or PPTX; evidence PDF, PNG, JPEG, DOCX, XLSX or PPTX
   * (415 `file_type_not_allowed`). A PDF must be whole: trailer, parseable objects, at least one page (422 `invalid_pdf`).
   */
  @Post('entries/:id/attachments')
  @Authenticated('enterprise')
  @ApiConsumes('multipart/form-data')
  @ApiUnsupportedMediaTypeResponse({ description: '`file_type_not_allowed`: the content is not a type this kind accepts' })
  @ApiUnprocessableEntityResponse({ description: '`invalid_pdf`: starts like a PDF but is truncated, damaged or has no page' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['kind', 'file'],
      properties: { kind: { type: 'string', enum: [...ATTACHMENT_KINDS] }, file: { type: 'string', format: 'binary' } },
    },
  })
  upload(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Req() req: FastifyRequest) {
    return this.attachments.upload(user, actor, id, req);
  }

  /** Every version of the entry's attachments (`current` marks the latest of each kind). */
  @Get('entries/:id/attachments')
  @Authenticated('enterprise', 'recommender', 'organizer', 'expert')
  @ApiOkResponse({ type: AttachmentList })
  list(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<AttachmentList> {
    return this.attachments.list(user, id);
  }

  /** The file itself, with its detected type and original name (404 for anyone who may not see the entry). */
  @Get('attachments/:id/download')
  @Authenticated('enterprise', 'recommender', 'organizer', 'expert')
  @ApiFile('application/octet-stream', 'The file, with its detected Content-Type (application/pdf, image/png, …) and original name')
  @Header('cache-control', 'private, no-store')
  async download(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    const { attachment, stream } = await this.attachments.open(user, id);
    return new StreamableFile(stream, {
      type: attachment.mime,
      disposition: contentDisposition(attachment.originalName),
      length: attachment.size,
    });
  }
}

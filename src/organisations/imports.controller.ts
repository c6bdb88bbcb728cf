import type { MultipartFile } from '@fastify/multipart';
import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { ApiFile } from '../common/api-docs.js';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../auth/auth-user.js';
import { Authenticated, CurrentActor } from '../common/auth.decorators.js';
import { AppError, fieldError } from '../common/errors.js';
import { ORGANISATIONS_TEXTS as T } from './organisations.errors.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ImportKindParam, ImportQuery } from './imports.dto.js';
import { ImportsService } from './imports.service.js';
import { templateWorkbook } from './spreadsheet.js';


const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** An import file is at most 5 MB (or the general upload limit, if that is lower). */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
const TEMPLATE_NAMES = { units: '推荐单位导入模板', enterprises: '企业导入模板', experts: '评审专家导入模板' } as const;

/** Spreadsheet (xlsx or CSV) imports of units, enterprises and experts (organizers). */
@ApiTags('organisations')
@Controller('imports')
@Authenticated('organizer')
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Downloads the xlsx template of an import: its header row, and a sheet explaining each column. */
  @Get(':kind/template')
  @ApiFile(XLSX, 'The xlsx template')
  async template(@Param() p: ImportKindParam): Promise<StreamableFile> {
    const name = `${TEMPLATE_NAMES[p.kind]}.xlsx`;
    return new StreamableFile(await templateWorkbook(p.kind), {
      type: XLSX,
      disposition: `attachment; filename="${p.kind}-template.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
  }

  /**
   * Imports an xlsx or CSV (UTF-8, RFC 4180) file, multipart field `file`, at most 5 MB; the format is
   * told by the content. Every row is checked first; if any row is wrong nothing is written and the
   * errors name each row and column. `dryRun=true` only checks.
   */
  @Post(':kind')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: '.xlsx workbook or UTF-8 CSV (first row: column headers), at most 5 MB' } },
    },
  })
  async run(@CurrentActor() actor: Actor, @Param() p: ImportKindParam, @Query() q: ImportQuery, @Req() req: FastifyRequest) {
    const fileRequired = () =>
      AppError.badRequest('import_file_required', undefined, [
        fieldError('file', 'required', T.required('file')),
      ]);
    if (!req.isMultipart()) throw fileRequired();
    const part: MultipartFile | undefined = await req.file({ limits: { fileSize: Math.min(this.config.uploadLimitBytes, IMPORT_MAX_BYTES) } });
    if (!part) throw fileRequired();
    // Over the limit, toBuffer() fails with a 413 (FST_REQ_FILE_TOO_LARGE) that the error filter reports.
    const buffer = await part.toBuffer();
    return this.imports.run(actor, p.kind, { buffer, filename: part.filename }, q.dryRun === 'true');
  }
}

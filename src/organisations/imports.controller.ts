import type { MultipartFile } from '@fastify/multipart';
import { Controller, Get, HttpCode, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../auth/auth-user.js';
import { Authenticated, CurrentActor } from '../common/auth.decorators.js';
import { AppError, fieldError } from '../common/errors.js';
import { ImportKindParam, ImportQuery } from './imports.dto.js';
import { ImportsService } from './imports.service.js';
import { templateWorkbook } from './spreadsheet.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TEMPLATE_NAMES = { units: '推荐单位导入模板', enterprises: '企业导入模板', experts: '评审专家导入模板' } as const;

/** Spreadsheet imports of units, enterprises and experts (organizers). */
@ApiTags('organisations')
@Controller('imports')
@Authenticated('organizer')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  /** Downloads the xlsx template of an import: its header row, and a sheet explaining each column. */
  @Get(':kind/template')
  async template(@Param() p: ImportKindParam): Promise<StreamableFile> {
    const name = `${TEMPLATE_NAMES[p.kind]}.xlsx`;
    return new StreamableFile(await templateWorkbook(p.kind), {
      type: XLSX,
      disposition: `attachment; filename="${p.kind}-template.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
  }

  /**
   * Imports an xlsx file (multipart field `file`). Every row is checked first; if any row is wrong
   * nothing is written and the errors name each row and column. `dryRun=true` only checks.
   */
  @Post(':kind')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  async run(@CurrentActor() actor: Actor, @Param() p: ImportKindParam, @Query() q: ImportQuery, @Req() req: FastifyRequest) {
    const fileRequired = () =>
      AppError.badRequest('import_file_required', { zh: '请上传 .xlsx 文件（表单字段 file）', en: 'Upload an .xlsx file in the form field "file"' }, [
        fieldError('file', 'required', '必填', 'file is required'),
      ]);
    if (!req.isMultipart()) throw fileRequired();
    const part: MultipartFile | undefined = await req.file();
    if (!part) throw fileRequired();
    // Over the upload limit, toBuffer() fails with a 413 that the error filter reports.
    const buffer = await part.toBuffer();
    return this.imports.run(actor, p.kind, { buffer, filename: part.filename }, q.dryRun === 'true');
  }
}

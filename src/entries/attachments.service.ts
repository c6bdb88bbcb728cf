import type {} from '@fastify/multipart';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AppError, fieldError, MESSAGES } from '../common/errors.js';
import { ENTRIES_TEXTS as T } from './entries.errors.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Contest } from '../contests/contest.entities.js';
import { type AttachmentResponse, toAttachmentResponse } from './entries.dto.js';
import { nowSeconds } from '../database/write-lock.js';
import { findOneOrNull } from '../database/row-lock.js';
import { EntriesService } from './entries.service.js';
import { canEdit } from './entry-rules.js';
import { ATTACHMENT_KINDS, Attachment, type AttachmentKind, type Entry } from './entry.entities.js';
import { acceptableFileName } from './file-name.js';
import { contentKey, FILE_STORAGE, type FileStorage, sha256Hex } from './file-storage.js';
import { ALLOWED_TYPES, detectFileType, isAllowedFor, MIME_OF } from './file-type.js';
import { documentThread } from '../common/document-thread.js';
import { Clock } from '../common/clock.js';

interface UploadForm {
  kind?: string;
  file?: { filename: string; data: Buffer };
  unknown: string[];
}

/**
 * Attachments (成果报告, 发表材料, 证明材料): checked by content, stored by content hash behind
 * FileStorage, versioned per kind (earlier versions are kept and listed).
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly entries: EntriesService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  private async assertEditable(m: EntityManager, entry: Entry): Promise<void> {
    const contest = await findOneOrNull(m, Contest, { id: entry.contestId });
    if (!contest || !canEdit(entry.status, contest.phase)) throw AppError.conflict('entry_not_editable', T.attachmentNotEditable);
  }

  /**
   * Reads the multipart body: the field `kind` and one file in the field `file`, in either order.
   * Parser failures become coded client errors, never a 500.
   */
  private async readForm(req: FastifyRequest): Promise<UploadForm> {
    if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
    const form: UploadForm = { unknown: [] };
    try {
      // preservePath: busboy would otherwise strip "../" and hide the attempt from the name check.
      for await (const part of req.parts({ preservePath: true })) {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          if (part.fieldname === 'file' && !form.file) form.file = { filename: part.filename, data };
          else form.unknown.push(part.fieldname);
        } else if (part.fieldname === 'kind' && form.kind === undefined) {
          form.kind = String(part.value);
        } else {
          form.unknown.push(part.fieldname);
        }
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw this.tooLarge();
      if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw new AppError(415, 'unsupported_media_type');
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
        throw AppError.badRequest('too_many_parts');
      }
      throw AppError.badRequest('malformed_multipart');
    }
    return form;
  }

  private tooLarge(): AppError {
    const mib = (this.config.uploadLimitBytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
    return new AppError(413, 'file_too_large', T.fileTooLarge(mib), undefined, {
      limitBytes: this.config.uploadLimitBytes,
    });
  }

  async upload(user: AuthUser, actor: Actor, entryId: number, req: FastifyRequest): Promise<AttachmentResponse> {
    // Refuse before reading the body when the caller may not upload at all.
    const seen = await this.entries.findVisible(this.dataSource.manager, user, entryId);
    await this.assertEditable(this.dataSource.manager, seen);

    const form = await this.readForm(req);
    const problems = form.unknown.map((f) => fieldError(f, 'unknown_field', T.unknownField(f)));
    if (form.kind === undefined) problems.push(fieldError('kind', 'required', T.kindRequired));
    else if (!(ATTACHMENT_KINDS as readonly string[]).includes(form.kind)) {
      problems.push(fieldError('kind', 'is_in', T.kindNotAllowed(ATTACHMENT_KINDS)));
    }
    if (!form.file) problems.push(fieldError('file', 'required', T.fileRequired));
    if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
    const kind = form.kind as AttachmentKind;
    const { filename, data } = form.file as { filename: string; data: Buffer };

    const name = acceptableFileName(filename);
    if (name === null) {
      throw AppError.badRequest('file_name_invalid', undefined, [fieldError('file', 'file_name_invalid', T.fileNameInvalid)]);
    }
    if (data.length === 0) {
      throw AppError.badRequest('file_empty', undefined, [fieldError('file', 'file_empty', MESSAGES.file_empty)]);
    }
    if (data.length > this.config.uploadLimitBytes) throw this.tooLarge();
    const type = detectFileType(data);
    if (!isAllowedFor(kind, type)) {
      const allowed = ALLOWED_TYPES[kind];
      throw new AppError(
        415,
        'file_type_not_allowed',
        T.fileTypeNotAllowed(allowed),
        undefined,
        { kind, allowed, detected: type },
      );
    }
    if (type === 'pdf' && !(await documentThread.call('isSoundPdf', data))) {
      throw AppError.unprocessable('invalid_pdf', undefined, [fieldError('file', 'invalid_pdf', T.pdfInvalid)], { kind, detected: type });
    }

    const sha256 = sha256Hex(data);
    const storageKey = contentKey(sha256);
    // Stored before the row: a failed transaction leaves at most an unreferenced, content-addressed file.
    await this.storage.put(storageKey, data);

    return this.dataSource.transaction(async (m) => {
      const entry = await this.entries.findVisible(m, user, entryId, true);
      // Again inside the transaction: the entry or the contest may have moved on while the body arrived.
      await this.assertEditable(m, entry);
      // The entry row is locked above, which orders uploads to one entry; locking the attachment range
      // too would take gap locks that deadlock with uploads to neighbouring entries.
      const last = await findOneOrNull(m, Attachment, { entryId, kind }, { order: { version: 'DESC' } });
      const row = m.getRepository(Attachment).create({
        entryId,
        kind,
        version: (last?.version ?? 0) + 1,
        originalName: name,
        mime: MIME_OF[type],
        size: data.length,
        sha256,
        storageKey,
        uploadedBy: user.id,
        createdAt: nowSeconds(this.clock),
      });
      await m.getRepository(Attachment).save(row);
      const out = toAttachmentResponse(row, true);
      await this.audit.record(m, actor, {
        action: 'attachment.upload',
        targetType: 'attachment',
        targetId: row.id,
        after: { entryId, kind, version: row.version, originalName: name, mime: row.mime, size: row.size, sha256 },
      });
      return out;
    });
  }

  /** Every version of every kind, newest first within a kind. */
  async list(user: AuthUser, entryId: number): Promise<{ items: AttachmentResponse[]; total: number }> {
    await this.entries.findVisible(this.dataSource.manager, user, entryId);
    const rows = await this.dataSource.getRepository(Attachment).find({ where: { entryId }, order: { kind: 'ASC', version: 'DESC' } });
    const latest = new Map<string, number>();
    for (const r of rows) latest.set(r.kind, Math.max(latest.get(r.kind) ?? 0, r.version));
    const items = rows.map((r) => toAttachmentResponse(r, latest.get(r.kind) === r.version));
    return { items, total: items.length };
  }

  /** The bytes of an attachment, for whoever may see its entry (404 for everyone else). */
  async open(user: AuthUser, attachmentId: number): Promise<{ attachment: Attachment; stream: Readable }> {
    await this.access.requireAccess(user, 'attachment.read', [attachmentId]);
    const attachment = await this.dataSource.getRepository(Attachment).findOneBy({ id: attachmentId });
    if (!attachment) throw AppError.notFound();
    return { attachment, stream: await this.storage.get(attachment.storageKey) };
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { writeRefusal } from '../access/sheet.access.js';
import { AuditService, chainKeyOf, type AuditRecord } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import type { Stage } from '../contests/contest.entities.js';
import { isDatabaseUnavailable } from '../database/db-errors.js';
import { GroupCommit, type Outcome, type Release } from '../database/group-commit.js';
import { BEGIN_STATEMENT, COMMIT_STATEMENT, pipelinedTransaction } from '../database/pipelined-transaction.js';
import { isRetryableRace, RaceLost, retrying, retryingTransaction } from '../database/retry.js';
import type { RubricItem } from '../judging/rubric.js';
import { ProgressService } from './progress.service.js';
import type { SaveSheetDto, SheetResponse } from './scoring.dto.js';
import { SCORING_TEXTS } from './scoring.errors.js';
import { checkedWrite } from './sheet-context.js';
import { contentHash } from './sheet-rules.js';
import { auditState, refuse, toSheetResponse } from './sheet-view.js';
import { type ContextRow, type NewVersion, SheetsRepository, type SheetState, type SheetWrite } from './sheets.repository.js';
import { batch as sendBatch, supportsBatch } from './sql.js';

/** One expert's submit as the route received it. */
interface SubmitRequest {
  user: AuthUser;
  actor: Actor;
  entryId: number;
  stage: Stage;
  dto: SaveSheetDto;
}

/** A submit of the batch that writes: what its checks read and what it will store. */
interface PlannedWrite {
  index: number;
  request: SubmitRequest;
  row: ContextRow;
  items: readonly RubricItem[];
  sheet: SheetState | null;
  expertId: number;
  rubricId: number;
  write: SheetWrite;
  content: { marks: Record<string, number>; comments: Record<string, string>; total: number };
  hash: string;
}

/** A batch with a chain that has no head yet cannot be pipelined (record() locks the head): it takes the locking path. */
class LockingAuditNeeded extends Error {
  constructor() {
    super('an audit chain without a head: the locking path');
  }
}

/**
 * Most submits committed in one transaction: bounds the statements (≈ 15 bound values per sheet and
 * table) and how long one batch holds its row locks.
 */
export const SUBMIT_BATCH_MAX = 64;

/**
 * The expert's submit, group-committed: submits that arrive while a batch is being committed are
 * committed together in the next one, in ONE transaction (one context read for all, one multi-row
 * insert per table, the audit links in one statement pair), each answered on its own: its sheet, or
 * its own refusal (403/404/409/400), never another's. A lone submit is committed at once. Two submits
 * of one sheet, or of one audit chain (one expert), never share a batch: the later waits for the
 * next, and there reads the first's result (idempotent answer or sheet_locked). A batch that lost a
 * race runs again whole (retry.ts); one that still fails is run one submit at a time (group-commit.ts);
 * a database outage answers 503 to every waiting submit. On MySQL/MariaDB two batches overlap,
 * staggered: the next batch forms once the one in flight has sent its last round trip (its versions,
 * audit links and COMMIT), so it reads its context while the other commits, and batches stay as
 * large as with one in flight. Two batches formed at once were smaller and cost more CPU per submit
 * (bench:scoring, loaded machine: 0.43–0.45 ms at 1, 0.46–0.55 at 2, 0.72–0.73 at 4, 0.54–1.20 at
 * 8), no faster; staggered, the service is idle less while the database works (figures in the README).
 */
@Injectable()
export class SheetSubmitService {
  private readonly commits: GroupCommit<SubmitRequest, SheetResponse>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sheets: SheetsRepository,
    private readonly audit: AuditService,
    private readonly progress: ProgressService,
    private readonly clock: Clock,
  ) {
    const pipelines = supportsBatch(dataSource.manager);
    this.commits = new GroupCommit((batch, release) => this.commit(batch, release), {
      maxBatch: SUBMIT_BATCH_MAX,
      // SQLite's one connection runs one transaction at a time: one batch in flight there.
      maxInFlight: pipelines ? 2 : 1,
      staggered: true,
      keysOf: (r) => [`sheet:${r.user.expertId ?? `user ${r.user.id}`}:${r.entryId}:${r.stage}`, `chain:${chainKeyOf(r.actor)}`],
      failsAll: isDatabaseUnavailable,
      // SQLite commits without yielding to I/O: the submits read in one turn are gathered into one batch.
      gather: !pipelines,
    });
  }

  /**
   * Submits: every item marked, total computed here, the sheet locked and a version written.
   * The same content again is answered with the same version (idempotent); concurrent submits of
   * one sheet produce exactly one version (one per batch, unique keys, conditional update on lock_version).
   */
  async submit(user: AuthUser, actor: Actor, entryId: number, stage: Stage, dto: SaveSheetDto): Promise<SheetResponse> {
    const out = await this.commits.submit({ user, actor, entryId, stage, dto });
    // A committed sheet change reaches this instance's live progress streams at once (others poll).
    this.progress.changed(out.contestId);
    return out;
  }

  /**
   * One batch in one transaction, run again whole when it lost a race; every attempt lost: 409
   * stale_version. On MySQL/MariaDB the transaction is pipelined (its BEGIN and COMMIT ride on the
   * batch's first and last statements: three round trips); on SQLite, or for a chain without a head,
   * an ordinary transaction.
   */
  private async commit(batch: readonly SubmitRequest[], release: Release): Promise<Outcome<SheetResponse>[]> {
    const exhausted = () => AppError.conflict('stale_version', SCORING_TEXTS.stale_version);
    if (supportsBatch(this.dataSource.manager)) {
      try {
        return await retrying(() => pipelinedTransaction(this.dataSource, (m) => this.write(m, batch, release)), isRetryableRace, exhausted);
      } catch (e) {
        if (!(e instanceof LockingAuditNeeded)) throw e;
      }
    }
    return retryingTransaction(this.dataSource, (m) => this.write(m, batch, null), exhausted);
  }

  /**
   * The batch's work. Pipelined (`release` given): it also sends its transaction's BEGIN and COMMIT
   * (pipelinedTransaction), and releases the next batch once its last round trip is sent.
   */
  private async write(m: EntityManager, batch: readonly SubmitRequest[], release: Release | null): Promise<Outcome<SheetResponse>[]> {
    const pipelined = release !== null;
    const rows = await this.sheets.contexts(
      m,
      batch.map((r) => ({ expertId: r.user.expertId, chainKey: chainKeyOf(r.user), entryId: r.entryId, stage: r.stage })),
      pipelined ? [BEGIN_STATEMENT] : [],
    );
    const now = this.clock.now();
    now.setMilliseconds(0);
    const outcomes: Outcome<SheetResponse>[] = new Array(batch.length);
    const writes: PlannedWrite[] = [];
    for (let i = 0; i < batch.length; i++) {
      try {
        const planned = await this.plan(m, i, batch[i]!, rows[i], now);
        if ('answer' in planned) outcomes[i] = { ok: true, value: planned.answer };
        else writes.push(planned);
      } catch (e) {
        // A refusal is this submit's own answer; anything else (the database) fails the batch.
        if (!(e instanceof AppError)) throw e;
        outcomes[i] = { ok: false, error: e };
      }
    }
    if (!writes.length) {
      if (pipelined) await sendBatch(m, [COMMIT_STATEMENT]);
      return outcomes;
    }

    const inserts = writes.filter((w) => !w.sheet);
    const updates = writes.filter((w) => w.sheet);
    const { ids, updated } = await this.sheets.writeSubmitted(
      m,
      inserts.map((w) => ({ ...w.write, contestId: w.row.contestId, entryId: w.request.entryId, expertId: w.expertId, stage: w.request.stage, rubricId: w.rubricId })),
      updates.map((w) => ({ ...w.write, id: w.sheet!.id as number, lockVersion: w.sheet!.lockVersion })),
    );
    if (!updated) throw new RaceLost();
    const idOf = new Map(inserts.map((w, k) => [w, ids[k]!]));

    const versions: NewVersion[] = [];
    const links: Parameters<AuditService['linkStatements']>[0][number][] = [];
    const unlinked: { actor: Actor; rec: AuditRecord }[] = [];
    for (const w of writes) {
      const { request: r, sheet, write, content } = w;
      const id = w.sheet ? (w.sheet.id as number) : idOf.get(w)!;
      const next: SheetState = {
        id,
        status: 'submitted',
        marks: content.marks,
        comments: content.comments,
        total: content.total,
        rubricId: w.rubricId,
        version: write.version,
        lockVersion: (sheet?.lockVersion ?? 0) + 1,
        reopenReason: sheet?.reopenReason ?? null,
        submittedAt: now,
        createdAt: sheet?.createdAt ?? now,
        updatedAt: now,
      };
      versions.push({ sheetId: id, version: write.version, marks: write.marks, comments: write.comments, total: content.total, contentHash: w.hash, submittedBy: r.actor.id, submittedAt: now });
      const rec: AuditRecord = {
        action: 'sheet.submit',
        targetType: 'score_sheet',
        targetId: id,
        before: sheet ? auditState({ ...sheet, id, entryId: r.entryId, stage: r.stage }) : null,
        after: { ...auditState({ ...next, id, entryId: r.entryId, stage: r.stage }), contentHash: w.hash },
      };
      // The chain head was read with the context (no lock): a concurrent writer of the chain makes
      // the event's unique key refuse the insert, or the guarded head update miss (RaceLost).
      if (chainKeyOf(r.actor) === chainKeyOf(r.user) && w.row.chainSeq !== null && w.row.chainSeq !== undefined && w.row.chainHash) {
        links.push({ actor: r.actor, rec, head: { seq: Number(w.row.chainSeq), lastHash: w.row.chainHash } });
      } else {
        unlinked.push({ actor: r.actor, rec });
      }
      outcomes[w.index] = { ok: true, value: toSheetResponse(w.row, w.expertId, r.stage, w.items, next) };
    }
    // A chain without a head yet (not a user's: users get theirs when created): the locking path.
    if (unlinked.length && pipelined) throw new LockingAuditNeeded();
    for (const u of unlinked) await this.audit.record(m, u.actor, u.rec);
    const linkStatements = this.audit.linkStatements(links);
    const sent = this.sheets.insertVersions(m, versions, [...linkStatements, ...(pipelined ? [COMMIT_STATEMENT] : [])]);
    release?.();
    const results = await sent;
    if (links.length && results[linkStatements.length - 1]?.affected !== links.length) {
      // Cannot happen once the events' insert succeeded (their unique key is the chain's guard: a
      // head that moved means an event with that seq exists). Pipelined, the batch is committed by
      // now: fail it, and the one-by-one retry answers each submit from what was stored.
      if (pipelined) throw new Error('audit chain heads did not move with their events');
      throw new RaceLost();
    }
    return outcomes;
  }

  /** One submit's checks, in the order of the single-sheet use case: its answer now (idempotent), its write, or its refusal (thrown). */
  private async plan(m: EntityManager, index: number, request: SubmitRequest, row: ContextRow | undefined, now: Date): Promise<PlannedWrite | { answer: SheetResponse }> {
    if (!row) throw AppError.notFound();
    const { dto, stage } = request;
    const { facts, rubricId, items, sheet, content, expertId } = await checkedWrite(this.sheets, m, row, dto, false);
    const hash = contentHash(content.marks, content.comments);
    if (sheet?.status === 'submitted') {
      // Idempotent: the content already submitted is answered with the version it made.
      if (contentHash(sheet.marks, sheet.comments) === hash) return { answer: toSheetResponse(row, expertId, stage, items, sheet) };
      throw AppError.conflict('sheet_locked');
    }
    const refusal = writeRefusal(facts);
    if (refusal) throw refuse(refusal);
    if (dto.lockVersion !== undefined && dto.lockVersion !== (sheet?.lockVersion ?? 0)) throw AppError.conflict('stale_version', SCORING_TEXTS.stale_version);
    const total = content.total as number;
    const write: SheetWrite = {
      status: 'submitted',
      marks: JSON.stringify(content.marks),
      comments: JSON.stringify(content.comments),
      total,
      version: (sheet?.version ?? 0) + 1,
      submittedAt: now,
      now,
    };
    return { index, request, row, items, sheet, expertId, rubricId, write, content: { ...content, total }, hash };
  }
}

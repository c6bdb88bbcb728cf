import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { findOr404 } from '../database/row-lock.js';
import { Entry } from '../entries/entry.entities.js';
import { Enterprise } from '../organisations/organisation.entities.js';
import { PresentationSession, SessionSlot } from './presentation.entities.js';
import { type SessionResponse, type SlotResponse, toSessionResponse, toSlotResponse } from './presentation.dto.js';
import { assertPresentationOpen, distinctIds, loadContest } from './presentation-support.js';

/** Presentation order: by drawn position, undrawn slots last, then by entry id. */
export const SLOT_ORDER = (a: SessionSlot, b: SessionSlot): number =>
  (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER) || a.entryId - b.entryId;

/** The sessions' reads shared by scheduling, the draw, check-in and the schedules: slots and their names. */
@Injectable()
export class SessionsRepository {
  async slotsOf(m: EntityManager, sessionIds: number[]): Promise<SessionSlot[]> {
    return sessionIds.length ? m.getRepository(SessionSlot).find({ where: { sessionId: In(sessionIds) } }) : [];
  }

  /** Slots with the entry's title, team and enterprise, in presentation order (undrawn: by entry id). */
  async slotResponses(m: EntityManager, slots: SessionSlot[]): Promise<SlotResponse[]> {
    const sorted = [...slots].sort(SLOT_ORDER);
    const entryIds = sorted.map((s) => s.entryId);
    const entries = entryIds.length ? await m.getRepository(Entry).find({ where: { id: In(entryIds) } }) : [];
    const enterpriseIds = distinctIds(entries.map((e) => e.enterpriseId));
    const enterprises = enterpriseIds.length ? await m.getRepository(Enterprise).find({ where: { id: In(enterpriseIds) }, select: { id: true, name: true } }) : [];
    const entryById = new Map(entries.map((e) => [e.id, e]));
    const enterpriseName = new Map(enterprises.map((x) => [x.id, x.name]));
    return sorted.map((s) => {
      const e = entryById.get(s.entryId);
      return toSlotResponse(s, e, e ? (enterpriseName.get(e.enterpriseId) ?? null) : null);
    });
  }

  async sessionResponse(m: EntityManager, s: PresentationSession): Promise<SessionResponse> {
    const slots = await this.slotsOf(m, [s.id]);
    return toSessionResponse(s, slots.length, await this.slotResponses(m, slots));
  }

  /** The session, locked for update, of a contest still open for presentation changes (404, 409 presentation_closed). */
  async lockedOpenSession(m: EntityManager, id: number): Promise<PresentationSession> {
    const s = await findOr404(m, PresentationSession, { id }, { lock: true });
    assertPresentationOpen(await loadContest(m, s.contestId));
    return s;
  }
}

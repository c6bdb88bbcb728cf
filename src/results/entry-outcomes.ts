import { In, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/auth-user.js';
import { Entry, EntryEvent, type EntryStatus } from '../entries/entry.entities.js';
import { LEVEL_NAMES_ZH } from './award-list.js';
import type { Level } from '../contests/contest-rules.js';

/** Statuses an entry can have when results are published (absent entries keep their status). */
const JUDGED: readonly EntryStatus[] = ['passed', 'scheduled', 'presented', 'scored', 'awarded', 'not_awarded'];
const CHUNK = 500;

/**
 * Publication (and every corrected publication) moves each judged entry to `awarded` or
 * `not_awarded` as the published list says, with a line on its timeline naming the level, so an
 * enterprise sees its outcome where it follows its entry. Set-based: a few statements per 500
 * entries, inside the publishing transaction. A correction (`previous`: the superseded list) adds
 * a line only where the level changed. Returns how many entries changed status. `levels`: each listed
 * entry's level shown (null: none), as the snapshot stores it.
 */
export async function applyOutcomes(m: EntityManager, actor: Actor, contestId: number, levels: ReadonlyMap<number, Level | null>, now: Date, previous?: ReadonlyMap<number, Level | null>): Promise<{ awarded: number; notAwarded: number; changed: number }> {
  const levelOf = levels;
  const before = previous ?? new Map<number, Level | null>();
  const corrected = !!previous;
  const entries = await m.getRepository(Entry).find({ select: { id: true, status: true }, where: { contestId, status: In([...JUDGED]) } });
  const events: Partial<EntryEvent>[] = [];
  const byTarget = new Map<EntryStatus, number[]>([['awarded', []], ['not_awarded', []]]);
  let awarded = 0;
  for (const e of entries) {
    const level = levelOf.get(e.id) ?? null;
    const to: EntryStatus = level ? 'awarded' : 'not_awarded';
    if (level) awarded++;
    const label = level ? LEVEL_NAMES_ZH[level] : '未获奖';
    if (e.status === to && (!corrected || (before.get(e.id) ?? null) === level)) continue;
    if (e.status !== to) byTarget.get(to)!.push(e.id);
    events.push({ entryId: e.id, fromStatus: e.status, toStatus: to, actorId: actor.id ?? null, actorRole: actor.role, reason: `${corrected ? '更正发布' : '结果发布'}：${label}`, createdAt: now });
  }
  for (const [to, ids] of byTarget) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await m.getRepository(Entry).update({ id: In(ids.slice(i, i + CHUNK)) }, { status: to, version: () => 'version + 1', updatedAt: now });
    }
  }
  for (let i = 0; i < events.length; i += CHUNK) await m.getRepository(EntryEvent).insert(events.slice(i, i + CHUNK));
  return { awarded, notAwarded: entries.length - awarded, changed: [...byTarget.values()].reduce((n, ids) => n + ids.length, 0) };
}

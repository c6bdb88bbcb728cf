import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createContest, openContest } from '../factories/contests.js';
import { createEntry, submitEntry, uploadReport } from '../factories/entries.js';
import { createExpert } from '../factories/organisations.js';
import { buildScoringScenario, type ScoringScenario } from '../factories/scenario.js';
import { saveDraft } from '../factories/scoring.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

// One access layer (src/access): for every kind of object and every role, what a caller can GET
// one by one is exactly what its list shows it. The table below names, per kind, the list and the
// single GET; each actor is checked against every id of the kind (the organizer's universe).
describe(`access: get and list agree (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ScoringScenario;
  const actors: Record<string, string | null> = {};
  const universe: Record<string, number[]> = {};
  /** What each actor GETs, per kind (filled by the table test, read by the expectations after it). */
  const seen: Record<string, Record<string, number[]>> = {};
  const ids = { draftEntry: 0, otherSubmitted: 0, draftContest: 0, openContest: 0, outsiderExpert: 0, declaredEntry: 0, memberSheet: 0 };

  const bearer = (token: string | null) => (token ? { authorization: `Bearer ${token}` } : {});
  const get = (token: string | null, path: string) => t.http().get(path).set(bearer(token));
  const sorted = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
  const pageIds = (body: { items: { id: number }[] }) => body.items.map((x) => x.id);

  interface Listed {
    status: number;
    ids: number[];
  }

  /** Every entry's sub-list (attachments, sheets) the caller may read, unioned: a list "per entry" seen from one caller. */
  async function unionOver(token: string | null, entryIds: number[], path: (id: number) => string, pick: (body: never) => number[]): Promise<Listed> {
    const out: number[] = [];
    let status = 404;
    for (const id of entryIds) {
      const res = await get(token, path(id));
      if (res.status === 200) {
        status = 200;
        out.push(...pick(res.body as never));
      } else if (res.status === 401 || res.status === 403) status = res.status;
    }
    return { status: out.length ? 200 : status, ids: out };
  }

  interface Kind {
    name: string;
    list: (token: string | null, who: string) => Promise<Listed>;
    /** The single GET's status for one id (200 when the caller may see it). */
    one: (token: string | null, id: number) => Promise<number>;
  }

  const kinds: Kind[] = [
    {
      name: 'entry',
      list: async (tk) => {
        const r = await get(tk, '/api/entries?pageSize=200');
        return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
      },
      one: async (tk, id) => (await get(tk, `/api/entries/${id}`)).status,
    },
    {
      name: 'entry events',
      list: async (tk) => {
        const r = await get(tk, '/api/entries?pageSize=200');
        return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
      },
      one: async (tk, id) => (await get(tk, `/api/entries/${id}/events`)).status,
    },
    {
      name: 'attachment',
      list: (tk) => unionOver(tk, universe.entry, (id) => `/api/entries/${id}/attachments`, (b: { items: { id: number }[] }) => pageIds(b)),
      one: async (tk, id) => (await get(tk, `/api/attachments/${id}/download`)).status,
    },
    {
      // The review decisions of an entry: its enterprise, its unit's recommender and organizers (the list: their entries list).
      name: 'review decision',
      list: async (tk, who) => {
        if (who.startsWith('expert')) return { status: 200, ids: [] };
        const r = await get(tk, '/api/entries?pageSize=200');
        return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
      },
      one: async (tk, id) => (await get(tk, `/api/entries/${id}/review`)).status,
    },
    {
      // An entry's presentation schedule: its own enterprise and organizers, i.e. their entries lists.
      name: 'entry schedule',
      list: async (tk, who) => {
        if (who === 'anonymous') return { status: 401, ids: [] };
        if (!(who === 'organizer' || who.startsWith('enterprise'))) return { status: 403, ids: [] };
        const r = await get(tk, '/api/entries?pageSize=200');
        return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
      },
      one: async (tk, id) => (await get(tk, `/api/entries/${id}/schedule`)).status,
    },
    {
      name: 'session',
      list: async (tk, who) => {
        if (who.startsWith('expert')) {
          const r = await get(tk, '/api/experts/me/schedule');
          return { status: r.status, ids: r.status === 200 ? (r.body.items as { session: { id: number } }[]).map((x) => x.session.id) : [] };
        }
        const r = await get(tk, `/api/contests/${s.contest.id}/sessions`);
        return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
      },
      one: async (tk, id) => (await get(tk, `/api/sessions/${id}`)).status,
    },
    {
      // A session's sign-off status: organizers, and the leader of its panel (the schedule marks the panels it leads).
      name: 'session sign-off (panel leadership)',
      list: async (tk, who) => {
        if (who.startsWith('expert')) {
          const r = await get(tk, '/api/experts/me/schedule');
          const items = r.status === 200 ? (r.body.items as { session: { id: number }; panel: { leader: boolean } | null }[]) : [];
          return { status: r.status, ids: items.filter((x) => x.panel?.leader).map((x) => x.session.id) };
        }
        const r = await get(tk, `/api/contests/${s.contest.id}/sessions`);
        return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
      },
      one: async (tk, id) => (await get(tk, `/api/sessions/${id}/sign-off`)).status,
    },
    {
      // Score sheets: an expert's own (list: /experts/me/sheets; one: its sheet of an entry and stage); organizers every sheet.
      name: 'sheet',
      list: async (tk, who) => {
        if (who.startsWith('expert')) {
          const r = await get(tk, '/api/experts/me/sheets?pageSize=200');
          return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
        }
        return unionOver(tk, universe.entry, (id) => `/api/entries/${id}/sheets`, (b: { items: { id: number }[] }) => pageIds(b));
      },
      one: async (tk, id) => {
        const r = await get(tk, `/api/sheets/${id}`);
        if (r.status !== 403 || !tk) return r.status;
        // Not an organizer: an expert opens its own sheets through the entry and stage.
        const sheet = sheetsById.get(id)!;
        const mine = await get(tk, `/api/entries/${sheet.entryId}/sheets/${sheet.stage}/mine`);
        return mine.status === 200 && mine.body.id === id ? 200 : mine.status === 200 ? 404 : mine.status;
      },
    },
    {
      name: 'contest',
      list: async (tk) => {
        const r = await get(tk, '/api/contests?pageSize=200');
        return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
      },
      one: async (tk, id) => (await get(tk, `/api/contests/${id}`)).status,
    },
    {
      name: 'public results',
      list: async (tk) => {
        const r = await get(tk, '/api/public/contests?pageSize=200');
        return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
      },
      one: async (tk, id) => (await get(tk, `/api/public/contests/${id}/results`)).status,
    },
    {
      name: 'unit',
      list: async (tk) => {
        const r = await get(tk, '/api/units?pageSize=200');
        return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
      },
      one: async (tk, id) => (await get(tk, `/api/units/${id}`)).status,
    },
    {
      name: 'enterprise',
      list: async (tk) => {
        const r = await get(tk, '/api/enterprises?pageSize=200');
        return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
      },
      one: async (tk, id) => (await get(tk, `/api/enterprises/${id}`)).status,
    },
    {
      // The experts list is the organizers' screen; an expert's counterpart is its own record (/auth/me).
      name: 'expert',
      list: async (tk, who) => {
        if (who.startsWith('expert')) {
          const me = await get(tk, '/api/auth/me');
          return { status: me.status, ids: me.body.expertId ? [me.body.expertId as number] : [] };
        }
        const r = await get(tk, '/api/experts?pageSize=200');
        return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
      },
      one: async (tk, id) => (await get(tk, `/api/experts/${id}`)).status,
    },
    {
      name: 'user',
      list: async (tk) => {
        const r = await get(tk, '/api/users?pageSize=200');
        return { status: r.status, ids: r.status === 200 ? pageIds(r.body) : [] };
      },
      one: async (tk, id) => (await get(tk, `/api/users/${id}`)).status,
    },
  ];

  const sheetsById = new Map<number, { entryId: number; stage: string }>();

  beforeAll(async () => {
    t = await createTestApp();
    // Two units and four enterprises (entries 0 and 2 through unit 0, 1 and 3 through unit 1); experts[0]
    // leads the panel, experts[1] works for the enterprise of entries[0] (automatic conflict), experts[2] plain.
    s = await buildScoringScenario(t, { entries: 4, experts: 3, absent: 0, conflicts: 1 });
    const org = s.organizer;
    Object.assign(actors, {
      admin: s.admin,
      organizer: org,
      'enterprise A': s.enterprises[0]!.token,
      'enterprise B (other organisation)': s.enterprises[1]!.token,
      'recommender A': s.units[0]!.token,
      'recommender B (other unit)': s.units[1]!.token,
      'expert leader': s.experts[0]!.token,
      'expert conflicted (employer)': s.experts[1]!.token,
      'expert member (declared conflict)': s.experts[2]!.token,
      anonymous: null,
    });
    const outsider = await createExpert(t, org, { name: '未入组专家' });
    actors['expert outside the panel'] = outsider.account.token;
    ids.outsiderExpert = outsider.id;

    // A second contest still open: a draft of enterprise A (its unit must not see it) and a submitted entry of enterprise B.
    const open = await openContest(t, org, { name: '2021年滨海新区质量攻关成果评比（开放）' });
    ids.openContest = open.id;
    ids.draftEntry = (await createEntry(t, s.enterprises[0]!.token, open.id, { title: '草稿：降低返工率 🛠️' })).id;
    const other = await createEntry(t, s.enterprises[1]!.token, open.id, { title: '已提交：缩短交付周期' });
    await uploadReport(t, s.enterprises[1]!.token, other.id);
    await submitEntry(t, s.enterprises[1]!.token, other.id);
    ids.otherSubmitted = other.id;
    // A contest still in draft: organizers only.
    ids.draftContest = (await createContest(t, org, { name: '2022年评比（草稿）' })).id;

    // The plain member declares a conflict with entries[2] (then it may not see it), and drafts a sheet of entries[1].
    ids.declaredEntry = s.entries[2]!.id;
    await t.http().post(`/api/entries/${ids.declaredEntry}/conflicts`).set(bearer(s.experts[2]!.token)).send({ reason: '曾参与该成果的指导工作' }).expect(201);
    ids.memberSheet = (await saveDraft(t, s.experts[2]!.token, s.entries[1]!.id, 'material', { marks: {} })).id as number;
    await saveDraft(t, s.experts[0]!.token, s.entries[0]!.id, 'presentation', { marks: {} });

    // The universe of every kind, as the organizer (or the admin, for users) sees it.
    universe.entry = pageIds((await get(org, '/api/entries?pageSize=200').expect(200)).body);
    universe['entry events'] = universe.entry;
    universe['review decision'] = universe.entry;
    universe['entry schedule'] = universe.entry;
    universe.attachment = (await unionOver(org, universe.entry, (id) => `/api/entries/${id}/attachments`, (b: { items: { id: number }[] }) => pageIds(b))).ids;
    universe.session = pageIds((await get(org, `/api/contests/${s.contest.id}/sessions`).expect(200)).body);
    universe['session sign-off (panel leadership)'] = universe.session;
    for (const id of universe.entry) {
      const r = await get(org, `/api/entries/${id}/sheets`).expect(200);
      for (const x of r.body.items as { id: number; stage: string }[]) sheetsById.set(x.id, { entryId: id, stage: x.stage });
    }
    universe.sheet = [...sheetsById.keys()];
    universe.contest = pageIds((await get(org, '/api/contests?pageSize=200').expect(200)).body);
    universe['public results'] = universe.contest;
    universe.unit = pageIds((await get(org, '/api/units?pageSize=200').expect(200)).body);
    universe.enterprise = pageIds((await get(org, '/api/enterprises?pageSize=200').expect(200)).body);
    universe.expert = pageIds((await get(org, '/api/experts?pageSize=200').expect(200)).body);
    universe.user = pageIds((await get(s.admin, '/api/users?pageSize=200').expect(200)).body);
  }, 300_000);
  afterAll(() => t.close());

  it('has a universe for every kind', () => {
    for (const k of kinds) expect({ kind: k.name, n: universe[k.name]!.length > 0 }).toEqual({ kind: k.name, n: true });
    expect(universe.entry).toEqual(expect.arrayContaining([ids.draftEntry, ids.otherSubmitted, ...s.entries.map((e) => e.id)]));
    expect(universe.sheet).toContain(ids.memberSheet);
  });

  it.each(kinds.map((k) => [k.name, k] as const))('%s: every role GETs exactly what its list shows', async (_name, kind) => {
    const problems: string[] = [];
    for (const [who, token] of Object.entries(actors)) {
      const listed = await kind.list(token, who);
      const got: number[] = [];
      for (const id of universe[kind.name]!) {
        const status = await kind.one(token, id);
        if (status === 200) got.push(id);
        // Refusals only: never a 500 nor anything else.
        else if (![401, 403, 404].includes(status)) problems.push(`${who} GET ${kind.name} ${id} → ${status}`);
        // A refused list (401 no token, 403 role): every single GET is refused too (401 alike without a token).
        if (listed.status === 401 && status !== 401) problems.push(`${who}: list 401 but GET ${kind.name} ${id} → ${status}`);
      }
      const inList = sorted(listed.ids.filter((id) => universe[kind.name]!.includes(id)));
      if (JSON.stringify(sorted(got)) !== JSON.stringify(inList)) problems.push(`${who}: GET ${JSON.stringify(sorted(got))} ≠ list ${JSON.stringify(inList)}`);
      (seen[kind.name] ??= {})[who] = sorted(got);
    }
    expect(problems).toEqual([]);
  }, 300_000);

  // The table above would pass if nobody saw anything: these pin what each role does see.
  it('sees what each role should, and nothing of the other organisation', () => {
    const e = (i: number) => s.entries[i]!.id;
    expect(seen.entry!.organizer).toEqual(sorted(universe.entry));
    expect(seen.entry!['enterprise A']).toEqual(sorted([e(0), ids.draftEntry]));
    expect(seen.entry!['enterprise B (other organisation)']).toEqual(sorted([e(1), ids.otherSubmitted]));
    expect(seen.entry!['recommender A']).toEqual(sorted([e(0), e(2)]));
    expect(seen.entry!['recommender B (other unit)']).toEqual(sorted([e(1), e(3), ids.otherSubmitted]));
    expect(seen.entry!['expert leader']).toEqual(sorted([e(0), e(1), e(2), e(3)]));
    expect(seen.entry!['expert conflicted (employer)']).toEqual(sorted([e(1), e(2), e(3)]));
    expect(seen.entry!['expert member (declared conflict)']).toEqual(sorted([e(0), e(1), e(3)]));
    expect(seen.entry!['expert outside the panel']).toEqual([]);
    expect(seen.entry!.admin).toEqual([]);
    expect(seen.entry!.anonymous).toEqual([]);

    expect(seen['review decision']!['recommender A']).toEqual(sorted([e(0), e(2)]));
    expect(seen['review decision']!['expert leader']).toEqual([]);
    expect(seen['entry schedule']!['enterprise A']).toEqual(sorted([e(0), ids.draftEntry]));
    expect(seen['entry schedule']!['recommender A']).toEqual([]);
    expect(seen.attachment!['expert conflicted (employer)']!.length).toBeGreaterThan(0);
    expect(seen.attachment!['expert outside the panel']).toEqual([]);

    expect(seen.session!['expert leader']).toEqual([s.session.id]);
    expect(seen.session!['expert outside the panel']).toEqual([]);
    expect(seen.session!['enterprise A']).toEqual([]);
    expect(seen['session sign-off (panel leadership)']!['expert leader']).toEqual([s.session.id]);
    expect(seen['session sign-off (panel leadership)']!['expert member (declared conflict)']).toEqual([]);

    expect(seen.sheet!['expert member (declared conflict)']).toEqual([ids.memberSheet]);
    expect(seen.sheet!.organizer).toEqual(sorted(universe.sheet));
    expect(seen.sheet!['expert leader']).toHaveLength(1);

    expect(seen.contest!['enterprise A']).not.toContain(ids.draftContest);
    expect(seen.contest!.organizer).toContain(ids.draftContest);
    expect(seen['public results']!.organizer).toEqual([]);

    expect(seen.unit!['recommender A']).toEqual([s.units[0]!.id]);
    expect(seen.unit!['enterprise A']).toEqual(sorted(universe.unit));
    expect(seen.enterprise!['recommender A']).toEqual(sorted([s.enterprises[0]!.id, s.enterprises[2]!.id]));
    expect(seen.enterprise!['enterprise B (other organisation)']).toEqual([s.enterprises[1]!.id]);
    expect(seen.expert!['expert outside the panel']).toEqual([ids.outsiderExpert]);
    expect(seen.expert!.organizer).toEqual(sorted(universe.expert));
    expect(seen.user!.admin).toEqual(sorted(universe.user));
    expect(seen.user!.organizer).toEqual([]);
  });
});

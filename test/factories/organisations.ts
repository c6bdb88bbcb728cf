// Test data through the HTTP API. Implemented by the organisations feature; signatures are fixed.
import { generateUscc } from '../../src/judging/uscc.js';
import { login, type TestApp } from '../support/test-app.js';

export interface UnitOut { id: number; name: string; kind: string }
export interface EnterpriseOut { id: number; name: string; uscc: string; defaultUnitId: number | null; status: string }
export interface ExpertOut { id: number; name: string; employerKind: string; employerEnterpriseId: number | null; employerUnitId: number | null }
export interface AccountOut { userId: number; username: string; password: string; token: string }

let seq = 0;
/** Unique within the process (test files run in separate processes, each with its own database). */
const next = (): number => ++seq;

// A small seeded generator (mulberry32), so that generated codes differ between calls yet are reproducible.
let rngState = 0x9e3779b9 ^ process.pid;
function rng(): number {
  rngState = (rngState + 0x6d2b79f5) | 0;
  let x = rngState;
  x = Math.imul(x ^ (x >>> 15), x | 1);
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}

const usedUscc = new Set<string>();
/** A valid 统一社会信用代码 not yet handed out by this process. */
export function newUscc(): string {
  for (;;) {
    const code = generateUscc(rng);
    if (!usedUscc.has(code)) {
      usedUscc.add(code);
      return code;
    }
  }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function post(t: TestApp, token: string, path: string, body: object, what: string): Promise<Record<string, unknown>> {
  const res = await t.http().post(path).set(bearer(token)).send(body);
  if (res.status !== 201) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

async function account(t: TestApp, token: string, path: string, prefix: string): Promise<AccountOut> {
  const username = `${prefix}-${next()}`;
  const password = 'Amber-海河-Lantern-42';
  const body = await post(t, token, path, { username, password }, `create account ${username}`);
  return { userId: body.id as number, username, password, token: await login(t, username, password) };
}

export async function createUnit(t: TestApp, organizerToken: string, overrides: Partial<{ name: string; kind: string }> = {}): Promise<UnitOut> {
  const body = await post(t, organizerToken, '/api/units', { name: overrides.name ?? `推荐单位${next()}`, kind: overrides.kind ?? 'industry_association' }, 'create unit');
  return { id: body.id as number, name: body.name as string, kind: body.kind as string };
}

export async function createUnitAccount(t: TestApp, organizerToken: string, unitId: number): Promise<AccountOut> {
  return account(t, organizerToken, `/api/units/${unitId}/accounts`, `unit${unitId}`);
}

export async function createEnterprise(
  t: TestApp,
  organizerToken: string,
  defaultUnitId: number,
  overrides: Partial<{ name: string; uscc: string; industry: string }> = {},
): Promise<EnterpriseOut> {
  const body = await post(
    t,
    organizerToken,
    '/api/enterprises',
    { name: overrides.name ?? `测试企业${next()}有限公司`, uscc: overrides.uscc ?? newUscc(), industry: overrides.industry ?? '制造业', defaultUnitId },
    'create enterprise',
  );
  return {
    id: body.id as number,
    name: body.name as string,
    uscc: body.uscc as string,
    defaultUnitId: body.defaultUnitId as number | null,
    status: body.status as string,
  };
}

export async function createEnterpriseAccount(t: TestApp, organizerToken: string, enterpriseId: number): Promise<AccountOut> {
  return account(t, organizerToken, `/api/enterprises/${enterpriseId}/accounts`, `ent${enterpriseId}`);
}

/** An expert (by default employed elsewhere: no automatic conflicts) with its login. */
export async function createExpert(
  t: TestApp,
  organizerToken: string,
  overrides: Partial<{ name: string; employerKind: string; employerEnterpriseId: number; employerUnitId: number; employerName: string }> = {},
): Promise<ExpertOut & { account: AccountOut }> {
  const employerKind = overrides.employerKind ?? (overrides.employerEnterpriseId ? 'enterprise' : overrides.employerUnitId ? 'unit' : 'other');
  const payload: Record<string, unknown> = { name: overrides.name ?? `专家${next()}`, employerKind, fields: ['质量管理'] };
  if (overrides.employerEnterpriseId !== undefined) payload.employerEnterpriseId = overrides.employerEnterpriseId;
  if (overrides.employerUnitId !== undefined) payload.employerUnitId = overrides.employerUnitId;
  if (overrides.employerName !== undefined) payload.employerName = overrides.employerName;
  else if (employerKind === 'other') payload.employerName = '某大学质量研究所';
  const body = await post(t, organizerToken, '/api/experts', payload, 'create expert');
  const id = body.id as number;
  return {
    id,
    name: body.name as string,
    employerKind: body.employerKind as string,
    employerEnterpriseId: body.employerEnterpriseId as number | null,
    employerUnitId: body.employerUnitId as number | null,
    account: await account(t, organizerToken, `/api/experts/${id}/accounts`, `expert${id}`),
  };
}

export interface RegistrationOut { enterprise: EnterpriseOut; account: AccountOut }

/**
 * An enterprise that registered itself through the public route (status pending) with its login.
 * The route answers 202 without ids (it must not tell which accounts exist): the login finds them.
 * Approve it with POST /api/enterprises/:id/approve (as an organizer or the unit's recommender).
 */
export async function registerEnterprise(
  t: TestApp,
  defaultUnitId: number,
  overrides: Partial<{ name: string; uscc: string; industry: string; username: string; displayName: string }> = {},
): Promise<RegistrationOut> {
  const n = next();
  const username = overrides.username ?? `self-registered-${n}`;
  const password = 'Amber-海河-Lantern-42';
  const res = await t
    .http()
    .post('/api/public/enterprises/register')
    .send({
      enterprise: { name: overrides.name ?? `自主注册企业${n}有限公司`, uscc: overrides.uscc ?? newUscc(), industry: overrides.industry ?? '制造业', defaultUnitId },
      account: { username, displayName: overrides.displayName ?? `企业联系人${n}`, password },
    });
  if (res.status !== 202) throw new Error(`register enterprise failed: ${res.status} ${JSON.stringify(res.body)}`);
  const token = await login(t, username, password);
  const me = (await t.http().get('/api/auth/me').set('authorization', `Bearer ${token}`)).body as { id: number; enterpriseId: number };
  const e = (await t.http().get(`/api/enterprises/${me.enterpriseId}`).set('authorization', `Bearer ${token}`)).body as Record<string, unknown>;
  return {
    enterprise: {
      id: e.id as number,
      name: e.name as string,
      uscc: e.uscc as string,
      defaultUnitId: e.defaultUnitId as number | null,
      status: e.status as string,
    },
    account: { userId: me.id, username, password, token },
  };
}

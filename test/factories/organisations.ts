// Test data through the HTTP API. Implemented by the organisations feature; signatures are fixed.
import type { TestApp } from '../support/test-app.js';

export interface UnitOut { id: number; name: string; kind: string }
export interface EnterpriseOut { id: number; name: string; uscc: string; defaultUnitId: number | null; status: string }
export interface ExpertOut { id: number; name: string; employerKind: string; employerEnterpriseId: number | null; employerUnitId: number | null }
export interface AccountOut { userId: number; username: string; password: string; token: string }

export declare function createUnit(t: TestApp, organizerToken: string, overrides?: Partial<{ name: string; kind: string }>): Promise<UnitOut>;
export declare function createUnitAccount(t: TestApp, organizerToken: string, unitId: number): Promise<AccountOut>;
export declare function createEnterprise(t: TestApp, organizerToken: string, defaultUnitId: number, overrides?: Partial<{ name: string; uscc: string; industry: string }>): Promise<EnterpriseOut>;
export declare function createEnterpriseAccount(t: TestApp, organizerToken: string, enterpriseId: number): Promise<AccountOut>;
export declare function createExpert(t: TestApp, organizerToken: string, overrides?: Partial<{ name: string; employerKind: string; employerEnterpriseId: number; employerUnitId: number; employerName: string }>): Promise<ExpertOut & { account: AccountOut }>;

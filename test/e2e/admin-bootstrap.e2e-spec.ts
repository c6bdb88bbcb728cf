import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { AccountsService } from '../../src/accounts/accounts.service.js';
import { createTestApp, login, TEST_DB } from '../support/test-app.js';

// The first admin from ADMIN_PASSWORD: a weak one is warned about, not refused (see AccountsService).
// One app per test, one after the other: passport's strategies are process-wide.
describe(`the first admin's password from ADMIN_PASSWORD (${TEST_DB})`, () => {
  const warnings = async (adminPassword: string): Promise<string[]> => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const t = await createTestApp({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: adminPassword });
    try {
      // The admin exists and logs in with it either way; the verdict comes when judged (start-up does not wait for it).
      await login(t, 'admin', adminPassword);
      await t.app.get(AccountsService).adminPasswordJudged;
      return warn.mock.calls.map((c) => String(c[0]));
    } finally {
      warn.mockRestore();
      await t.close();
    }
  };

  it('a weak one creates the admin with a loud warning that says why, without the password', async () => {
    const lines = (await warnings('admin-12345')).filter((l) => l.includes('ADMIN_PASSWORD'));
    expect(lines).toEqual([expect.stringContaining('ADMIN_PASSWORD is weak (The password must not contain the username)')]);
    expect(lines[0]).not.toContain('admin-12345');
  });

  it('a strong one, silently', async () => {
    expect((await warnings('Qc-评审-2026-北辰!')).filter((l) => l.includes('ADMIN_PASSWORD'))).toEqual([]);
  });
});

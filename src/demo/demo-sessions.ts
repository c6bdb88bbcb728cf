import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { User } from '../accounts/user.entity.js';
import { AuthService } from '../auth/auth.service.js';

/**
 * Tokens for the demo's accounts from the service it runs in (DemoOptions.signIn): what a login
 * issues after the password check (AuthService.issueToken), without the argon2 verification. The
 * token then goes through the same guard as any other on every request.
 */
export function serviceSignIn(app: INestApplication): (username: string) => Promise<string> {
  const users = app.get(DataSource).getRepository(User);
  const auth = app.get(AuthService);
  return async (username) => (await auth.issueToken(await users.findOneByOrFail({ username }))).accessToken;
}

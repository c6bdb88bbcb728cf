import argon2 from 'argon2';

// argon2id at OWASP's recommended minimum (19 MiB, 2 passes): strong, and ~20 ms a hash here.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** The one password hashed once for all its accounts (npm run demo only, see `hashOnceForAll`). */
let shared: { plain: string; hash: Promise<string> } | null = null;

export function hashPassword(plain: string): Promise<string> {
  if (shared && shared.plain === plain) return shared.hash;
  return argon2.hash(plain, OPTIONS);
}

/**
 * npm run demo only (never the service itself): the demo's ≈ 200 accounts all have one password, printed
 * beside them. Its hash is made once, with the same parameters as every hash, and stored for each of those
 * accounts: ≈ 200 hashes of that one text with ≈ 200 salts were ≈ 6 s of CPU of the demo's run and kept
 * nothing secret. Every login still verifies at full cost; any other password is hashed as always.
 */
export function hashOnceForAll(plain: string): void {
  shared = { plain, hash: argon2.hash(plain, OPTIONS) };
}

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** Verifies against a throwaway hash, so an unknown user costs as long as a wrong password. */
export async function verifyAgainstDummy(plain: string): Promise<void> {
  dummy ??= hashPassword('not-a-real-password-' + Math.random());
  await verifyPassword(await dummy, plain);
}

import argon2 from 'argon2';
import pLimit from 'p-limit';

/** argon2 takes ~64 MiB and ~1 s of a core per check: a sign-in flood queues instead of exhausting the machine. */
const checks = pLimit(2);

/** argon2id with the library's defaults (64 MiB, t=3): OWASP's recommended class of parameters. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password. Without a stored hash (unknown e-mail, no password set) it still runs one
 * argon2 verification, so the answer's timing does not tell whether an account exists.
 */
export async function verifyPassword(
  storedHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('no-account-has-this-password');
    const hash = await dummyHash;
    await checks(() => argon2.verify(hash, password).catch(() => false));
    return false;
  }
  return checks(() => argon2.verify(storedHash, password).catch(() => false));
}

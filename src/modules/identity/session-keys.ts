import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';

/** A random secret for a cookie or link, and the SHA-256 under which the hub stores it. */
export const newSecret = () => randomBytes(32).toString('base64url');
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * The keys of the hub's sessions, each derived from one secret (SESSION_SECRET, else AUTH_JWT_SECRET) for
 * one purpose (HKDF), so that a key of one purpose is useless for another.
 */
export class SessionKeys {
  private readonly flowKey: Uint8Array;
  private readonly storageKey: Buffer;
  private readonly csrfKey: Buffer;

  constructor(secret: string) {
    const derive = (purpose: string) =>
      Buffer.from(hkdfSync('sha256', secret, 'buendnis-hub', `session:${purpose}`, 32));
    this.flowKey = new Uint8Array(derive('oidc-flow'));
    this.storageKey = derive('token-storage');
    this.csrfKey = derive('csrf');
  }

  /** The sign-in flow's state, nonce and PKCE verifier as an encrypted JWT (A256GCM, dir), short-lived. */
  sealFlow(flow: Record<string, string>, ttlSeconds: number): Promise<string> {
    return new EncryptJWT(flow)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .encrypt(this.flowKey);
  }

  async openFlow(sealed: string): Promise<Record<string, unknown> | undefined> {
    try {
      const { payload } = await jwtDecrypt(sealed, this.flowKey, { keyManagementAlgorithms: ['dir'] });
      return payload;
    } catch {
      return undefined;
    }
  }

  /** AES-256-GCM for the provider's tokens at rest: a database dump alone does not hand them out. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.storageKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  decrypt(sealed: string): string {
    const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.storageKey, iv!);
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
  }

  /**
   * The session's CSRF token: bound to the session (an HMAC of its hash), so it needs no storage and a
   * token of one session is worthless for another. Pages read it from a non-HttpOnly cookie and send it
   * as a header (double submit): another site can make the browser send cookies, not read them.
   */
  csrfToken(sessionHash: string): string {
    return createHmac('sha256', this.csrfKey).update(sessionHash).digest('base64url');
  }
}

/** Equal texts, compared in constant time (tokens). */
export function sameText(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

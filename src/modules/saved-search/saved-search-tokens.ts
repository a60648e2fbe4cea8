import { createHmac, hkdfSync } from 'node:crypto';
import { UUID } from '../../domain/ids.js';
import { sameText } from '../identity/session-keys.js';

export type LinkPurpose = 'unsubscribe' | 'confirm';

/** A confirm link is for the days after saving; an unsubscribe link must work as long as mails come. */
const CONFIRM_TTL_SECONDS = 7 * 86_400;

/**
 * The signed tokens of the links in saved-search mails, which work without signing in: the search id,
 * for a confirm link its expiry, and an HMAC-SHA256 under a key derived (HKDF) for that purpose alone
 * from the hub's secret, so an unsubscribe token never confirms and neither is worth anything elsewhere.
 */
export class SavedSearchTokens {
  private readonly keys: Record<LinkPurpose, Buffer>;

  constructor(secret: string) {
    const derive = (purpose: LinkPurpose) =>
      Buffer.from(hkdfSync('sha256', secret, 'buendnis-hub', `saved-search:${purpose}`, 32));
    this.keys = { unsubscribe: derive('unsubscribe'), confirm: derive('confirm') };
  }

  sign(purpose: LinkPurpose, searchId: string, now = Date.now()): string {
    const body =
      purpose === 'confirm' ? `${searchId}.${Math.floor(now / 1000) + CONFIRM_TTL_SECONDS}` : searchId;
    return `${body}.${this.mac(purpose, body)}`;
  }

  /** The search id of a genuine, unexpired token; undefined for anything else. */
  verify(purpose: LinkPurpose, token: unknown, now = Date.now()): string | undefined {
    if (typeof token !== 'string' || token.length > 200) return undefined;
    const cut = token.lastIndexOf('.');
    if (cut < 0) return undefined;
    const body = token.slice(0, cut);
    if (!sameText(this.mac(purpose, body), token.slice(cut + 1))) return undefined;
    const [searchId, expires, ...rest] = body.split('.');
    if (!searchId || !UUID.test(searchId) || rest.length > 0) return undefined;
    if (purpose === 'confirm' && !(Number(expires) * 1000 > now)) return undefined;
    if (purpose === 'unsubscribe' && expires !== undefined) return undefined;
    return searchId.toLowerCase();
  }

  private mac(purpose: LinkPurpose, body: string): string {
    return createHmac('sha256', this.keys[purpose]).update(body).digest('base64url');
  }
}

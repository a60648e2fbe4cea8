import type { CookieOptions, Response } from 'express';

/**
 * The hub's cookies. Over https they carry the `__Host-` prefix: the browser then accepts them only
 * Secure, for exactly this host and Path=/ (no subdomain can plant or read them).
 */
export class SessionCookies {
  readonly session: string;
  readonly csrf: string;
  readonly flow: string;

  constructor(readonly secure: boolean) {
    const prefix = secure ? '__Host-' : '';
    this.session = `${prefix}hub-session`;
    this.csrf = `${prefix}hub-csrf`;
    this.flow = `${prefix}hub-oidc-flow`;
  }

  private options(maxAgeMs: number, httpOnly: boolean): CookieOptions {
    return { httpOnly, secure: this.secure, sameSite: 'lax', path: '/', maxAge: maxAgeMs };
  }

  setSession(res: Response, token: string, csrfToken: string, maxAgeMs: number): void {
    res.cookie(this.session, token, this.options(maxAgeMs, true));
    // Readable by the hub's pages (double submit): they send it back as X-CSRF-Token.
    res.cookie(this.csrf, csrfToken, this.options(maxAgeMs, false));
  }

  clearSession(res: Response): void {
    const { maxAge: _m, ...options } = this.options(0, true);
    res.clearCookie(this.session, options);
    res.clearCookie(this.csrf, { ...options, httpOnly: false });
  }

  setFlow(res: Response, sealed: string, maxAgeMs: number): void {
    res.cookie(this.flow, sealed, this.options(maxAgeMs, true));
  }

  clearFlow(res: Response): void {
    const { maxAge: _m, ...options } = this.options(0, true);
    res.clearCookie(this.flow, options);
  }
}

/** One cookie's value from a Cookie header (the first of that name), undefined when absent. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value.startsWith('"') ? value.slice(1, -1) : value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

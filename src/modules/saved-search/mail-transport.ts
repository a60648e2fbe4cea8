import type { Transporter } from 'nodemailer';
import type { MailConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { SavedSearchTokens } from './saved-search-tokens.js';

/** nodemailer's defaults wait up to 2 min to connect and 10 min on a silent socket. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable for the same content: a resend after a crash is recognisable as the same message. */
  messageId: string;
  /** The unsubscribe link (List-Unsubscribe with One-Click, RFC 8058). */
  unsubscribeUrl?: string;
}

/**
 * The saved searches' way out: nodemailer over SMTP_URL, the links in mails (PUBLIC_BASE_URL plus signed
 * tokens). Without SMTP_URL nothing is sent: a warning once, and callers keep what they would have sent.
 */
export class MailTransport {
  private transporter?: Promise<Transporter>;
  private warned = false;

  constructor(
    private readonly config: MailConfig,
    readonly tokens: SavedSearchTokens,
    private readonly logger: Logger,
  ) {}

  get configured(): boolean {
    return this.config.smtpUrl !== undefined;
  }

  /** nodemailer is loaded with the first mail: a hub without SMTP_URL never holds it in memory. */
  private transport(smtpUrl: string): Promise<Transporter> {
    this.transporter ??= import('nodemailer').then((m) =>
      // Well inside the mail worker's lease: a hanging server fails the send (retried) before another
      // instance could take the same mail over.
      m.default.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS }),
    );
    return this.transporter;
  }

  /** Logs once that mail is off (called where a mail would go out). */
  warnUnconfigured(): void {
    if (this.warned || this.configured) return;
    this.warned = true;
    this.logger.warn('no SMTP_URL configured: saved searches are recorded, but no e-mail is sent');
  }

  link(path: string, query: Record<string, string>): string {
    return `${this.config.publicBaseUrl}${path}?${new URLSearchParams(query).toString()}`;
  }

  unsubscribeUrl(searchId: string): string {
    return this.link('/benachrichtigungen/abbestellen', {
      token: this.tokens.sign('unsubscribe', searchId),
    });
  }

  confirmUrl(searchId: string): string {
    return this.link('/benachrichtigungen/bestaetigen', { token: this.tokens.sign('confirm', searchId) });
  }

  /** The domain of Message-IDs: the hub's public host. */
  get messageDomain(): string {
    return new URL(this.config.publicBaseUrl).hostname || 'localhost';
  }

  /** False when mail is off (nothing was sent); throws when the SMTP server refused or was unreachable. */
  async send(mail: OutgoingMail): Promise<boolean> {
    if (!this.config.smtpUrl) {
      this.warnUnconfigured();
      return false;
    }
    const transporter = await this.transport(this.config.smtpUrl);
    await transporter.sendMail({
      from: this.config.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      headers: mail.unsubscribeUrl
        ? {
            'List-Unsubscribe': `<${mail.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          }
        : {},
    });
    return true;
  }

  close(): void {
    void this.transporter?.then(
      (t) => t.close(),
      () => undefined,
    );
  }
}

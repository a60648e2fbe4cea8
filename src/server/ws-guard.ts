import type { MikroORM } from '@mikro-orm/postgresql';
import type { WebSocket } from 'ws';
import type { Viewer } from '../auth/viewer.js';
import type { Logger } from '../logger.js';

/** graphql-ws close codes: 4401 Unauthorized (token ran out), 4403 Forbidden (account or organisation off). */
export const CLOSE_TOKEN_EXPIRED = 4401;
export const CLOSE_FORBIDDEN = 4403;

/** Hub sessions (src/modules/identity/session.service.ts), as the guard needs them. */
export interface SocketSessions {
  /** The session's next deadline after renewing it, or null when it has ended. */
  renewForSocket(sessionId: string): Promise<number | null>;
  onEnded(listener: (sessionId: string) => void): () => void;
}

interface Connection {
  socket: WebSocket;
  viewer: Viewer;
  viewerKey: string;
  subscriptions: Set<string>;
  expiryTimer?: NodeJS.Timeout;
}

/**
 * Watches the WebSocket connections of one server: closes a connection when its token expires and,
 * checking all connected accounts once a second in one query, when an account or organisation is
 * deactivated; and counts open subscriptions per connection and per viewer.
 */
export class WsGuard {
  private readonly connections = new Map<WebSocket, Connection>();
  private readonly perViewer = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly offEnded?: () => void;

  constructor(
    private readonly orm: MikroORM,
    private readonly limits: { perConnection: number; perViewer: number },
    private readonly logger: Logger,
    private readonly sessions?: SocketSessions,
  ) {
    this.timer = setInterval(() => void this.closeDeactivated(), 1_000);
    this.timer.unref();
    // A session that ends (sign-out, refused renewal, here or on another instance) closes its sockets.
    this.offEnded = sessions?.onEnded((sessionId) => {
      for (const c of this.connections.values()) {
        if (c.viewer.kind === 'account' && c.viewer.sessionId === sessionId)
          c.socket.close(CLOSE_TOKEN_EXPIRED, 'Session ended');
      }
    });
  }

  open(socket: WebSocket, viewer: Viewer, address: string | undefined): void {
    const connection: Connection = {
      socket,
      viewer,
      viewerKey:
        viewer.kind === 'account' ? `account:${viewer.accountId}` : `address:${address ?? 'unknown'}`,
      subscriptions: new Set(),
    };
    this.connections.set(socket, connection);
    if (viewer.kind === 'account' && viewer.tokenExpiresAt) this.closeAt(connection, viewer.tokenExpiresAt);
  }

  /**
   * At the deadline a token's socket closes (4401). A hub session's socket asks the session first: it is
   * renewed with the provider (and the socket lives on to the next deadline) or it has ended.
   */
  private closeAt(connection: Connection, deadline: number): void {
    const { socket, viewer } = connection;
    const wait = Math.max(0, deadline - Date.now());
    const sessionId = viewer.kind === 'account' ? viewer.sessionId : undefined;
    // setTimeout takes at most ~24.8 days: a longer-lived token just closes earlier and the client reconnects.
    connection.expiryTimer = setTimeout(
      () => {
        if (!sessionId || !this.sessions) {
          socket.close(CLOSE_TOKEN_EXPIRED, 'Token expired');
          return;
        }
        this.sessions.renewForSocket(sessionId).then(
          (next) => {
            if (!this.connections.has(socket)) return;
            if (next === null) socket.close(CLOSE_TOKEN_EXPIRED, 'Session ended');
            else this.closeAt(connection, next);
          },
          (error) => {
            this.logger.warn({ err: error }, 'renewing a WebSocket’s session failed; trying again in 30 s');
            if (this.connections.has(socket)) this.closeAt(connection, Date.now() + 30_000);
          },
        );
      },
      Math.min(wait, 2 ** 31 - 1),
    );
    connection.expiryTimer.unref();
  }

  close(socket: WebSocket): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    clearTimeout(connection.expiryTimer);
    for (const id of [...connection.subscriptions]) this.ended(socket, id);
    this.connections.delete(socket);
  }

  /** Registers a subscription; a message when a limit is reached (nothing registered then). */
  started(socket: WebSocket, id: string): string | null {
    const connection = this.connections.get(socket);
    if (!connection) return 'connection is closing';
    if (connection.subscriptions.size >= this.limits.perConnection) {
      return `at most ${this.limits.perConnection} subscriptions per connection`;
    }
    const open = this.perViewer.get(connection.viewerKey) ?? 0;
    if (open >= this.limits.perViewer) return `at most ${this.limits.perViewer} subscriptions per viewer`;
    connection.subscriptions.add(id);
    this.perViewer.set(connection.viewerKey, open + 1);
    return null;
  }

  ended(socket: WebSocket, id: string): void {
    const connection = this.connections.get(socket);
    if (!connection?.subscriptions.delete(id)) return;
    const left = (this.perViewer.get(connection.viewerKey) ?? 1) - 1;
    if (left > 0) this.perViewer.set(connection.viewerKey, left);
    else this.perViewer.delete(connection.viewerKey);
  }

  stop(): void {
    clearInterval(this.timer);
    this.offEnded?.();
  }

  /** The viewer a connection authenticated as (rate limits, logs). */
  viewerOf(socket: WebSocket): Viewer | undefined {
    return this.connections.get(socket)?.viewer;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  get openSubscriptions(): number {
    let open = 0;
    for (const count of this.perViewer.values()) open += count;
    return open;
  }

  private async closeDeactivated(): Promise<void> {
    const accounts = new Set<string>();
    for (const c of this.connections.values())
      if (c.viewer.kind === 'account') accounts.add(c.viewer.accountId);
    if (accounts.size === 0) return;
    try {
      const rows = await this.orm.em
        .fork()
        .getConnection()
        .execute<{ id: string }[]>(
          'select a.id from account a join organisation o on o.id = a.organisation_id where a.id = any(?::uuid[]) and not (a.active and o.active)',
          [`{${[...accounts].join(',')}}`],
        );
      const off = new Set(rows.map((r) => r.id));
      for (const c of this.connections.values()) {
        if (c.viewer.kind === 'account' && off.has(c.viewer.accountId))
          c.socket.close(CLOSE_FORBIDDEN, 'Forbidden');
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'checking WebSocket accounts failed');
    }
  }
}

import type { MikroORM } from '@mikro-orm/postgresql';
import type { WebSocket } from 'ws';
import type { Viewer } from '../auth/viewer.js';
import type { Logger } from '../logger.js';

/** graphql-ws close codes: 4401 Unauthorized (token ran out), 4403 Forbidden (account or organisation off). */
export const CLOSE_TOKEN_EXPIRED = 4401;
export const CLOSE_FORBIDDEN = 4403;

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

  constructor(
    private readonly orm: MikroORM,
    private readonly limits: { perConnection: number; perViewer: number },
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.closeDeactivated(), 1_000);
    this.timer.unref();
  }

  open(socket: WebSocket, viewer: Viewer, address: string | undefined): void {
    const connection: Connection = {
      socket,
      viewer,
      viewerKey:
        viewer.kind === 'account' ? `account:${viewer.accountId}` : `address:${address ?? 'unknown'}`,
      subscriptions: new Set(),
    };
    if (viewer.kind === 'account' && viewer.tokenExpiresAt) {
      const wait = Math.max(0, viewer.tokenExpiresAt - Date.now());
      // setTimeout takes at most ~24.8 days: a longer-lived token just closes earlier and the client reconnects.
      connection.expiryTimer = setTimeout(
        () => socket.close(CLOSE_TOKEN_EXPIRED, 'Token expired'),
        Math.min(wait, 2 ** 31 - 1),
      );
      connection.expiryTimer.unref();
    }
    this.connections.set(socket, connection);
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

import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of one shared server (NATS, MongoDB, Redis) for the services of one test:
 * point their URL at `url(...)`, and `cut()` is a real outage of that server for them alone —
 * every open connection is reset and new ones are refused — while every other test file keeps
 * using the server itself. `restore()` listens again on the same port, so clients reconnect to
 * the address they were given. Never restart a shared server for a fault test: cut a proxy.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  /** the proxy's port: fixed by the first open, reused by every restore */
  port = 0;
  /** connections accepted since the proxy was made (a test can check its service used the proxy) */
  accepted = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** A proxy for the server of a URL such as `nats://u:p@127.0.0.1:4222` or `mongodb://127.0.0.1:27017/?…` (not open yet). */
  static for(serverUrl: string, defaultPort?: number): TcpProxy {
    const u = new URL(serverUrl);
    const port = Number(u.port || defaultPort || (u.protocol === 'mongodb:' ? 27017 : u.protocol === 'nats:' ? 4222 : u.protocol === 'redis:' ? 6379 : NaN));
    if (!Number.isInteger(port) || port <= 0) throw new Error(`TcpProxy: no port in ${u.protocol}//${u.host}`);
    return new TcpProxy({ host: u.hostname.replace(/^\[|\]$/g, ''), port });
  }

  get isOpen(): boolean {
    return !!this.server;
  }

  /** `serverUrl` with its host and port replaced by the proxy's (credentials, path and query kept); open the proxy first. */
  url(serverUrl: string): string {
    if (!this.port) throw new Error('TcpProxy: open it before asking for its URL');
    const u = new URL(serverUrl);
    u.host = `127.0.0.1:${this.port}`;
    return u.href;
  }

  /** Starts (or, after a cut, resumes) accepting connections, on the same port as before. */
  async open(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      this.accepted++;
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** The outage: every open connection reset, no new one accepted (connection refused). */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The end of the outage: the same as open(). */
  restore(): Promise<void> {
    return this.open();
  }

  /** Cuts it for good (the end of a test file). */
  close(): Promise<void> {
    return this.cut();
  }
}

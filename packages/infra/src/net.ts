import net from 'node:net';
import tls from 'node:tls';
import { InfrastructureError } from './errors.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** True if something accepts a TCP connection on host:port within timeoutMs. Never throws. */
export function canConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves once host:port accepts TCP connections; rejects with InfrastructureError after timeoutMs. */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    if (await canConnect(host, port, Math.min(500, left))) return;
    await sleep(Math.min(100, Math.max(0, deadline - Date.now())));
  }
  throw new InfrastructureError(`nothing is listening on ${host}:${port} after ${timeoutMs} ms`);
}

export interface ExchangeOptions<T> {
  host: string;
  port: number;
  tls?: boolean;
  /** Bytes written once the connection is up (nothing if omitted: some protocols speak first). */
  send?: string;
  /** Called with everything received so far; returns the result once there is enough of it. */
  parse: (received: string) => T | undefined;
  timeoutMs: number;
}

/**
 * One short request/response over a fresh TCP (or TLS) connection: enough to tell a NATS server
 * (it greets with INFO) or a Redis server (it answers PING) from a closed or foreign port,
 * without a client library that would retry and reconnect in the background.
 * Rejects with a plain Error (the caller adds what the port was supposed to be).
 */
export function exchange<T>(opts: ExchangeOptions<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const socket = opts.tls
      ? tls.connect({ host: opts.host, port: opts.port, servername: net.isIP(opts.host) ? undefined : opts.host })
      : net.connect({ host: opts.host, port: opts.port });
    let received = '';
    let settled = false;
    const finish = (err: Error | undefined, value?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value as T);
    };
    // One deadline for connect + answer: a port that accepts and then stays silent must not hang us.
    const timer = setTimeout(
      () => finish(new Error(received ? `unexpected answer ${JSON.stringify(received.slice(0, 120))}` : `no answer within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    socket.once(opts.tls ? 'secureConnect' : 'connect', () => {
      if (opts.send) socket.write(opts.send);
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      try {
        const value = opts.parse(received);
        if (value !== undefined) finish(undefined, value);
      } catch (err) {
        finish(err as Error);
      }
    });
    socket.once('error', (err) => finish(err));
    socket.once('close', () => finish(new Error(received ? `connection closed after ${JSON.stringify(received.slice(0, 120))}` : 'connection closed without an answer')));
  });
}

/** Splits "host:port" URL parts into what net.connect wants (IPv6 literals lose their brackets). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a test endpoint received and verified, with the status it answered. */
export interface Received {
  id: string;
  status: number;
  body: { type: string; timestamp: string; data: Record<string, any> };
}

/**
 * A partner's webhook endpoint for tests: verifies every request's signature with
 * `standardwebhooks` (as the README tells partners to; a bad one is answered 400 and kept in
 * `unverified`), then answers `status()` after `delayMs()` — deliveries stay in flight that long.
 */
export async function startReceiver(opts: { secret: () => string; status?: () => number; delayMs?: () => number; path?: string }) {
  const got: Received[] = [];
  const unverified: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Received['body'];
      try {
        body = new Webhook(opts.secret()).verify(raw, req.headers as Record<string, string>) as Received['body'];
      } catch (err) {
        unverified.push((err as Error).message);
        res.writeHead(400).end();
        return;
      }
      const answer = () => {
        const status = opts.status?.() ?? 204;
        got.push({ id: String(req.headers['webhook-id']), status, body });
        res.writeHead(status).end();
      };
      const delay = opts.delayMs?.() ?? 0;
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${opts.path ?? '/hooks'}`;
  return {
    url,
    got,
    unverified,
    /** the requests answered with a 2xx */
    ok: () => got.filter((g) => g.status < 300),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { classifyAddress } from '../domain/address.ts';
import type { Sender } from '../domain/deps.ts';
import { parseTarget } from '../domain/target.ts';

/** Most response bytes read (and dropped): the status is what counts. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export class UnsafeTargetError extends Error {
  override name = 'UnsafeTargetError';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the HTTP client that refuses non-public addresses: the SSRF check happens on the
 * very addresses the socket connects to, so a host that resolved to a public address at creation
 * and to 127.0.0.1 now (DNS rebinding) is refused at delivery.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => classifyAddress(a.address) !== 'public');
    if (bad || list.length === 0) return callback(new UnsafeTargetError(bad ? `unsafe target: ${hostname} resolves to a ${classifyAddress(bad.address)} address` : `${hostname} does not resolve`), []);
    if (options.all) return callback(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
}

/**
 * POSTs deliveries with node:http(s): no redirects followed, a hard timeout over the whole
 * exchange, the response body read up to 64 KiB and dropped. Unless private targets are allowed
 * (development, tests), literal non-public addresses are refused and host names go through
 * guardedLookup. Errors say what failed, never the headers (the signature) or the body.
 */
export function createHttpSender(opts: { allowPrivate: boolean; userAgent?: string }): Sender {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64, ...(opts.allowPrivate ? {} : { lookup: guardedLookup as never }) }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64, ...(opts.allowPrivate ? {} : { lookup: guardedLookup as never }) }),
  };
  return {
    send(req) {
      const started = process.hrtime.bigint();
      const elapsed = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6);
      const parsed = parseTarget(req.url);
      if (!parsed.ok) return Promise.resolve({ latencyMs: 0, error: `invalid target: ${parsed.message}` });
      if (!opts.allowPrivate && isIP(parsed.host) && classifyAddress(parsed.host) !== 'public') {
        return Promise.resolve({ latencyMs: 0, error: `unsafe target: a ${classifyAddress(parsed.host)} address` });
      }
      const protocol = parsed.url.protocol as 'http:' | 'https:';
      const client = protocol === 'https:' ? https : http;
      return new Promise((resolve) => {
        let settled = false;
        const done = (r: { status?: number; error?: string }) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ ...r, latencyMs: elapsed() });
        };
        const request = client.request(
          parsed.url,
          {
            method: 'POST',
            agent: agents[protocol],
            headers: { ...req.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(req.body), 'user-agent': opts.userAgent ?? 'commerce-webhooks/1' },
          },
          (res) => {
            let read = 0;
            res.on('data', (chunk: Buffer) => {
              read += chunk.length;
              if (read > MAX_RESPONSE_BYTES) res.destroy();
            });
            res.on('close', () => done({ status: res.statusCode ?? 0 }));
            res.on('error', () => done({ status: res.statusCode ?? 0 }));
          },
        );
        const timer = setTimeout(() => {
          done({ error: `timed out after ${req.timeoutMs} ms` });
          request.destroy();
        }, req.timeoutMs);
        request.on('error', (err: NodeJS.ErrnoException) => done({ error: err instanceof UnsafeTargetError ? err.message : `${err.code ?? err.name}: ${err.message}` }));
        request.end(req.body);
      });
    },
  };
}
